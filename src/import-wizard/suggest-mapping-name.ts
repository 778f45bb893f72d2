import { basename, extname } from 'node:path';

const NAME = /^[a-z0-9][a-z0-9_-]{0,63}$/i;

/**
 * A name to save a file's mapping under, from the file name with any date or
 * trailing number dropped, so tomorrow's `orders-2026-05-02.csv` reuses it:
 * `Till Export 2026-05-01.csv` → `till-export`. Pure (path arithmetic only).
 */
export function suggestMappingName(file: string): string {
  const stem = basename(file, extname(file))
    .replace(/\d{4}[-_.]?\d{2}[-_.]?\d{2}.*$/, '')
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/-\d+$/, '')
    .replace(/^-+|-+$/g, '')
    .slice(0, 64);
  return NAME.test(stem) ? stem : 'my-mapping';
}

/** Why a name cannot be used for `--save-mapping` / `--mapping NAME`, or null when it can. */
export function mappingNameProblem(name: string): string | null {
  if (name.trim() === '') return 'Give the mapping a name.';
  if (!NAME.test(name)) return 'Use letters, digits, - and _ only (so it never reads as a file path), at most 64 characters.';
  return null;
}
