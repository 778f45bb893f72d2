import {
  countBatchCustomers,
  firstCustomerOfBatch,
  hasActiveCustomerBefore,
  insertDuplicateSuspects,
  iterateDedupeRecordsBefore,
  loadBatchDedupeRecords,
  loadFlaggedCustomersOfBatch,
} from '../db/dedupe-records.js';
import type { Kysely } from 'kysely';
import type { Database } from '../db/tables.js';
import type { DedupeRecord } from '../dedupe/dedupe-record.js';
import { LookAlikeSearch } from '../dedupe/look-alike-search.js';
import { foldName } from '../normalize/fold-name.js';

/** New customers compared per pass over the existing ones (bounds memory: their keys and the candidates they pull in). */
const CUSTOMERS_PER_PASS = 25_000;
/** Existing namesakes a name-only customer is flagged against at most: "John Smith" has many. */
const MAX_NAMESAKES = 3;
/** Above this many new customers in one batch (with customers already there), the check is left to `custdb dedupe`. */
export const MAX_LOOK_ALIKE_CUSTOMERS = 100_000;

export interface LookAlikeFlags {
  /** New customers flagged as look-alikes that had no flag from the email/phone rule. */
  flagged: number;
  /** duplicate_suspects rows added. */
  pairs: number;
  /** Existing customers read, and how many of them shared a blocking key with a new one. */
  existing: number;
  candidates: number;
  /** Set when the check was skipped (too many new customers), saying what to do instead. */
  note?: string;
}

/**
 * The import-time look-alike check, run once per import inside its open
 * transaction, after every row is written: the customers batch `batchId`
 * created are compared with the active customers that existed before it,
 * using the dedupe engine's blocking keys and comparisons, and every pair above
 * the match threshold is recorded in duplicate_suspects with a readable reason.
 *
 * Costs nothing when the database had no customers before the batch (two index
 * lookups). Otherwise it reads the existing customers once per 25,000 new ones,
 * keeping only those that share a blocking key with a new one; above 100,000
 * new customers it does nothing and says to run `custdb dedupe`. Never commits.
 *
 * A new customer known by a name alone (an export that gives nothing else)
 * is too thin for a match probability, so it is flagged against every
 * existing customer of the same full name instead, for review.
 */
export async function flagLookAlikes(db: Kysely<Database>, batchId: number, now: string): Promise<LookAlikeFlags> {
  const flags: LookAlikeFlags = { flagged: 0, pairs: 0, existing: 0, candidates: 0 };
  const firstNew = await firstCustomerOfBatch(db, batchId);
  if (firstNew === undefined || !(await hasActiveCustomerBefore(db, firstNew))) return flags;
  const created = await countBatchCustomers(db, batchId);
  if (created > MAX_LOOK_ALIKE_CUSTOMERS) {
    flags.note = `${created.toLocaleString('en-US')} new customers are too many to compare with the existing ones while importing; run "custdb dedupe" to find look-alikes`;
    return flags;
  }
  const alreadyFlagged = await loadFlaggedCustomersOfBatch(db, batchId);
  const flaggedNow = new Set<number>();
  let afterId = firstNew - 1;
  for (;;) {
    const fresh = await loadBatchDedupeRecords(db, batchId, afterId, CUSTOMERS_PER_PASS);
    if (fresh.length === 0) break;
    afterId = fresh[fresh.length - 1]?.id ?? afterId;
    const search = new LookAlikeSearch(fresh);
    const nameOnly = namesOfNameOnly(fresh);
    const namesakes: { customerId: number; otherId: number; reason: string }[] = [];
    const namesakesOf = new Map<number, number>();
    for await (const page of iterateDedupeRecordsBefore(db, firstNew)) for (const record of page) {
      search.offer(record);
      const sameName = nameOnly.size > 0 ? nameOnly.get(fullNameOf(record)) : undefined;
      for (const customerId of sameName ?? []) {
        const count = namesakesOf.get(customerId) ?? 0;
        if (count >= MAX_NAMESAKES) continue;
        namesakesOf.set(customerId, count + 1);
        namesakes.push({ customerId, otherId: record.id, reason: `same name as customer ${record.id}; known by name alone, so not joined` });
      }
    }
    const found = [...search.finish(), ...namesakes];
    flags.existing = search.existing;
    flags.candidates += search.candidates;
    flags.pairs += await insertDuplicateSuspects(db, found, batchId, now);
    for (const lookAlike of found) if (!alreadyFlagged.has(lookAlike.customerId)) flaggedNow.add(lookAlike.customerId);
    if (fresh.length < CUSTOMERS_PER_PASS) break;
  }
  flags.flagged = flaggedNow.size;
  return flags;
}

/** New customers with a name and nothing else to match by (no email, phone or birth date), by folded full name. */
function namesOfNameOnly(records: readonly DedupeRecord[]): Map<string, number[]> {
  const names = new Map<string, number[]>();
  for (const record of records) {
    if (record.email || record.phone || record.birthDate || !record.firstName || !record.lastName) continue;
    const name = fullNameOf(record);
    const ids = names.get(name);
    if (ids) ids.push(record.id);
    else names.set(name, [record.id]);
  }
  return names;
}

function fullNameOf(record: DedupeRecord): string {
  return foldName(`${record.firstName ?? ''} ${record.lastName ?? ''}`);
}
