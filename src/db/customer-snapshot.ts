import type { Store } from './store.js';
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
  /** Counted orders (the stored metrics: src/db/customer-metrics.ts). */
  ordersCount: number;
  /** Their total in minor units; null when they are in more than one currency. */
  totalSpentMinor: number | null;
}

/** Position of a field in `CustomerExportRow.values`. */
export function valueIndex(field: keyof CustomerValues): number {
  return CUSTOMER_VALUE_FIELDS.indexOf(field) + 1;
}

const NONE: readonly string[] = [];
const NO_ATTRIBUTES: ReadonlyMap<string, string> = new Map();
const NO_ORDERS = [0, 0] as const;

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
 * One id range of active customers as the database gave them, in plain arrays. Each customer is `[id, nullBits,
 * joined]`: its values joined by U+001F and a bit per NULL value (all 0 when
 * the reader did not ask for them); or, once re-read (`CustomerSnapshot.reread`),
 * `[id, values]`.
 */
export interface CustomerChunk {
  customers: ([number, number, string] | [number, unknown[]])[];
  /** `[customer id, "source:external_id"]`, in the order they were learnt. */
  identities: [number, string][];
  tags: [number, string][];
  attributes: [number, string, string][];
  /** `[customer id, orders_count, total_spent_minor]` of the customers with stored metrics (others have none). */
  metrics: [number, number, number | null][];
}

/** Ids `(after, upTo]` of a table: what one chunk of an export reads. */
export interface IdRange {
  after: number;
  upTo: number;
}

/** The ranges covering ids 1..maxId, in order. */
export function* idRanges(maxId: number, width = CUSTOMER_RANGE_WIDTH): Generator<IdRange> {
  for (let after = 0; after < maxId; after += width) yield { after, upTo: Math.min(after + width, maxId) };
}

/**
 * The customers of a chunk, each with its values, identities, tags and
 * attributes, and the ids of customers whose joined values do not split into
 * one part per field (see `CustomerSnapshot.reread`). Pure.
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
  const metrics = new Map(chunk.metrics.map(([id, count, total]) => [id, [count, total] as const]));
  const rows: CustomerExportRow[] = [];
  const unsplittable: number[] = [];
  for (const customer of chunk.customers) {
    const id = customer[0];
    const values = customer.length === 2 ? [id, ...customer[1]] : unpackValues(id, customer[1], customer[2]);
    if (values === undefined) unsplittable.push(id);
    else {
      const [ordersCount, totalSpentMinor] = metrics.get(id) ?? NO_ORDERS;
      rows.push({ id, values, externalIds: externalIds.get(id) ?? NONE, tags: tagLists.get(id) ?? NONE, attributes: attributeMaps.get(id) ?? NO_ATTRIBUTES, ordersCount, totalSpentMinor });
    }
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

/**
 * One consistent read of every active customer, an id range at a time (an
 * export): commits made while it is open are not seen. Close it when done.
 */
export interface CustomerSnapshot {
  /** The highest customer id in the snapshot (ranges past it are empty). */
  readonly maxId: number;
  read(range: IdRange): Promise<CustomerChunk>;
  /**
   * The chunk with these customers' values read column by column: for customers
   * with a U+001F inside a value, whose joined values do not split right.
   */
  reread(chunk: CustomerChunk, ids: readonly number[]): Promise<CustomerChunk>;
  close(): Promise<void>;
}

/**
 * What another thread needs to read the same snapshot (plain data, posted to
 * a worker): see `Store.openCustomerSnapshot`'s `share` and `joinCustomerSnapshot`.
 */
export interface SnapshotToken {
  dialect: 'sqlite';
  file: string;
  nulls: boolean;
  /** An encrypted file's key, for the other thread's connection. */
  key?: { secret: Uint8Array; source: string };
}

/** In another thread: opens a reader of the snapshot `token` describes. Must be called while the sharer waits (see `share`). */
export async function joinCustomerSnapshot(token: SnapshotToken): Promise<CustomerSnapshot> {
  const { joinSqliteCustomerSnapshot } = await import('./sqlite/sqlite-customer-snapshot.js');
  return joinSqliteCustomerSnapshot(token);
}
