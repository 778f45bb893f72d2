import type { Kysely } from 'kysely';
import type { Store } from '../db/store.js';
import type { Database } from '../db/tables.js';
import { CustdbError } from '../errors.js';
import { applyMergePlan, type AppliedMerge } from './apply-merge-plan.js';
import type { CustomerSnapshot } from './customer-snapshot.js';
import { loadCustomerSnapshot } from './load-customer-snapshot.js';
import { chooseSurvivor, planMerge, survivorAfter, type MergePlan } from './plan-merge.js';

/** A customer named for a merge is missing, already merged, or erased. */
export class NotMergeableError extends CustdbError {}

export interface ClusterPreview {
  survivorId: number;
  /** One plan per customer merged into the survivor, in the order they will be applied. */
  plans: MergePlan[];
  /** Snapshots of every member as they are now, by id. */
  members: Map<number, CustomerSnapshot>;
  /** The survivor as it will be once every plan is applied. */
  result: CustomerSnapshot;
}

/** Plans merging a group of customers into the oldest of them, without writing anything. */
export async function previewClusterMerge(store: Store, ids: readonly number[]): Promise<ClusterPreview> {
  return planCluster(store.db, ids);
}

/**
 * Merges a group of customers into the oldest of them, in one transaction:
 * one recorded merge (undoable on its own) per customer merged. Throws
 * NotMergeableError, changing nothing, when a member is missing or not active.
 */
export async function mergeCluster(
  store: Store,
  ids: readonly number[],
  options: { actor: string; probability: number | null; command: string },
): Promise<AppliedMerge[]> {
  return store.transaction(async (trx) => {
    const { survivorId } = await planCluster(trx, ids);
    const applied: AppliedMerge[] = [];
    for (const id of [...new Set(ids)].filter((x) => x !== survivorId).sort((a, b) => a - b)) {
      // Re-read inside the transaction: the survivor has changed with each merge.
      const survivor = await loadCustomerSnapshot(trx, survivorId);
      const merged = await loadCustomerSnapshot(trx, id);
      if (!survivor || !merged) throw new NotMergeableError(`Customer ${survivor ? id : survivorId} disappeared during the merge.`);
      applied.push(await applyMergePlan(trx, planMerge(survivor, merged), survivor, merged, options));
    }
    return applied;
  });
}

async function planCluster(db: Kysely<Database>, ids: readonly number[]): Promise<ClusterPreview> {
  const unique = [...new Set(ids)].sort((a, b) => a - b);
  if (unique.length < 2) throw new NotMergeableError('A merge needs two different customers.', { hint: 'Name two customer ids.' });
  const members = new Map<number, CustomerSnapshot>();
  for (const id of unique) {
    const snapshot = await loadCustomerSnapshot(db, id);
    if (!snapshot) throw new NotMergeableError(`There is no customer ${id}.`, { hint: 'Run "custdb dedupe" again: the list is out of date.' });
    if (snapshot.customer.status !== 'active') {
      const where = snapshot.customer.merged_into === null ? '' : ` into ${snapshot.customer.merged_into}`;
      throw new NotMergeableError(`Customer ${id} is ${snapshot.customer.status}${where}, so it cannot be merged again.`, {
        hint: 'Run "custdb dedupe" again for an up-to-date list.',
        exitCode: 1,
      });
    }
    members.set(id, snapshot);
  }
  const survivorId = chooseSurvivor(unique);
  let survivor = members.get(survivorId)!;
  const plans: MergePlan[] = [];
  for (const id of unique.filter((x) => x !== survivorId)) {
    const merged = members.get(id)!;
    const plan = planMerge(survivor, merged);
    plans.push(plan);
    survivor = survivorAfter(plan, survivor, merged);
  }
  return { survivorId, plans, members, result: survivor };
}
