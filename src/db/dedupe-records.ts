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

/**
 * Every active customer as the dedupe engine sees it, in id order: one
 * prepared statement streamed row by row (the hot path of `custdb dedupe`).
 * Merged and erased customers are left out.
 */
export function loadDedupeRecords(store: Store): DedupeRecord[] {
  const statement = store.sqlite.prepare(
    `SELECT id, first_name, last_name, email_norm, phone_e164, birth_date, address_line1, address_line2, postal_code, city, region, country
     FROM customers WHERE status = 'active' ORDER BY id`,
  );
  const records: DedupeRecord[] = [];
  for (const row of statement.iterate() as IterableIterator<CandidateRow>) {
    records.push({
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
    });
  }
  return records;
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
