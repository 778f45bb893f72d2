import type { CustomerField } from '../model/customer-fields.js';
import { applyTransform, isListTransform } from './apply-transform.js';
import type { ColumnMapping, Mapping, MultiValue } from './mapping-schema.js';

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
  const plan = planOf(mapping);
  const result: MappedRow = { fields: emptyFields(), tags: [], identities: [], attributes: {} };
  let buckets: Map<ScalarField, Bucket[]> | undefined;

  for (const column of plan.columns) {
    const raw = row[column.index] ?? '';
    if (column.sole !== undefined) {
      // The only column of its field, giving one value: no grouping to do (most columns of most files).
      const value = (column.transform === undefined ? raw : (applyTransform(column.transform, raw) as string)).trim();
      if (value !== '') result.fields[column.sole] = value;
      continue;
    }
    if (column.listOnly && raw.trim() === '') continue;
    const transformed = column.transform === undefined ? raw : applyTransform(column.transform, raw);
    const values = (Array.isArray(transformed) ? transformed : [transformed]).map((value) => value.trim()).filter((value) => value !== '');
    if (values.length === 0) continue;

    if (column.target.kind === 'identities') {
      for (const value of values) result.identities.push(...value.split(';').map((pair) => pair.trim()).filter((pair) => pair !== ''));
    } else if (column.target.kind === 'attribute') {
      result.attributes[column.target.name] = values.join(', ');
    } else if (column.target.kind === 'field' && column.target.field === 'tags') {
      addTags(result.tags, values);
    } else if (column.target.kind === 'field' && column.target.field !== 'tags') {
      const field = column.target.field;
      buckets ??= new Map();
      const list = buckets.get(field) ?? [];
      list.push({ rank: column.multi?.rank ?? 0, index: column.index, values, extras: column.multi?.extras ?? 'attribute' });
      buckets.set(field, list);
    }
  }

  for (const [field, list] of buckets ?? []) {
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

/**
 * Every scalar field present but undefined, in one literal: rows then share one
 * object shape, and setting or reading a field by name stays a fast property
 * access (objects grown key by key in varying orders fall back to slow lookups).
 */
function emptyFields(): MappedRow['fields'] {
  return {
    external_id: undefined,
    first_name: undefined,
    last_name: undefined,
    full_name: undefined,
    email: undefined,
    phone: undefined,
    company: undefined,
    job_title: undefined,
    address_line1: undefined,
    address_line2: undefined,
    city: undefined,
    region: undefined,
    postal_code: undefined,
    country: undefined,
    birth_date: undefined,
    gender: undefined,
    occupation: undefined,
    income: undefined,
    email_consent: undefined,
    sms_consent: undefined,
    notes: undefined,
    signup_date: undefined,
  };
}

/**
 * A mapping's columns as mapRow walks them: ignored ones left out; `sole` marks the
 * only column of its field when it gives one value; `listOnly` a column whose blank
 * cell can give nothing (no transform, or a list transform).
 */
interface RowPlan {
  columns: (ColumnMapping & { sole?: ScalarField; listOnly: boolean })[];
}

const plans = new WeakMap<Mapping, RowPlan>();

/** Worked out once per mapping (a file's rows share one), not once per row. */
function planOf(mapping: Mapping): RowPlan {
  let plan = plans.get(mapping);
  if (plan) return plan;
  const perField = new Map<string, number>();
  for (const column of mapping.columns) {
    if (column.target.kind === 'field') perField.set(column.target.field, (perField.get(column.target.field) ?? 0) + 1);
  }
  const columns = mapping.columns
    .filter((column) => column.target.kind !== 'ignore')
    .map((column) => {
      const target = column.target;
      const listOnly = column.transform === undefined || isListTransform(column.transform);
      const lone = target.kind === 'field' && target.field !== 'tags' && !isListTransform(column.transform) && perField.get(target.field) === 1;
      return lone ? { ...column, sole: target.field as ScalarField, listOnly } : { ...column, listOnly };
    });
  plan = { columns };
  plans.set(mapping, plan);
  return plan;
}

function addTags(tags: string[], values: readonly string[]): void {
  for (const value of values) {
    if (!tags.some((tag) => tag.toLowerCase() === value.toLowerCase())) tags.push(value);
  }
}
