import { z } from 'zod';
import { applyTransform, TransformSchema, type Transform } from './apply-transform.js';
import { IMPORT_KINDS, type Confidence, type ImportKind } from './mapping-schema.js';
import { comparableHeader, headerKey } from './normalize-header.js';
import { findColumn } from './map-columns.js';
import { matchPresetColumn, type Preset } from './presets.js';
import { stripExcelApostrophe } from '../normalize/clean-cell.js';

/**
 * Column mapping for files that are not customer lists (orders,
 * interactions): each column goes to one field of the kind's own vocabulary,
 * or nowhere. Unlike customers there are no custom attributes, so a column
 * nothing claims is ignored (and listed as such).
 */
export type RecordColumnTarget<F extends string> = { kind: 'field'; field: F } | { kind: 'ignore' };

export interface RecordColumn<F extends string> {
  index: number;
  header: string;
  target: RecordColumnTarget<F>;
  confidence: Confidence;
  transform?: Transform;
  /** Columns sending the same field: the first non-empty value, in rank order, wins (Shopify "Phone" before "Billing Phone"). */
  rank: number;
}

export interface RecordMapping<F extends string> {
  preset: string | null;
  columns: RecordColumn<F>[];
}

/** A kind's field names and the header synonyms of each (compared through `headerKey`). */
export interface Vocabulary<F extends string> {
  kind: ImportKind;
  fields: readonly F[];
  synonyms: Readonly<Record<F, { strong: readonly string[]; weak: readonly string[] }>>;
  /** Transform a column gets when mapped by synonym (ids and phones lose Excel's apostrophe anyway). */
  defaultTransform?: (field: F) => Transform | undefined;
}

/**
 * The saved (JSON) form of an orders or interactions mapping, stored by
 * `--save-mapping NAME` and read by `--mapping FILE.json|NAME`, like a
 * customers mapping: columns keyed by header name, never position, each to a
 * field of the kind or `ignore`; `transform` and `rank` as a preset gave them.
 *
 * @example {"version": 1, "kind": "orders", "columns": [{"header": "Bon", "target": "order_id"}, {"header": "Kunde", "target": "email"}]}
 */
export interface SavedRecordMapping {
  version: 1;
  kind?: ImportKind;
  preset?: string;
  columns: { header: string; target: string; transform?: Transform; rank?: number }[];
}

/** The zod schema of a saved mapping for `vocabulary`'s kind: every target must be one of its fields, or ignore. */
export function savedRecordMappingSchema<F extends string>(vocabulary: Pick<Vocabulary<F>, 'kind' | 'fields'>): z.ZodType<SavedRecordMapping> {
  return z.object({
    version: z.literal(1),
    kind: z.enum(IMPORT_KINDS).optional(),
    preset: z.string().optional(),
    columns: z.array(
      z.object({
        header: z.string(),
        target: z.string().refine((text) => parseRecordTarget(text, vocabulary.fields) !== null, {
          message: `target must be one of the ${vocabulary.kind} fields (${vocabulary.fields.join(', ')}) or ignore`,
        }),
        transform: TransformSchema.optional(),
        rank: z.number().int().nonnegative().optional(),
      }),
    ),
  });
}

/** The saved form of a resolved mapping, ready for `JSON.stringify`; never includes positions. */
export function toSavedRecordMapping<F extends string>(mapping: RecordMapping<F>, kind: ImportKind): SavedRecordMapping {
  const saved: SavedRecordMapping = {
    version: 1,
    kind,
    columns: mapping.columns.map((column) => ({
      header: column.header,
      target: formatRecordTarget(column.target),
      ...(column.transform === undefined ? {} : { transform: column.transform }),
      ...(column.rank === 0 ? {} : { rank: column.rank }),
    })),
  };
  if (mapping.preset !== null) saved.preset = mapping.preset;
  return saved;
}

export type RecordMappingResult<F extends string> =
  | { ok: true; mapping: RecordMapping<F>; notes: string[] }
  | { ok: false; message: string; hint: string };

interface Claim<F extends string> {
  column: RecordColumn<F>;
  priority: number;
}

const PRIORITY = { override: 0, saved: 1, preset: 2, exact: 3, strong: 4, weak: 5 } as const;

