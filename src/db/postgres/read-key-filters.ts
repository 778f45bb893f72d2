import type pg from 'pg';
import { KeyFilter } from '../key-filter.js';
import { identityKey } from './customer-memory.js';

/** Below this many rows per existing customer, reading every key into a filter costs more than it saves (as on SQLite). */
const FILTER_MIN_SHARE = 1 / 8;
/** Keys read per query: a page of the table, not all of it at once. */
const PAGE = 50_000;
/**
 * Filters are sized for this many times their keys (40 bits a key, under 0.01% false "maybe"s rather than
 * about 1%): a "maybe" costs a query, which waits for any write under way, and a chunk asks about hundreds
 * of keys. The memory is small next to the rows a chunk holds.
 */
const ROOMY = 4;

/**
 * A filter of every email, phone and identity the customers table holds
 * (keys as CustomerMemory spells them: `e…`, `p…`, `i…`), when an import of
 * `expectedRows` is large next to the table (`existing` customers); undefined
 * otherwise, and every key is then asked of the table. An empty table needs
 * no reading at all.
 */
export async function readCustomerKeys(client: pg.ClientBase, existing: number, expectedRows: number): Promise<KeyFilter | undefined> {
  if (expectedRows === 0 || expectedRows < existing * FILTER_MIN_SHARE) return undefined;
  const filter = new KeyFilter(ROOMY * 3 * (existing + expectedRows));
  if (existing === 0) return filter;
  for (let after = 0; ; ) {
    const { rows } = await client.query<[number, string | null, string | null]>({
      text: 'SELECT id, email_norm, phone_e164 FROM customers WHERE id > $1 ORDER BY id LIMIT $2',
      values: [after, PAGE],
      rowMode: 'array',
    });
    for (const [, email, phone] of rows) {
      if (email !== null) filter.add(`e${email}`);
      if (phone !== null) filter.add(`p${phone}`);
    }
    if (rows.length < PAGE) break;
    after = rows[rows.length - 1]![0];
  }
  for (let after = 0; ; ) {
    const { rows } = await client.query<[number, string, string]>({
      text: 'SELECT id, source, external_id FROM customer_identities WHERE id > $1 ORDER BY id LIMIT $2',
      values: [after, PAGE],
      rowMode: 'array',
    });
    for (const [, source, externalId] of rows) filter.add(`i${identityKey(source, externalId)}`);
    if (rows.length < PAGE) break;
    after = rows[rows.length - 1]![0];
  }
  return filter;
}

/**
 * A filter of the external ids `source`'s orders (or interactions) have in
 * the table, when an import of `expectedRows` of them is large next to the
 * table (`existing` rows); undefined otherwise. As readCustomerKeys.
 */
export async function readRecordKeys(
  client: pg.ClientBase,
  table: 'orders' | 'interactions',
  source: string,
  existing: number,
  expectedRows: number,
): Promise<KeyFilter | undefined> {
  if (expectedRows === 0 || expectedRows < existing * FILTER_MIN_SHARE) return undefined;
  const filter = new KeyFilter(ROOMY * (existing + expectedRows));
  if (existing === 0) return filter;
  for (let after = 0; ; ) {
    const { rows } = await client.query<[number, string | null]>({
      text: `SELECT id, external_id FROM ${table} WHERE source = $1 AND id > $2 ORDER BY id LIMIT $3`,
      values: [source, after, PAGE],
      rowMode: 'array',
    });
    for (const [, externalId] of rows) if (externalId !== null) filter.add(externalId);
    if (rows.length < PAGE) break;
    after = rows[rows.length - 1]![0];
  }
  return filter;
}
