import { recordEvent } from '../audit/record-event.js';
import { eraseCustomers, planErasure, type ErasurePlan } from '../db/erase-customers.js';
import type { Store } from '../db/store.js';
import { CustdbError } from '../errors.js';

export type { ErasureCounts, ErasurePlan } from '../db/erase-customers.js';

/** A customer that was erased before: there is nothing left to forget. */
export class AlreadyErasedError extends CustdbError {}

/** What `privacy forget` did: the plan as applied, and the day it was done. */
export interface ForgetResult extends ErasurePlan {
  erasedOn: string;
  /** False when another process's open read kept SQLite's write-ahead log from being emptied (see overwriteFreedBytes). */
  logEmptied: boolean;
}

/**
 * What forgetting customer `id` (a survivor, with every record merged into it)
 * would remove, without writing. Throws AlreadyErasedError (exit 1) for a
 * customer erased before.
 */
export async function previewForget(store: Store, id: number): Promise<ErasurePlan> {
  const row = await store.db.selectFrom('customers').select(['status', 'updated_at']).where('id', '=', id).executeTakeFirst();
  if (row?.status === 'erased') {
    throw new AlreadyErasedError(`Customer ${id} was already erased on ${row.updated_at.slice(0, 10)}; nothing is left to forget.`, {
      hint: 'Nothing to do: their identifiers are already suppressed.',
      exitCode: 1,
    });
  }
  return planErasure(store.db, [id]);
}

/**
 * Erases customer `id` for good (see eraseCustomers): one transaction, with
 * its audit entry naming only ids and counts. Cannot be undone.
 */
export async function forgetCustomer(store: Store, id: number, actor: string): Promise<ForgetResult> {
  await previewForget(store, id);
  return eraseCustomers(store, [id], (db, plan) =>
    recordEvent(db, {
      actor,
      command: 'privacy forget',
      summary: `erased customer ${id} (${plan.counts.customers} record${plan.counts.customers === 1 ? '' : 's'}); ${plan.counts.ordersKept} orders kept for the books`,
      details: { erased: plan.people, counts: plan.counts },
    }),
  );
}
