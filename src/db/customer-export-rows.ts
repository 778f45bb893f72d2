import type BetterSqlite3 from 'better-sqlite3';
import type { Store } from './open-store.js';
import { CUSTOMER_VALUE_FIELDS, type CustomerValues } from '../model/customer-record.js';

/**
 * One active customer with everything an export can show. `values` holds the
 * columns in CUSTOMER_VALUE_FIELDS order (see `valueIndex`): rows stay arrays,
 * because building a 22-property object per customer dominated export time.
 */
export interface CustomerExportRow {
  id: number;
  values: readonly unknown[];
  /** `source:external_id` pairs in the order they were learnt. */
  externalIds: readonly string[];
  /** Tags, sorted. */
  tags: readonly string[];
  /** Custom attributes by name. */
  attributes: ReadonlyMap<string, string>;
}

/** Position of a field in `CustomerExportRow.values`. */
export function valueIndex(field: keyof CustomerValues): number {
  return CUSTOMER_VALUE_FIELDS.indexOf(field) + 1;
}

const NONE: readonly string[] = [];
const NO_ATTRIBUTES: ReadonlyMap<string, string> = new Map();

/**
 * Customer ids per range read. A range's export text stays under V8's large-object size (128 KiB),
 * so it dies young: with 1,000 ids, JSON texts went to the old generation and raised an export's
 * peak RSS by 60 MiB and its CPU by a fifth.
 */
export const CUSTOMER_RANGE_WIDTH = 250;

/** Custom attribute names in use by active customers, sorted. */
export async function listAttributeNames(store: Store): Promise<string[]> {
  const rows = await store.db
    .selectFrom('customer_attributes')
    .innerJoin('customers', 'customers.id', 'customer_attributes.customer_id')
    .select('customer_attributes.name')
    .distinct()
    .where('customers.status', '=', 'active')
    .orderBy('customer_attributes.name')
    .execute();
  return rows.map((r) => r.name);
}

/**
 * One id range of active customers as SQLite gave them, in plain arrays. Each customer is `[id, nullBits,
 * joined]`: its values joined by U+001F and a bit per NULL value (all 0 when
 * the reader did not ask for them); or, once re-read (`rereadCustomers`),
 * `[id, values]`.
 */
export interface CustomerChunk {
  customers: ([number, number, string] | [number, unknown[]])[];
  /** `[customer id, "source:external_id"]`, in the order they were learnt. */
  identities: [number, string][];
  tags: [number, string][];
  attributes: [number, string, string][];
}

/**
 * Page cache of each reader during an export, in KiB (SQLite's negative cache_size): reading
 * in id order needs few pages at once, and the usual cache would only add to peak memory.
 */
export const EXPORT_CACHE_SIZE = -4096;

/** Ids `(after, upTo]` of a table: what one chunk of an export reads. */
export interface IdRange {
  after: number;
  upTo: number;
}

/** The ranges covering ids 1..maxId, in order. */
export function* idRanges(maxId: number, width = CUSTOMER_RANGE_WIDTH): Generator<IdRange> {
  for (let after = 0; after < maxId; after += width) yield { after, upTo: Math.min(after + width, maxId) };
}

/** The highest customer id; read first in a transaction, it also fixes that transaction's snapshot. */
export function maxCustomerId(sqlite: BetterSqlite3.Database): number {
  return Number(sqlite.prepare('SELECT coalesce(max(id), 0) FROM customers').pluck().get());
}

/**
 * Reads active customers an id range at a time, with their identities, tags
 * and attributes, from all four tables by range (no per-customer subqueries).
 * Call inside a read transaction so every range comes from one snapshot. The
 * connection may be the store's or a second one on another thread.
 */
export class CustomerRangeReader {
  private readonly customers;
  private readonly identities;
  private readonly tags;
  private readonly attributes;

