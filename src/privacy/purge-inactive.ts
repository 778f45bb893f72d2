import { findInactiveCustomers, type ErasureCounts, type InactiveCustomer } from '../db/erase-customers.js';
import type { Store } from '../db/store.js';
import { countErasure, erasePeople } from './erase-people.js';
import { moveDay } from '../filter/calendar.js';
import type { Duration } from '../normalize/parse-duration.js';

/** Who a retention purge would erase, and what that touches; computed without writing. */
export interface PurgePlan {
  asOf: string;
  inactiveFor: string;
  /** The first day that counts as recent: nothing on or after it makes a customer due. */
  cutoff: string;
  customers: InactiveCustomer[];
  /** Undefined when nobody is due. */
  counts: ErasureCounts | undefined;
}

/** The customers due for erasure under `period` as of `asOf` ('YYYY-MM-DD'), with what erasing them would touch. Reads only. */
export async function planPurge(store: Store, period: Duration, asOf: string): Promise<PurgePlan> {
  // By the calendar: a month back from 31 March is the last day of February.
  const cutoff = moveDay(asOf, -period.amount, period.unit);
  const customers = await findInactiveCustomers(store.db, cutoff);
  return { asOf, inactiveFor: period.text, cutoff, customers, counts: await countErasure(store, customers.map((c) => c.id)) };
}

/** Erases the customers of `plan`, as `privacy forget` does each one; cannot be undone. */
export async function applyPurge(store: Store, plan: PurgePlan, actor: string): Promise<{ counts: ErasureCounts | undefined; erasedOn: string | undefined; logEmptied: boolean }> {
  return erasePeople(
    store,
    plan.customers.map((c) => c.id),
    { actor, command: 'purge', reason: `no order, interaction or change since ${plan.cutoff} (inactive for ${plan.inactiveFor})` },
    { inactiveSince: plan.cutoff },
  );
}