/** How to map a record file's columns besides synonyms: `--map` overrides, a saved mapping, a preset. */
export interface RecordMapOptions {
  overrides?: Readonly<Record<string, string>>;
  /** A saved mapping (`--mapping`), already checked against the kind's fields, matched to the header by column name. */
  saved?: SavedRecordMapping;
  preset?: Preset | null;
}

/**
 * Maps each column of `header` to a field of `vocabulary` or to `ignore`.
 * Precedence: `overrides` (`--map`), then the saved mapping, then the preset,
 * then synonyms (a header that is the field's own name, then strong synonyms,
 * then weak ones). Two columns claiming one field: the stronger claim wins
 * (ties: the first column) and the other is ignored with a note — except
 * preset or saved columns, which may share a field by rank. Pure; errors are
 * returned, not thrown.
 */
export function mapRecordColumns<F extends string>(header: readonly string[], vocabulary: Vocabulary<F>, options: RecordMapOptions = {}): RecordMappingResult<F> {
  const notes: string[] = [];
  const overrideTargets = new Map<number, RecordColumnTarget<F>>();
  for (const [column, text] of Object.entries(options.overrides ?? {})) {
    const index = findColumn(header, column);
    if (index === -1) {
      return { ok: false, message: `--map names column "${column}", which this file does not have.`, hint: `Columns found: ${header.join(', ')}.` };
    }
    const target = parseRecordTarget(text, vocabulary.fields);
    if (target === null) {
      return {
        ok: false,
        message: `--map "${column}=${text}": "${text}" is not one of the ${vocabulary.kind} fields.`,
        hint: `Use one of: ${[...vocabulary.fields, 'ignore'].join(', ')}.`,
      };
    }
    overrideTargets.set(index, target);
  }

  const synonymIndex = buildSynonymIndex(vocabulary);
  const savedColumns = new Map<string, SavedRecordMapping['columns']>();
  for (const column of options.saved?.columns ?? []) {
    const key = comparableHeader(column.header);
    savedColumns.set(key, [...(savedColumns.get(key) ?? []), column]);
  }
  const claims: Claim<F>[] = header.map((name, index) => {
    const override = overrideTargets.get(index);
    if (override !== undefined) return { column: { index, header: name, target: override, confidence: 'override', rank: 0 }, priority: PRIORITY.override };
    const saved = savedColumns.get(comparableHeader(name))?.shift();
    if (saved !== undefined) {
      const column: RecordColumn<F> = { index, header: name, target: parseRecordTarget(saved.target, vocabulary.fields) ?? { kind: 'ignore' }, confidence: 'saved', rank: saved.rank ?? 0 };
      if (saved.transform !== undefined) column.transform = saved.transform;
      return { column, priority: PRIORITY.saved };
    }
    if (options.preset) {
      const match = matchPresetColumn(options.preset, name);
      const target = match === null ? null : parseRecordTarget(match.column.target, vocabulary.fields);
      if (match !== null && target !== null) {
        const column: RecordColumn<F> = { index, header: name, target, confidence: 'preset', rank: match.column.multi?.rank ?? 0 };
        if (match.column.transform !== undefined) column.transform = match.column.transform;
        return { column, priority: PRIORITY.preset };
      }
      // A preset knows its platform: a column it does not list is not guessed at.
      return { column: { index, header: name, target: { kind: 'ignore' }, confidence: 'preset', rank: 0 }, priority: PRIORITY.preset };
    }
    const hit = synonymIndex.get(headerKey(name));
    if (hit === undefined) return { column: { index, header: name, target: { kind: 'ignore' }, confidence: 'guess', rank: 0 }, priority: 99 };
    const column: RecordColumn<F> = { index, header: name, target: { kind: 'field', field: hit.field }, confidence: hit.strength === 'exact' ? 'exact' : 'synonym', rank: 0 };
    const transform = vocabulary.defaultTransform?.(hit.field);
    if (transform !== undefined) column.transform = transform;
    return { column, priority: PRIORITY[hit.strength] };
  });

  for (const [name, rest] of savedColumns) {
    if (rest.length > 0) notes.push(`The saved mapping names column "${rest[0]?.header ?? name}", which this file does not have.`);
  }

  const byField = new Map<F, Claim<F>[]>();
  for (const claim of claims) {
    if (claim.column.target.kind !== 'field') continue;
    const list = byField.get(claim.column.target.field) ?? [];
    list.push(claim);
    byField.set(claim.column.target.field, list);
  }
  for (const [field, contenders] of byField) {
    if (contenders.length < 2) continue;
    const ranked = [...contenders].sort((a, b) => a.priority - b.priority || a.column.index - b.column.index);
    const winner = ranked[0]!;
    for (const loser of ranked.slice(1)) {
      // A preset (or a mapping saved from one) lists the columns that share a field, by rank.
      if (loser.priority === winner.priority && (winner.priority === PRIORITY.preset || winner.priority === PRIORITY.saved)) continue;
      if (loser.priority === PRIORITY.override && winner.priority === PRIORITY.override) {
        return { ok: false, message: `--map sends both "${winner.column.header}" and "${loser.column.header}" to ${field}.`, hint: 'Map one of them to ignore instead.' };
      }
      loser.column.target = { kind: 'ignore' };
      notes.push(`columns "${winner.column.header}" and "${loser.column.header}" both look like ${field}; using "${winner.column.header}" (use --map to choose)`);
    }
  }
  return { ok: true, mapping: { preset: options.saved?.preset ?? options.preset?.name ?? null, columns: claims.map((c) => c.column) }, notes };
}

