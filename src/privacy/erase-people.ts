import { recordEvent } from '../audit/record-event.js';
import { eraseCustomers, planErasure, type ErasureCounts } from '../db/erase-customers.js';
import type { Store } from '../db/store.js';

/**
 * People erased per transaction when many go at once (purge, restore): each
 * transaction is whole, and a statement naming every record of a chunk stays
 * far below SQLite's limit on bound values.
 */
const PEOPLE_PER_TRANSACTION = 200;

function chunks<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let k = 0; k < items.length; k += PEOPLE_PER_TRANSACTION) out.push(items.slice(k, k + PEOPLE_PER_TRANSACTION));
  return out;
}

function addCounts(total: ErasureCounts | undefined, more: ErasureCounts): ErasureCounts {
  if (total === undefined) return { ...more };
  const sum = { ...total };
  for (const key of Object.keys(more) as (keyof ErasureCounts)[]) sum[key] += more[key];
  return sum;
}

/** What erasing these people (survivors) would touch, summed over them; reads only. */
export async function countErasure(store: Store, customerIds: readonly number[]): Promise<ErasureCounts | undefined> {
  let total: ErasureCounts | undefined;
  for (const chunk of chunks(customerIds)) total = addCounts(total, (await planErasure(store.db, chunk)).counts);
  return total;
}

/**
 * Erases many people, PEOPLE_PER_TRANSACTION to a transaction, each with its
 * audit entry (`command`, naming ids and counts only). A failure leaves the
 * chunks before it erased and the rest untouched. Returns the summed counts.
 * With `inactiveSince` (a purge), each transaction erases only those still
 * inactive since that day: someone who ordered or changed meanwhile is kept.
 */
export async function erasePeople(
  store: Store,
  customerIds: readonly number[],
  event: { actor: string; command: string; reason: string },
  options: { inactiveSince?: string } = {},
): Promise<{ counts: ErasureCounts | undefined; erasedOn: string | undefined; logEmptied: boolean }> {
  let total: ErasureCounts | undefined;
  let erasedOn: string | undefined;
  let logEmptied = true;
  for (const chunk of chunks(customerIds)) {
    const done = await eraseCustomers(
      store,
      chunk,
      (db, plan) =>
        recordEvent(db, {
          actor: event.actor,
          command: event.command,
          summary: `erased ${plan.people.length} customer${plan.people.length === 1 ? '' : 's'} (${event.reason}); ${plan.counts.ordersKept} orders kept for the books`,
          details: { erased: plan.people, counts: plan.counts, reason: event.reason },
        }),
      options,
    );
    total = addCounts(total, done.counts);
    erasedOn = done.erasedOn;
    logEmptied &&= done.logEmptied;
  }
  return { counts: total, erasedOn, logEmptied };
}
