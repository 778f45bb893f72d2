import type { DedupeRecord } from '../dedupe/dedupe-record.js';
import type { Store } from './open-store.js';

interface CandidateRow {
  id: number;
  first_name: string | null;
  last_name: string | null;
  email_norm: string | null;
  phone_e164: string | null;
  birth_date: string | null;
  address_line1: string | null;
  address_line2: string | null;
  postal_code: string | null;
  city: string | null;
  region: string | null;
  country: string | null;
}

const RECORD_COLUMNS = 'id, first_name, last_name, email_norm, phone_e164, birth_date, address_line1, address_line2, postal_code, city, region, country';

function toRecord(row: CandidateRow): DedupeRecord {
  return {
    id: row.id,
    firstName: row.first_name ?? undefined,
    lastName: row.last_name ?? undefined,
    email: row.email_norm ?? undefined,
    phone: row.phone_e164 ?? undefined,
    birthDate: row.birth_date ?? undefined,
    addressLine1: row.address_line1 ?? undefined,
    addressLine2: row.address_line2 ?? undefined,
    postalCode: row.postal_code ?? undefined,
    city: row.city ?? undefined,
    region: row.region ?? undefined,
    country: row.country ?? undefined,
  };
}

/**
 * Every active customer as the dedupe engine sees it, in id order: one
 * prepared statement streamed row by row (the hot path of `custdb dedupe`).
 * Merged and erased customers are left out.
 */
export function loadDedupeRecords(store: Store): DedupeRecord[] {
  const statement = store.sqlite.prepare(`SELECT ${RECORD_COLUMNS} FROM customers WHERE status = 'active' ORDER BY id`);
  const records: DedupeRecord[] = [];
  for (const row of statement.iterate() as IterableIterator<CandidateRow>) records.push(toRecord(row));
  return records;
}

/**
 * The lowest id among the customers an import batch created, or undefined when
 * it created none (one index lookup). A batch's customers are inserted in one
 * transaction, each with the next free id, so every customer that existed
 * before the batch has a lower id.
 */
export function firstCustomerOfBatch(store: Store, batchId: number): number | undefined {
  const id = store.sqlite.prepare('SELECT min(id) FROM customers WHERE created_batch_id = ?').pluck().get(batchId) as number | null;
  return id ?? undefined;
}

/** Whether any active customer has an id below `id` (stops at the first one). */
export function hasActiveCustomerBefore(store: Store, id: number): boolean {
  return store.sqlite.prepare(`SELECT 1 FROM customers WHERE id < ? AND status = 'active' LIMIT 1`).get(id) !== undefined;
}

/** How many customers an import batch created (an index count). */
export function countBatchCustomers(store: Store, batchId: number): number {
  return store.sqlite.prepare('SELECT count(*) FROM customers WHERE created_batch_id = ?').pluck().get(batchId) as number;
}

/** Up to `limit` active customers created by a batch with ids above `afterId`, in id order. */
export function loadBatchDedupeRecords(store: Store, batchId: number, afterId: number, limit: number): DedupeRecord[] {
  const rows = store.sqlite
    .prepare(`SELECT ${RECORD_COLUMNS} FROM customers WHERE created_batch_id = ? AND id > ? AND status = 'active' ORDER BY id LIMIT ?`)
    .all(batchId, afterId, limit) as CandidateRow[];
  return rows.map(toRecord);
}

type RawRow = [number, ...(string | null)[]];

/**
 * The active customers with ids below `beforeId`, streamed one at a time (a
 * range scan of the table; nothing kept). Rows are read as arrays, which is a
 * third cheaper than named rows over a million customers.
 */
export function* iterateDedupeRecordsBefore(store: Store, beforeId: number): Generator<DedupeRecord> {
  const statement = store.sqlite.prepare(`SELECT ${RECORD_COLUMNS} FROM customers WHERE id < ? AND status = 'active'`).raw();
  for (const r of statement.iterate(beforeId) as IterableIterator<RawRow>) {
    yield {
      id: r[0],
      firstName: r[1] ?? undefined,
      lastName: r[2] ?? undefined,
      email: r[3] ?? undefined,
      phone: r[4] ?? undefined,
      birthDate: r[5] ?? undefined,
      addressLine1: r[6] ?? undefined,
      addressLine2: r[7] ?? undefined,
      postalCode: r[8] ?? undefined,
      city: r[9] ?? undefined,
      region: r[10] ?? undefined,
      country: r[11] ?? undefined,
    };
  }
}

/** The customers of a batch already flagged as possible duplicates (by the row-by-row email/phone rule). */
export function loadFlaggedCustomersOfBatch(store: Store, batchId: number): Set<number> {
  const ids = store.sqlite.prepare('SELECT DISTINCT customer_id FROM duplicate_suspects WHERE batch_id = ?').pluck().all(batchId) as number[];
  return new Set(ids);
}

/** Records possible duplicates of a batch; a pair already flagged keeps its first reason. Returns how many rows were new. */
export function insertDuplicateSuspects(store: Store, suspects: readonly { customerId: number; otherId: number; reason: string }[], batchId: number, now: string): number {
  const statement = store.sqlite.prepare('INSERT OR IGNORE INTO duplicate_suspects (customer_id, other_id, reason, batch_id, created_at) VALUES (?, ?, ?, ?, ?)');
  let added = 0;
  for (const s of suspects) added += statement.run(s.customerId, s.otherId, s.reason, batchId, now).changes;
  return added;
}

/** Pairs recorded as "not the same person", as `left:right` keys with left < right. */
export function loadDistinctPairs(store: Store): Set<string> {
  const rows = store.sqlite.prepare(`SELECT left_id, right_id FROM dedupe_decisions WHERE decision = 'distinct'`).all() as { left_id: number; right_id: number }[];
  return new Set(rows.map((r) => pairKey(r.left_id, r.right_id)));
}

/** Possible duplicates flagged at import between two customers that are both still active. */
export function loadActiveSuspects(store: Store): { customerId: number; otherId: number; reason: string }[] {
  return store.sqlite
    .prepare(
      `SELECT s.customer_id AS customerId, s.other_id AS otherId, s.reason AS reason FROM duplicate_suspects s
       JOIN customers a ON a.id = s.customer_id AND a.status = 'active'
       JOIN customers b ON b.id = s.other_id AND b.status = 'active'
       ORDER BY s.created_at, s.customer_id, s.other_id`,
    )
    .all() as { customerId: number; otherId: number; reason: string }[];
}

/** The key of an unordered pair of customer ids: smaller id first. */
export function pairKey(a: number, b: number): string {
  return a < b ? `${a}:${b}` : `${b}:${a}`;
}