/** `order_id`, `Order ID`, `ignore` → a target of the vocabulary; null for anything else. */
export function parseRecordTarget<F extends string>(text: string, fields: readonly F[]): RecordColumnTarget<F> | null {
  const trimmed = text.trim();
  if (trimmed.toLowerCase() === 'ignore') return { kind: 'ignore' };
  const key = headerKey(trimmed);
  const field = fields.find((candidate) => headerKey(candidate) === key);
  return field === undefined ? null : { kind: 'field', field };
}

export function formatRecordTarget<F extends string>(target: RecordColumnTarget<F>): string {
  return target.kind === 'field' ? target.field : 'ignore';
}

/** Fields a mapping fills, in the vocabulary's order. */
export function mappedFields<F extends string>(mapping: RecordMapping<F>): Set<F> {
  return new Set(mapping.columns.flatMap((c) => (c.target.kind === 'field' ? [c.target.field] : [])));
}

/**
 * Builds a function reading one data row into its fields: cells trimmed,
 * Excel's protective apostrophe and the column's transform applied, empty
 * values left out; where several columns send one field, the first non-empty
 * value in rank order wins. The returned reader is pure and never throws.
 */
export function makeRecordReader<F extends string>(mapping: RecordMapping<F>): (cells: readonly string[]) => Partial<Record<F, string>> {
  const active = mapping.columns
    .filter((c): c is RecordColumn<F> & { target: { kind: 'field'; field: F } } => c.target.kind === 'field')
    .sort((a, b) => a.rank - b.rank || a.index - b.index)
    .map((c) => ({ index: c.index, field: c.target.field, transform: c.transform }));
  return (cells) => {
    const fields: Partial<Record<F, string>> = {};
    for (const column of active) {
      if (fields[column.field] !== undefined) continue;
      const raw = cells[column.index];
      if (raw === undefined || raw === '') continue;
      let value = stripExcelApostrophe(raw.trim()).trim();
      if (column.transform !== undefined && column.transform.kind !== 'strip-apostrophe') {
        const transformed = applyTransform(column.transform, value);
        value = (Array.isArray(transformed) ? transformed.join(', ') : transformed).trim();
      }
      if (value !== '') fields[column.field] = value;
    }
    return fields;
  };
}

interface SynonymHit<F extends string> {
  field: F;
  strength: 'exact' | 'strong' | 'weak';
}

function buildSynonymIndex<F extends string>(vocabulary: Vocabulary<F>): Map<string, SynonymHit<F>> {
  const index = new Map<string, SynonymHit<F>>();
  for (const field of vocabulary.fields) index.set(headerKey(field), { field, strength: 'exact' });
  for (const strength of ['strong', 'weak'] as const) {
    for (const field of vocabulary.fields) {
      for (const synonym of vocabulary.synonyms[field][strength]) {
        const key = headerKey(synonym);
        if (!index.has(key)) index.set(key, { field, strength });
      }
    }
  }
  return index;
}

