import type { DedupeRecord } from '../dedupe/dedupe-record.js';
import { sql, type Kysely } from 'kysely';
import { pagesById } from './pages-by-id.js';
import type { Store } from './store.js';
import type { Database } from './tables.js';

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

const RECORD_COLUMNS = [
  'id',
  'first_name',
  'last_name',
  'email_norm',
  'phone_e164',
  'birth_date',
  'address_line1',
  'address_line2',
  'postal_code',
  'city',
  'region',
  'country',
] as const;

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
 * Every active customer as the dedupe engine sees it, in id order, read a
 * page at a time (the hot path of `custdb dedupe`). Merged and erased
 * customers are left out.
 */
export async function loadDedupeRecords(store: Store): Promise<DedupeRecord[]> {
  const records: DedupeRecord[] = [];
  for await (const page of pagesOfActive(store.db, (query) => query)) for (const row of page) records.push(toRecord(row));
  return records;
}

/** Active customers in id order, a page at a time, narrowed by `where`. */
function pagesOfActive(
  db: Kysely<Database>,
  where: (query: ReturnType<typeof selectRecords>) => ReturnType<typeof selectRecords>,
): AsyncGenerator<CandidateRow[]> {
  return pagesById(
    (afterId, limit) => where(selectRecords(db)).where('id', '>', afterId).orderBy('id').limit(limit).execute(),
    (row) => row.id,
  );
}

function selectRecords(db: Kysely<Database>) {
  return db.selectFrom('customers').select(RECORD_COLUMNS).where('status', '=', 'active');
}

/**
 * The lowest id among the customers an import batch created, or undefined when
 * it created none (one index lookup). A batch's customers are inserted in one
 * transaction, each with the next free id, so every customer that existed
 * before the batch has a lower id.
 */
export async function firstCustomerOfBatch(db: Kysely<Database>, batchId: number): Promise<number | undefined> {
  const row = await db.selectFrom('customers').select((eb) => eb.fn.min<number>('id').as('id')).where('created_batch_id', '=', batchId).executeTakeFirst();
  return row?.id ?? undefined;
}

/** Whether any active customer has an id below `id` (stops at the first one). */
export async function hasActiveCustomerBefore(db: Kysely<Database>, id: number): Promise<boolean> {
  const row = await db.selectFrom('customers').select('id').where('id', '<', id).where('status', '=', 'active').limit(1).executeTakeFirst();
  return row !== undefined;
}

/** How many customers an import batch created (an index count). */
export async function countBatchCustomers(db: Kysely<Database>, batchId: number): Promise<number> {
  const row = await db.selectFrom('customers').select((eb) => eb.fn.countAll<number>().as('count')).where('created_batch_id', '=', batchId).executeTakeFirst();
  return Number(row?.count ?? 0);
}

/** Up to `limit` active customers created by a batch with ids above `afterId`, in id order. */
export async function loadBatchDedupeRecords(db: Kysely<Database>, batchId: number, afterId: number, limit: number): Promise<DedupeRecord[]> {
  const rows = await selectRecords(db).where('created_batch_id', '=', batchId).where('id', '>', afterId).orderBy('id').limit(limit).execute();
  return rows.map(toRecord);
}

/** The active customers with ids below `beforeId`, a page at a time in id order (an index range; nothing kept). */
export async function* iterateDedupeRecordsBefore(db: Kysely<Database>, beforeId: number): AsyncGenerator<DedupeRecord[]> {
  for await (const page of pagesOfActive(db, (query) => query.where('id', '<', beforeId))) yield page.map(toRecord);
}

/** The customers of a batch already flagged as possible duplicates (by the row-by-row email/phone rule). */
export async function loadFlaggedCustomersOfBatch(db: Kysely<Database>, batchId: number): Promise<Set<number>> {
  const rows = await db.selectFrom('duplicate_suspects').select('customer_id').distinct().where('batch_id', '=', batchId).execute();
  return new Set(rows.map((row) => row.customer_id));
}

/** Pairs written per statement: 5 values each, well under every dialect's limit on bound values. */
const SUSPECTS_PER_INSERT = 500;

/** Records possible duplicates of a batch; a pair already flagged keeps its first reason. Returns how many rows were new. */
export async function insertDuplicateSuspects(
  db: Kysely<Database>,
  suspects: readonly { customerId: number; otherId: number; reason: string }[],
  batchId: number,
  now: string,
): Promise<number> {
  let added = 0;
  for (let k = 0; k < suspects.length; k += SUSPECTS_PER_INSERT) {
    const rows = suspects.slice(k, k + SUSPECTS_PER_INSERT).map((s) => ({ customer_id: s.customerId, other_id: s.otherId, reason: s.reason, batch_id: batchId, created_at: now }));
    const results = await db.insertInto('duplicate_suspects').values(rows).onConflict((oc) => oc.doNothing()).execute();
    for (const result of results) added += Number(result.numInsertedOrUpdatedRows ?? 0);
  }
  return added;
}

/** Pairs recorded as "not the same person", as `left:right` keys with left < right. */
export async function loadDistinctPairs(store: Store): Promise<Set<string>> {
  const rows = await store.db.selectFrom('dedupe_decisions').select(['left_id', 'right_id']).where('decision', '=', 'distinct').execute();
  return new Set(rows.map((r) => pairKey(r.left_id, r.right_id)));
}

/** Possible duplicates flagged at import between two customers that are both still active. */
export async function loadActiveSuspects(store: Store): Promise<{ customerId: number; otherId: number; reason: string }[]> {
  const rows = await sql<{ customerId: number; otherId: number; reason: string }>`
    SELECT s.customer_id AS "customerId", s.other_id AS "otherId", s.reason AS reason FROM duplicate_suspects s
    JOIN customers a ON a.id = s.customer_id AND a.status = 'active'
    JOIN customers b ON b.id = s.other_id AND b.status = 'active'
    ORDER BY s.created_at, s.customer_id, s.other_id`.execute(store.db);
  return rows.rows;
}

/** The key of an unordered pair of customer ids: smaller id first. */
export function pairKey(a: number, b: number): string {
  return a < b ? `${a}:${b}` : `${b}:${a}`;
}
