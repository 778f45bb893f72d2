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

/** Customers read per round trip: bounds memory while keeping the side-table reads sequential. */
const CHUNK = 1000;

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
 * Streams active customers in id order with their identities, tags and
 * attributes, reading all four tables in id ranges (no per-customer
 * subqueries) inside one read transaction, so the export is one consistent
 * snapshot while writers carry on. Memory is bounded by one chunk.
 */
export function* iterateCustomersForExport(store: Store): Generator<CustomerExportRow> {
  const sqlite = store.sqlite;
  // Each customer comes back as one string of its values joined by U+001F, plus a bit per NULL value:
  // handing 22 separate values to JavaScript cost twice the time of the whole query.
  const customers = sqlite
    .prepare(
      `SELECT id, ${CUSTOMER_VALUE_FIELDS.map((field, i) => `((${field} IS NULL) << ${i})`).join(' | ')},
         concat_ws(char(31), ${CUSTOMER_VALUE_FIELDS.map((field) => `coalesce(${field}, '')`).join(', ')})
       FROM customers WHERE status = 'active' AND id > ? ORDER BY id LIMIT ${CHUNK}`,
    )
    .raw();
  const oneCustomer = sqlite.prepare(`SELECT id, ${CUSTOMER_VALUE_FIELDS.join(', ')} FROM customers WHERE id = ?`).raw();
  const identities = sqlite
    .prepare(`SELECT customer_id, source || ':' || external_id FROM customer_identities WHERE customer_id > ? AND customer_id <= ? ORDER BY customer_id, id`)
    .raw();
  const tags = sqlite.prepare('SELECT customer_id, tag FROM customer_tags WHERE customer_id > ? AND customer_id <= ? ORDER BY customer_id, tag').raw();
  const attributes = sqlite
    .prepare('SELECT customer_id, name, value FROM customer_attributes WHERE customer_id > ? AND customer_id <= ? ORDER BY customer_id, name')
    .raw();

  const ownTransaction = !sqlite.inTransaction;
  if (ownTransaction) sqlite.exec('BEGIN');
  try {
    let after = 0;
    for (;;) {
      const packed = customers.all(after) as [number, number, string][];
      if (packed.length === 0) return;
      const last = packed[packed.length - 1]![0];
      const rows = packed.map(([id, nulls, joined]) => unpackValues(id, nulls, joined) ?? (oneCustomer.get(id) as unknown[]));
      const externalIds = groupByCustomer(identities.all(after, last) as [number, string][]);
      const tagLists = groupByCustomer(tags.all(after, last) as [number, string][]);
      const attributeMaps = new Map<number, Map<string, string>>();
      for (const [id, name, value] of attributes.all(after, last) as [number, string, string][]) {
        let map = attributeMaps.get(id);
        if (!map) attributeMaps.set(id, (map = new Map()));
        map.set(name, value);
      }
      for (const row of rows) {
        const id = row[0] as number;
        yield { id, values: row, externalIds: externalIds.get(id) ?? NONE, tags: tagLists.get(id) ?? NONE, attributes: attributeMaps.get(id) ?? NO_ATTRIBUTES };
      }
      after = last;
    }
  } finally {
    if (ownTransaction && sqlite.inTransaction) sqlite.exec('COMMIT');
  }
}

/** A customer's `[id, ...values]` from its joined values; undefined when a value itself holds U+001F. */
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
