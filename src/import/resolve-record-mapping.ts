import type { Store } from '../db/store.js';
import type { KindMapping } from './run-import.js';
import { MissingColumnError, UsageError } from '../errors.js';
import {
  formatRecordTarget,
  mappedFields,
  savedRecordMappingSchema,
  toSavedRecordMapping,
  type RecordMapOptions,
  type RecordMapping,
  type RecordMappingResult,
  type SavedRecordMapping,
  type Vocabulary,
} from '../mapping/map-record-columns.js';
import { getPreset, PRESETS, type Preset } from '../mapping/presets.js';
import { recognizeRecordPreset } from '../mapping/recognize-preset.js';
import { parseMapOptions, type MappingRequest, type MappingSummary } from './resolve-mapping.js';
import { loadSavedMapping } from './saved-mappings.js';

export interface ResolvedRecordMapping<F extends string> {
  mapping: RecordMapping<F>;
  source: string | null;
  /** The saved form, when `--save-mapping` asked for it to be stored. */
  toSave: { name: string; mapping: SavedRecordMapping } | null;
  notes: string[];
}

/** What an orders or interactions file is mapped with: its vocabulary, its mapping function, and the fields it cannot do without (any one of each group). */
export interface RecordKind<F extends string> {
  vocabulary: Vocabulary<F> & { kind: 'orders' | 'interactions' };
  map: (header: readonly string[], options: RecordMapOptions) => RecordMappingResult<F>;
  requirements: readonly { fields: readonly F[]; what: string }[];
}

/**
 * Decides where each column goes for an orders/interactions file: a saved
 * mapping or file (`--mapping`), else `--preset` (or a recognised export of
 * that kind), else synonyms, with `--map` on top; `--save-mapping` gives the
 * saved form to store. Throws UsageError / MissingColumnError / NotFoundError
 * (exit 2) naming the fix: unknown preset, bad `--map`, a mapping that is not
 * there or is for another kind of file, a required field with no column.
 */
export async function resolveRecordMapping<F extends string>(store: Store, header: readonly string[], request: MappingRequest, kind: RecordKind<F>): Promise<ResolvedRecordMapping<F>> {
  const name = kind.vocabulary.kind;
  const notes: string[] = [];
  const saved =
    request.mapping === undefined
      ? undefined
      : await loadSavedMapping(store, request.mapping, name, savedRecordMappingSchema(kind.vocabulary), `{"version": 1, "kind": "${name}", "columns": [{"header": "Date", "target": "${kind.requirements[0]?.fields[0] ?? 'ignore'}"}]}`);
  let preset: Preset | null = null;
  if (request.preset !== undefined && request.preset !== 'auto') {
    preset = getPreset(request.preset);
    const fitting = PRESETS.filter((p) => p.kind === name).map((p) => p.name);
    if (!preset || preset.kind !== name) {
      throw new UsageError(
        preset ? `The preset ${preset.name} is for ${preset.kind} files, not ${name}.` : `There is no preset called ${request.preset}.`,
        { hint: fitting.length > 0 ? `Presets for ${name}: ${fitting.join(', ')}.` : `There are no presets for ${name}: leave --preset out.` },
      );
    }
  } else if (saved === undefined) {
    const recognition = recognizeRecordPreset(header, name);
    preset = recognition.preset;
    if (recognition.note) notes.push(recognition.note);
  }

  const mapped = kind.map(header, { overrides: parseMapOptions(request.maps), preset, ...(saved === undefined ? {} : { saved }) });
  if (!mapped.ok) throw new UsageError(mapped.message, { hint: mapped.hint });
  notes.push(...mapped.notes);

  const present = mappedFields(mapped.mapping);
  for (const requirement of kind.requirements) {
    if (requirement.fields.some((field) => present.has(field))) continue;
    const lacks = preset ? ` (${preset.label} files do not have one: export with a column that does, or add it)` : '';
    throw new MissingColumnError(`${name === 'orders' ? 'An orders' : 'An interactions'} file needs a column for ${requirement.what}; none was recognised${lacks}. Columns found: ${header.join(', ')}.`, {
      hint: `Say which column holds it with --map "COLUMN=${requirement.fields[0] ?? ''}" (fields: ${requirement.fields.join(', ')}).`,
    });
  }
  return {
    mapping: mapped.mapping,
    source: preset?.source ?? null,
    toSave: request.saveMapping ? { name: request.saveMapping, mapping: toSavedRecordMapping(mapped.mapping, name) } : null,
    notes,
  };
}

export function describeRecordMapping<F extends string>(mapping: RecordMapping<F>): MappingSummary[] {
  return mapping.columns.map((c) => ({ column: c.header, target: formatRecordTarget(c.target), confidence: c.confidence }));
}

/** The header positions of the columns mapped to `dateFields`: the values that decide the file's day/month order. */
export function recordDateColumns<F extends string>(mapping: RecordMapping<F>, dateFields: readonly F[]): number[] {
  return mapping.columns.filter((c) => c.target.kind === 'field' && dateFields.includes(c.target.field)).map((c) => c.index);
}

/**
 * An orders or interactions file's mapping as the import pipeline takes it: resolved as
 * `resolveRecordMapping` does, described, with the columns of `dateFields` for the day/month decision.
 */
export async function resolveRecordKindMapping<F extends string>(
  store: Store,
  header: readonly string[],
  request: MappingRequest,
  kind: RecordKind<F>,
  dateFields: readonly F[],
): Promise<KindMapping<RecordMapping<F>>> {
  const resolved = await resolveRecordMapping(store, header, request, kind);
  return {
    mapping: resolved.mapping,
    source: resolved.source,
    preset: resolved.mapping.preset,
    summary: describeRecordMapping(resolved.mapping),
    dateColumns: recordDateColumns(resolved.mapping, dateFields),
    notes: resolved.notes,
    toSave: resolved.toSave,
  };
}
