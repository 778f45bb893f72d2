import { MissingColumnError, UsageError } from '../errors.js';
import { parseMapOptions, type MappingRequest, type MappingSummary } from '../import/resolve-mapping.js';
import { getPreset, PRESETS, type Preset } from '../mapping/presets.js';
import { formatRecordTarget, mappedFields, type RecordMapping, type RecordMappingResult } from '../mapping/map-record-columns.js';
import { recognizeOrderPreset } from './map-order-columns.js';

/**
 * The parts of an orders or interactions import that are the same as a
 * customers import's: reading the head of the file, deciding the mapping
 * and the date order, and where rejects go.
 */

export interface ResolvedRecordMapping<F extends string> {
  mapping: RecordMapping<F>;
  source: string | null;
  notes: string[];
}

/**
 * Decides where each column goes for an orders/interactions file: `--preset`
 * (or a recognised export of that kind), else synonyms, with `--map` on top.
 * `requirements` lists the fields the import cannot do without (any one of
 * each group). Throws UsageError / MissingColumnError (exit 2) naming the fix.
 */
export function resolveRecordMapping<F extends string>(
  kind: 'orders' | 'interactions',
  header: readonly string[],
  request: MappingRequest,
  map: (header: readonly string[], options: { overrides: Record<string, string>; preset: Preset | null }) => RecordMappingResult<F>,
  requirements: readonly { fields: readonly F[]; what: string }[],
): ResolvedRecordMapping<F> {
  if (request.mapping !== undefined || request.saveMapping !== undefined) {
    throw new UsageError(`--mapping and --save-mapping work for customers files only in this version.`, {
      hint: `Say where the columns of a ${kind} file go with --map "COLUMN=FIELD" (repeatable).`,
    });
  }
  const notes: string[] = [];
  let preset: Preset | null = null;
  if (request.preset !== undefined && request.preset !== 'auto') {
    preset = getPreset(request.preset);
    const fitting = PRESETS.filter((p) => p.kind === kind).map((p) => p.name);
    if (!preset || preset.kind !== kind) {
      throw new UsageError(
        preset ? `The preset ${preset.name} is for ${preset.kind} files, not ${kind}.` : `There is no preset called ${request.preset}.`,
        { hint: fitting.length > 0 ? `Presets for ${kind}: ${fitting.join(', ')}.` : `There are no presets for ${kind}: leave --preset out.` },
      );
    }
  } else {
    const recognition = recognizeOrderPreset(header, kind);
    preset = recognition.preset;
    if (recognition.note) notes.push(recognition.note);
  }

  const mapped = map(header, { overrides: parseMapOptions(request.maps), preset });
  if (!mapped.ok) throw new UsageError(mapped.message, { hint: mapped.hint });
  notes.push(...mapped.notes);

  const present = mappedFields(mapped.mapping);
  for (const requirement of requirements) {
    if (requirement.fields.some((field) => present.has(field))) continue;
    const lacks = preset ? ` (${preset.label} files do not have one: export with a column that does, or add it)` : '';
    throw new MissingColumnError(`${kind === 'orders' ? 'An orders' : 'An interactions'} file needs a column for ${requirement.what}; none was recognised${lacks}. Columns found: ${header.join(', ')}.`, {
      hint: `Say which column holds it with --map "COLUMN=${requirement.fields[0] ?? ''}" (fields: ${requirement.fields.join(', ')}).`,
    });
  }
  return { mapping: mapped.mapping, source: preset?.source ?? null, notes };
}

export function describeRecordMapping<F extends string>(mapping: RecordMapping<F>): MappingSummary[] {
  return mapping.columns.map((c) => ({ column: c.header, target: formatRecordTarget(c.target), confidence: c.confidence }));
}

/** The header positions of the columns mapped to `dateFields`: the values that decide the file's day/month order. */
export function recordDateColumns<F extends string>(mapping: RecordMapping<F>, dateFields: readonly F[]): number[] {
  return mapping.columns.filter((c) => c.target.kind === 'field' && dateFields.includes(c.target.field)).map((c) => c.index);
}
