import type { CustomerField } from '../model/customer-fields.js';
import { applyTransform } from './apply-transform.js';
import type { Mapping, MultiValue } from './mapping-schema.js';

/** Every canonical field but `tags`, which is a list. */
export type ScalarField = Exclude<CustomerField, 'tags'>;

/** One row after mapping and transforms, before normalisation. Empty cells are absent, never `''`. */
export interface MappedRow {
  fields: Partial<Record<ScalarField, string>>;
  tags: string[];
  /** `source:id` pairs from an `external_ids` column. */
  identities: string[];
  attributes: Record<string, string>;
}

interface Bucket {
  rank: number;
  index: number;
  values: string[];
  extras: MultiValue['extras'];
}

/**
 * Applies a mapping to one data row: transforms each cell, resolves multi-value
 * groups (first non-empty value wins, the rest become `<field>_2`… attributes),
 * splits list cells, and fills constants where no cell gave a value. Values are
 * trimmed; empty ones are left out. Never throws; a short row reads as blanks.
 */
export function mapRow(mapping: Mapping, row: readonly string[]): MappedRow {
  const result: MappedRow = { fields: {}, tags: [], identities: [], attributes: {} };
  const buckets = new Map<ScalarField, Bucket[]>();

  for (const column of mapping.columns) {
    if (column.target.kind === 'ignore') continue;
    const raw = row[column.index] ?? '';
    const transformed = column.transform === undefined ? raw : applyTransform(column.transform, raw);
    const values = (Array.isArray(transformed) ? transformed : [transformed]).map((value) => value.trim()).filter((value) => value !== '');
    if (values.length === 0) continue;

    if (column.target.kind === 'identities') {
      for (const value of values) result.identities.push(...value.split(';').map((pair) => pair.trim()).filter((pair) => pair !== ''));
    } else if (column.target.kind === 'attribute') {
      result.attributes[column.target.name] = values.join(', ');
    } else if (column.target.field === 'tags') {
      addTags(result.tags, values);
    } else {
      const field = column.target.field;
      const list = buckets.get(field) ?? [];
      list.push({ rank: column.multi?.rank ?? 0, index: column.index, values, extras: column.multi?.extras ?? 'attribute' });
      buckets.set(field, list);
    }
  }

  for (const [field, list] of buckets) {
    list.sort((a, b) => a.rank - b.rank || a.index - b.index);
    const seen = new Set<string>();
    let extraNumber = 2;
    for (const bucket of list) {
      for (const value of bucket.values) {
        const key = value.toLowerCase();
        if (seen.has(key)) continue;
        seen.add(key);
        if (result.fields[field] === undefined) {
          result.fields[field] = value;
        } else if (bucket.extras === 'attribute') {
          result.attributes[`${field}_${extraNumber}`] = value;
          extraNumber += 1;
        }
      }
    }
  }

  for (const constant of mapping.constants) {
    if (constant.target.kind === 'attribute') {
      result.attributes[constant.target.name] ??= constant.value;
    } else if (constant.target.kind === 'field') {
      if (constant.target.field === 'tags') addTags(result.tags, [constant.value]);
      else result.fields[constant.target.field] ??= constant.value;
    }
  }
  return result;
}

function addTags(tags: string[], values: readonly string[]): void {
  for (const value of values) {
    if (!tags.some((tag) => tag.toLowerCase() === value.toLowerCase())) tags.push(value);
  }
}