  constructor(sqlite: BetterSqlite3.Database, options: { nulls: boolean }) {
    // Handing 22 separate values to JavaScript cost twice the time of the whole query; one joined string does not.
    // The NULL bits cost a third of the query, so they are left out (0: every empty value reads as '') unless asked for.
    const nullBits = options.nulls ? CUSTOMER_VALUE_FIELDS.map((field, i) => `((${field} IS NULL) << ${i})`).join(' | ') : '0';
    this.customers = sqlite
      .prepare(
        `SELECT id, ${nullBits},
           concat_ws(char(31), ${CUSTOMER_VALUE_FIELDS.map((field) => `coalesce(${field}, '')`).join(', ')})
         FROM customers WHERE id > ? AND id <= ? AND status = 'active' ORDER BY id`,
      )
      .raw();
    this.identities = sqlite
      .prepare(`SELECT customer_id, source || ':' || external_id FROM customer_identities WHERE customer_id > ? AND customer_id <= ? ORDER BY customer_id, id`)
      .raw();
    this.tags = sqlite.prepare('SELECT customer_id, tag FROM customer_tags WHERE customer_id > ? AND customer_id <= ? ORDER BY customer_id, tag').raw();
    this.attributes = sqlite
      .prepare('SELECT customer_id, name, value FROM customer_attributes WHERE customer_id > ? AND customer_id <= ? ORDER BY customer_id, name')
      .raw();
  }

  read({ after, upTo }: IdRange): CustomerChunk {
    const customers = this.customers.all(after, upTo) as [number, number, string][];
    if (customers.length === 0) return { customers, identities: [], tags: [], attributes: [] };
    return {
      customers,
      identities: this.identities.all(after, upTo) as [number, string][],
      tags: this.tags.all(after, upTo) as [number, string][],
      attributes: this.attributes.all(after, upTo) as [number, string, string][],
    };
  }
}

/**
 * A chunk with the given customers' values read column by column: for customers
 * with a U+001F inside a value, whose joined string does not split right.
 * Call inside the read transaction the chunk came from.
 */
export function rereadCustomers(store: Store, chunk: CustomerChunk, ids: readonly number[]): CustomerChunk {
  const one = store.sqlite.prepare(`SELECT ${CUSTOMER_VALUE_FIELDS.join(', ')} FROM customers WHERE id = ?`).raw();
  const reread = new Set(ids);
  return { ...chunk, customers: chunk.customers.map((customer) => (reread.has(customer[0]) ? [customer[0], one.get(customer[0]) as unknown[]] : customer)) };
}

/**
 * The customers of a chunk, each with its values, identities, tags and
 * attributes, and the ids of customers whose joined values do not split into
 * one part per field (see `rereadCustomers`). Pure.
 */
export function rowsOfChunk(chunk: CustomerChunk): { rows: CustomerExportRow[]; unsplittable: number[] } {
  const externalIds = groupByCustomer(chunk.identities);
  const tagLists = groupByCustomer(chunk.tags);
  const attributeMaps = new Map<number, Map<string, string>>();
  for (const [id, name, value] of chunk.attributes) {
    let map = attributeMaps.get(id);
    if (!map) attributeMaps.set(id, (map = new Map()));
    map.set(name, value);
  }
  const rows: CustomerExportRow[] = [];
  const unsplittable: number[] = [];
  for (const customer of chunk.customers) {
    const id = customer[0];
    const values = customer.length === 2 ? [id, ...customer[1]] : unpackValues(id, customer[1], customer[2]);
    if (values === undefined) unsplittable.push(id);
    else rows.push({ id, values, externalIds: externalIds.get(id) ?? NONE, tags: tagLists.get(id) ?? NONE, attributes: attributeMaps.get(id) ?? NO_ATTRIBUTES });
  }
  return { rows, unsplittable };
}

/** A customer's `[id, ...values]` from its joined values and NULL bits; undefined when a value holds U+001F. */
function unpackValues(id: number, nulls: number, joined: string): unknown[] | undefined {
  const parts = joined.split('\u001f');
  if (parts.length !== CUSTOMER_VALUE_FIELDS.length) return undefined;
  const values: unknown[] = [id];
  for (let i = 0; i < parts.length; i++) values.push((nulls & (1 << i)) !== 0 ? null : parts[i]);
  return values;
}

function groupByCustomer(pairs: readonly [number, string][]): Map<number, string[]> {
  const groups = new Map<number, string[]>();
  for (const [id, value] of pairs) {
    const list = groups.get(id);
    if (list) list.push(value);
    else groups.set(id, [value]);
  }
  return groups;
}
