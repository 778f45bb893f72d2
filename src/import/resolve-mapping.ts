import type { Store } from '../db/store.js';
import { MissingColumnError, UsageError } from '../errors.js';
import { mapColumns, type UnplacedColumn } from '../mapping/map-columns.js';
import { MappingSchema, formatTarget, toSavedMapping, type Mapping, type SavedMapping } from '../mapping/mapping-schema.js';
import { getPreset, PRESETS, type Preset } from '../mapping/presets.js';
import { recognizePreset } from '../mapping/recognize-preset.js';
import { IDENTIFYING_FIELDS } from '../model/customer-fields.js';
import { loadSavedMapping } from './saved-mappings.js';

const MAPPING_EXAMPLE = '{"version": 1, "columns": [{"header": "E-mail", "target": "email"}]}';

export interface MappingRequest {
  /** `--preset NAME`, or 'auto' / undefined to recognise the export by its header. */
  preset?: string;
  /** `--map "CSV column=field"`, repeatable. */
  maps: string[];
  /** `--mapping FILE.json` or the name of a mapping saved with `--save-mapping`. */
  mapping?: string;
  /** `--save-mapping NAME`: store the mapping used under this name. */
  saveMapping?: string;
  ignoreUnmapped: boolean;
}

export interface ResolvedMapping {
  mapping: Mapping;
  /** The preset's source (shopify, square…), when a preset was used. */
  source: string | null;
  /** The saved form, when `--save-mapping` asked for it to be stored. */
  toSave: { name: string; mapping: SavedMapping } | null;
  unplaced: UnplacedColumn[];
  notes: string[];
}

/** One line per column for summaries and --json: where it went and how sure custdb is. */
export interface MappingSummary {
  column: string;
  target: string;
  confidence: string;
}

/**
 * Decides where each column goes: a saved mapping or file (`--mapping`), else
 * a named or recognised platform preset, else header synonyms — with `--map`
 * overrides on top. Throws UsageError / MissingColumnError (exit 2) naming
 * the fix when the request cannot work: unknown preset, bad `--map`, no
 * column that identifies a customer.
 */
export async function resolveMapping(
  store: Store,
  header: readonly string[],
  samples: readonly (readonly string[])[],
  request: MappingRequest,
): Promise<ResolvedMapping> {
  const notes: string[] = [];
  const saved = request.mapping === undefined ? undefined : await loadSavedMapping(store, request.mapping, 'customers', MappingSchema, MAPPING_EXAMPLE);

  let preset: Preset | null = null;
  if (request.preset !== undefined && request.preset !== 'auto') {
    preset = getPreset(request.preset);
    if (!preset) {
      throw new UsageError(`There is no preset called ${request.preset}.`, {
        hint: `Presets: ${PRESETS.map((p) => p.name).join(', ')} (see "custdb import --list-presets").`,
      });
    }
  } else if (saved === undefined) {
    const recognition = recognizePreset(header);
    if (recognition.best && !recognition.weak) {
      preset = recognition.best.preset;
      notes.push(`recognised: ${preset.label} (${Math.round(recognition.best.score * 100)}% of its columns match)`);
    } else if (recognition.best) {
      notes.push(
        `the header looks a little like ${recognition.best.preset.label} (${Math.round(recognition.best.score * 100)}%), not enough to be sure; use --preset ${recognition.best.preset.name} to apply it`,
      );
    }
  }
  if (preset && preset.kind !== 'customers') {
    throw new UsageError(`${preset.label} files hold ${preset.kind}, not customers.`, {
      hint: `Import it with --as ${preset.kind} (or without --as: custdb recognises it).`,
    });
  }

  const overrides = parseMapOptions(request.maps);
  // custdb's own export: `id` is that database's row number, not an identity; `external_ids` carries the identities.
  if (header.includes('external_ids') && header.includes('id') && overrides.id === undefined) overrides.id = 'ignore';
  const mapped = mapColumns(header, { overrides, saved, preset, ignoreUnmapped: request.ignoreUnmapped, samples });
  if (!mapped.ok) {
    const first = mapped.errors[0]!;
    throw new UsageError(mapped.errors.map((e) => e.message).join(' '), { hint: first.hint });
  }
  notes.push(...mapped.warnings);

  const identifying = mapped.mapping.columns.some(
    (c) => c.target.kind === 'field' && (IDENTIFYING_FIELDS as readonly string[]).includes(c.target.field),
  );
  if (!identifying) {
    const placeable = mapped.unplaced.map((u) => u.header);
    throw new MissingColumnError(
      `No column identifies a customer: custdb needs at least one of email, phone, a name or an external id. Columns found: ${header.join(', ')}.`,
      {
        hint: `Say which column holds what, e.g. --map "${placeable[0] ?? header[0] ?? 'Column'}=email" (fields: ${IDENTIFYING_FIELDS.join(', ')}).`,
      },
    );
  }
  const guessed = mapped.unplaced.filter((u) => u.reason === 'guessed');
  if (guessed.length > 0) {
    notes.push(`guessed ${guessed.map((u) => `${u.header} → ${formatTarget(u.target)}`).join(', ')}; check them, or fix with --map`);
  }

  return {
    mapping: mapped.mapping,
    source: preset?.source ?? null,
    toSave: request.saveMapping ? { name: request.saveMapping, mapping: toSavedMapping(mapped.mapping) } : null,
    unplaced: mapped.unplaced,
    notes,
  };
}

export function describeMapping(mapping: Mapping): MappingSummary[] {
  return mapping.columns.map((c) => ({ column: c.header, target: formatTarget(c.target), confidence: c.confidence }));
}

/** `--map "E-mail Address=email"` → { 'E-mail Address': 'email' }; the last `=` separates, so column names may contain one. */
export function parseMapOptions(maps: readonly string[]): Record<string, string> {
  const overrides: Record<string, string> = {};
  for (const map of maps) {
    const at = map.lastIndexOf('=');
    if (at <= 0 || at === map.length - 1) {
      throw new UsageError(`--map "${map}" is not in the form "CSV column=field".`, {
        hint: 'For example: --map "E-mail Address=email" or --map "Loyalty Tier=attr.tier" or --map "Internal=ignore".',
      });
    }
    overrides[map.slice(0, at).trim()] = map.slice(at + 1).trim();
  }
  return overrides;
}
