import type { Store } from '../db/store.js';
import { nowIso } from '../db/clock.js';
import { CustdbError } from '../errors.js';
import { applyMergePlans, type AppliedMerge, type MergeStep } from './apply-merge-plan.js';
import type { CustomerRow, CustomerSnapshot } from './customer-snapshot.js';
import { loadCustomerSnapshots } from './load-customer-snapshot.js';
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

/** A group of customers to merge into the oldest of them, and how sure the match is (recorded with each merge). */
export interface ClusterToMerge {
  ids: readonly number[];
  probability: number | null;
}

/**
 * Groups merged per transaction: one commit (and, on PostgreSQL, one round of
 * set-wise statements) for hundreds of groups rather than one per group, while
 * the write lock is held for well under a second at a time.
 */
const GROUPS_PER_TRANSACTION = 500;

/** Plans merging a group of customers into the oldest of them, without writing anything. */
export async function previewClusterMerge(store: Store, ids: readonly number[]): Promise<ClusterPreview> {
  const [preview] = await previewClusterMerges(store, [ids]);
  return preview!;
}

/** Plans merging each group into its oldest member, without writing anything; the snapshots are read a few hundred customers per query. */
export async function previewClusterMerges(store: Store, clusters: readonly (readonly number[])[]): Promise<ClusterPreview[]> {
  const members = await loadCustomerSnapshots(store.db, clusters.flat());
  return clusters.map((ids) => {
    const { survivorId, unique } = checkMembers(members, ids);
    let survivor = members.get(survivorId)!;
    const plans: MergePlan[] = [];
    for (const id of unique.filter((x) => x !== survivorId)) {
      const merged = members.get(id)!;
      const plan = planMerge(survivor, merged);
      plans.push(plan);
      survivor = survivorAfter(plan, survivor, merged);
    }
    return { survivorId, plans, members: new Map(unique.map((id) => [id, members.get(id)!])), result: survivor };
  });
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
  const [applied] = await mergeClusters(store, [{ ids, probability: options.probability }], options);
  return applied!;
}

/**
 * Merges each group into its oldest member, GROUPS_PER_TRANSACTION groups per
 * transaction, one recorded merge (undoable on its own) per customer merged;
 * `committed` hears of each transaction's merges once they are committed. When
 * a group cannot be merged (a member missing or no longer active) or a write
 * fails, that transaction's groups are rolled back whole and the error thrown:
 * the groups of earlier transactions stay merged, later ones are not begun.
 */
export async function mergeClusters(
  store: Store,
  clusters: readonly ClusterToMerge[],
  options: { actor: string; command: string },
  committed?: (applied: AppliedMerge[][]) => void,
): Promise<AppliedMerge[][]> {
  const all: AppliedMerge[][] = [];
  for (const batch of transactionBatches(clusters)) {
    const applied = await store.transaction(async (trx) => {
      // Read inside the transaction, under the write lock: what the plans rest on cannot change before they are written.
      const members = await loadCustomerSnapshots(trx, batch.flatMap((c) => c.ids));
      const steps: MergeStep[] = [];
      const perCluster: number[] = [];
      for (const cluster of batch) {
        const planned = planClusterSteps(members, cluster);
        steps.push(...planned);
        perCluster.push(planned.length);
      }
      const merges = await applyMergePlans(trx, steps, options);
      let at = 0;
      return perCluster.map((n) => merges.slice(at, (at += n)));
    });
    all.push(...applied);
    committed?.(applied);
  }
  return all;
}

/**
 * Consecutive groups, GROUPS_PER_TRANSACTION at most per batch; a group that
 * shares a customer with an earlier one of its batch starts the next batch, so
 * that it is checked against what the earlier merge wrote (as when each group
 * had its own transaction).
 */
function transactionBatches(clusters: readonly ClusterToMerge[]): ClusterToMerge[][] {
  const batches: ClusterToMerge[][] = [];
  let batch: ClusterToMerge[] = [];
  let seen = new Set<number>();
  for (const cluster of clusters) {
    if (batch.length === GROUPS_PER_TRANSACTION || cluster.ids.some((id) => seen.has(id))) {
      batches.push(batch);
      batch = [];
      seen = new Set();
    }
    batch.push(cluster);
    for (const id of cluster.ids) seen.add(id);
  }
  if (batch.length > 0) batches.push(batch);
  return batches;
}

/**
 * The merges of one group, in order (members by id), each planned on the
 * survivor as the merges before it leave it in the database: its row with the
 * new values and updated_at, the merged customer's tags, attributes and
 * identities added, and the changed fields dated now (what re-reading it would
 * give, so the record and the plan are as if each merge ran alone).
 */
function planClusterSteps(members: Map<number, CustomerSnapshot>, cluster: ClusterToMerge): MergeStep[] {
  const { survivorId, unique } = checkMembers(members, cluster.ids);
  let survivor = members.get(survivorId)!;
  const steps: MergeStep[] = [];
  for (const id of unique.filter((x) => x !== survivorId)) {
    const merged = members.get(id)!;
    const plan = planMerge(survivor, merged);
    const at = nowIso();
    steps.push({ plan, survivor, merged, probability: cluster.probability, at });
    survivor = survivorAsWritten(plan, survivor, merged, at);
  }
  return steps;
}

function survivorAsWritten(plan: MergePlan, survivor: CustomerSnapshot, merged: CustomerSnapshot, at: string): CustomerSnapshot {
  const after = survivorAfter(plan, survivor, merged);
  const fieldUpdatedAt = { ...survivor.fieldUpdatedAt };
  for (const f of plan.fields) {
    if (!f.changes) continue;
    const before = fieldUpdatedAt[f.field];
    fieldUpdatedAt[f.field] = before !== undefined && before > at ? before : at;
  }
  const customer: CustomerRow = { ...after.customer, updated_at: at };
  const attributes = Object.fromEntries(Object.entries(after.attributes).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return { customer, tags: after.tags, attributes, identities: [...after.identities].sort((a, b) => a.id - b.id), fieldUpdatedAt };
}

/** The group's distinct ids (ascending) and survivor; throws NotMergeableError when a member is missing or not active. */
function checkMembers(members: Map<number, CustomerSnapshot>, ids: readonly number[]): { survivorId: number; unique: number[] } {
  const unique = [...new Set(ids)].sort((a, b) => a - b);
  if (unique.length < 2) throw new NotMergeableError('A merge needs two different customers.', { hint: 'Name two customer ids.' });
  for (const id of unique) {
    const snapshot = members.get(id);
    if (!snapshot) throw new NotMergeableError(`There is no customer ${id}.`, { hint: 'Run "custdb dedupe" again: the list is out of date.' });
    if (snapshot.customer.status !== 'active') {
      const where = snapshot.customer.merged_into === null ? '' : ` into ${snapshot.customer.merged_into}`;
      throw new NotMergeableError(`Customer ${id} is ${snapshot.customer.status}${where}, so it cannot be merged again.`, {
        hint: 'Run "custdb dedupe" again for an up-to-date list.',
        exitCode: 1,
      });
    }
  }
  return { survivorId: chooseSurvivor(unique), unique };
}
