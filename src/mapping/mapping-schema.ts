import { z } from 'zod';
import { CUSTOMER_FIELDS, type CustomerField } from '../model/customer-fields.js';
import { TransformSchema, type Transform } from './apply-transform.js';
import { attributeName, headerKey } from './normalize-header.js';

/** What an import file holds. */
export const IMPORT_KINDS = ['customers', 'orders', 'interactions'] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];

/** Where one CSV column goes. */
export type ColumnTarget =
  | { kind: 'field'; field: CustomerField }
  | { kind: 'attribute'; name: string }
  /** `source:id;source:id` pairs, as custdb's own exports write them in `external_ids`. */
  | { kind: 'identities' }
  | { kind: 'ignore' };

/**
 * How a column's target was decided: `exact` (header is the field's own name),
 * `synonym` (header is a known synonym), `guess` (partial name or sample values),
 * `override` (`--map`), `preset` (a recognised platform export), `saved` (a saved mapping).
 */
export type Confidence = 'exact' | 'synonym' | 'guess' | 'override' | 'preset' | 'saved';

export interface ColumnMapping {
  /** 0-based position in the header row. */
  index: number;
  header: string;
  target: ColumnTarget;
  confidence: Confidence;
  transform?: Transform;
  multi?: MultiValue;
}

/**
 * Membership of a multi-value group (Google "E-mail 1/2/3 - Value", Outlook's phones,
 * Shopify "Province Code" then "Province"): all columns with the same field and a
 * `multi` are read in rank order; the first non-empty value becomes the field; the
 * other values become attributes `<field>_2`, `<field>_3`, … (`extras: 'attribute'`)
 * or are dropped because they restate the same fact (`extras: 'drop'`).
 */
export interface MultiValue {
  rank: number;
  extras: 'attribute' | 'drop';
}

export const MultiValueSchema = z.object({ rank: z.number().int().nonnegative(), extras: z.enum(['attribute', 'drop']) });

/** A value every row gets, whatever its cells (Mailchimp consent follows the file). */
export interface MappingConstant {
  target: ColumnTarget;
  value: string;
}

/** A resolved, position-aware mapping of one file's header. Plain data. */
export interface Mapping {
  preset: string | null;
  columns: ColumnMapping[];
  constants: MappingConstant[];
}

/**
 * The saved (JSON) form of a customers mapping, stored by `--save-mapping NAME` and read by
 * `--mapping FILE.json|NAME`. Columns are keyed by header name, never position;
 * targets are written `email`, `attr.favourite_roast` or `ignore`. `kind`, when
 * present, says which kind of file the mapping is for (a mapping is refused for another).
 */
export const MappingSchema = z.object({
  version: z.literal(1),
  kind: z.enum(IMPORT_KINDS).optional(),
  preset: z.string().optional(),
  columns: z.array(
    z.object({
      header: z.string(),
      target: z.string().refine((text) => parseTarget(text) !== null, {
        message: `target must be a customer field, attr.NAME or ignore`,
      }),
      transform: TransformSchema.optional(),
      multi: MultiValueSchema.optional(),
    }),
  ),
  constants: z.record(z.string(), z.string()).optional(),
});

export type SavedMapping = z.infer<typeof MappingSchema>;

/**
 * Reads a target as written in `--map` and saved mappings: a customer field
 * (case and punctuation forgiven: "First Name" → first_name), `attr.NAME`,
 * `external_ids` (a `source:id;…` list), or `ignore`. Returns null for anything else; never throws.
 */
export function parseTarget(text: string): ColumnTarget | null {
  const trimmed = text.trim();
  if (trimmed.toLowerCase() === 'ignore') return { kind: 'ignore' };
  if (headerKey(trimmed) === 'externalids') return { kind: 'identities' };
  const attribute = /^attr\.(.+)$/i.exec(trimmed);
  if (attribute?.[1] !== undefined) {
    return attribute[1].trim() === '' ? null : { kind: 'attribute', name: attributeName(attribute[1], 0) };
  }
  const key = headerKey(trimmed);
  const field = CUSTOMER_FIELDS.find((candidate) => headerKey(candidate) === key);
  return field === undefined ? null : { kind: 'field', field };
}

/** The written form of a target: `email`, `attr.NAME` or `ignore`. */
export function formatTarget(target: ColumnTarget): string {
  switch (target.kind) {
    case 'field':
      return target.field;
    case 'attribute':
      return `attr.${target.name}`;
    case 'identities':
      return 'external_ids';
    case 'ignore':
      return 'ignore';
  }
}

/** The saved form of a resolved mapping, ready for `JSON.stringify`; never includes positions. */
export function toSavedMapping(mapping: Mapping): SavedMapping {
  const saved: SavedMapping = {
    version: 1,
    kind: 'customers',
    columns: mapping.columns.map((column) => ({
      header: column.header,
      target: formatTarget(column.target),
      ...(column.transform === undefined ? {} : { transform: column.transform }),
      ...(column.multi === undefined ? {} : { multi: column.multi }),
    })),
  };
  if (mapping.preset !== null) saved.preset = mapping.preset;
  if (mapping.constants.length > 0) {
    saved.constants = Object.fromEntries(mapping.constants.map((constant) => [formatTarget(constant.target), constant.value]));
  }
  return saved;
}
