export interface CleanHeader {
  names: string[];
  warnings: string[];
}

/**
 * Turns a header record into usable, unique column names: trims, drops a
 * leftover BOM, collapses inner whitespace (line breaks included); a blank
 * cell becomes `column_N` (N = 1-based position) and a repeated name (compared
 * case-insensitively) becomes `Name_2`, `Name_3`, … Never throws; each change
 * of that kind comes with a warning.
 *
 * @example cleanHeader(['Email', ' ', 'email']) // names: ['Email', 'column_2', 'email_2']
 */
export function cleanHeader(cells: readonly string[]): CleanHeader {
  const warnings: string[] = [];
  const tidy = cells.map((cell) => cell.replace(/\uFEFF/g, '').replace(/\s+/g, ' ').trim());
  const taken = new Set(tidy.filter((name) => name !== '').map((name) => name.toLowerCase()));
  const seen = new Set<string>();
  const names = tidy.map((name, index) => {
    const position = index + 1;
    if (name === '') {
      const generated = firstFree(`column_${position}`, taken);
      warnings.push(`column ${position} has no name; it is called "${generated}"`);
      return generated;
    }
    const key = name.toLowerCase();
    if (!seen.has(key)) {
      seen.add(key);
      return name;
    }
    const generated = firstFree(name, taken, 2);
    warnings.push(`column ${position} repeats the name "${name}"; it is called "${generated}"`);
    return generated;
  });
  return { names, warnings };
}

/** `base` (or `base_N` from `from` on) if no column uses it yet; marks it used. */
function firstFree(base: string, taken: Set<string>, from?: number): string {
  let candidate = from === undefined ? base : `${base}_${from}`;
  let suffix = from ?? 1;
  while (taken.has(candidate.toLowerCase())) {
    suffix++;
    candidate = `${base}_${suffix}`;
  }
  taken.add(candidate.toLowerCase());
  return candidate;
}
