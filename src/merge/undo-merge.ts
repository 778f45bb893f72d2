import type { Kysely } from 'kysely';
import { recordEvent } from '../audit/record-event.js';
import { nowIso } from '../db/clock.js';
import { refreshCustomerMetrics } from '../db/customer-metrics.js';
import { describeErasedBlockers, erasedAmong } from '../db/erase-customers.js';
import type { Store } from '../db/store.js';
import type { Database } from '../db/tables.js';
import { NotFoundError } from '../errors.js';
import type { MergeSnapshot } from './apply-merge-plan.js';
import type { CustomerSnapshot } from './customer-snapshot.js';

export interface UndoMergeResult {
  mergeId: number;
  status: 'undone' | 'refused' | 'already-undone';
  survivorId: number;
  mergedId: number;
  ordersMovedBack: number;
  interactionsMovedBack: number;
  /** Why the undo was refused: the later changes that depend on this merge. */
  blockers: string[];
}

const ID_CHUNK = 500;

/**
 * Puts both customers of merge N back exactly as they were (every column,
 * tags, attributes, identities) and moves their orders and interactions back
 * (recomputing both customers' stored metrics), in one transaction. Refuses, changing nothing and saying why, when a later
 * change depends on the merge (the survivor merged again, edited or imported
 * into since, or an order moved elsewhere).
 */
export async function undoMerge(store: Store, mergeId: number, actor: string): Promise<UndoMergeResult> {
  return store.transaction(async (trx) => {
    const merge = await trx.selectFrom('merges').selectAll().where('id', '=', mergeId).executeTakeFirst();
    if (!merge) throw new NotFoundError(`There is no merge ${mergeId}.`, { hint: 'See "custdb merges list".' });
    const result: UndoMergeResult = {
      mergeId,
      status: 'undone',
      survivorId: merge.survivor_id,
      mergedId: merge.merged_id,
      ordersMovedBack: 0,
      interactionsMovedBack: 0,
      blockers: [],
    };
    if (merge.undone_at !== null) return { ...result, status: 'already-undone' };
    // An erased person's merge keeps no snapshot to restore, and must not be restored anyway.
    const erased = await erasedAmong(trx, [merge.survivor_id, merge.merged_id]);
    if (erased.length > 0) return { ...result, status: 'refused', blockers: describeErasedBlockers(erased) };
    const snapshot = JSON.parse(merge.snapshot_json) as MergeSnapshot;

    const blockers = await findBlockers(trx, mergeId, snapshot);
    if (blockers.length > 0) return { ...result, status: 'refused', blockers };

    for (const before of [snapshot.survivor, snapshot.merged]) await restoreCustomer(trx, before);
    for (const ids of chunks(snapshot.movedOrderIds)) {
      const moved = await trx.updateTable('orders').set({ customer_id: merge.merged_id }).where('id', 'in', ids).executeTakeFirst();
      result.ordersMovedBack += Number(moved.numUpdatedRows);
    }
    for (const ids of chunks(snapshot.movedInteractionIds)) {
      const moved = await trx.updateTable('interactions').set({ customer_id: merge.merged_id }).where('id', 'in', ids).executeTakeFirst();
      result.interactionsMovedBack += Number(moved.numUpdatedRows);
    }
    await refreshCustomerMetrics(trx, [merge.survivor_id, merge.merged_id], { ordersChanged: true });
    // The merge's change rows would otherwise count as "later changes" against the imports that created these customers;
    // the merge itself (plan and snapshots) and its events stay as the record.
    await trx.deleteFrom('changes').where('merge_id', '=', mergeId).execute();
    await trx.updateTable('merges').set({ undone_at: nowIso() }).where('id', '=', mergeId).execute();
    await recordEvent(trx, {
      actor,
      command: 'merges undo',
      summary: `undid merge ${mergeId}: customer ${merge.merged_id} separated from ${merge.survivor_id} again`,
      details: { ...result },
    });
    return result;
  });
}

/** Writes a customer's row, tags, attributes and identities back as the snapshot has them. */
async function restoreCustomer(trx: Kysely<Database>, before: CustomerSnapshot): Promise<void> {
  const { id, ...columns } = before.customer;
  await trx.updateTable('customers').set(columns).where('id', '=', id).execute();
  await trx.deleteFrom('customer_tags').where('customer_id', '=', id).execute();
  for (const tag of before.tags) await trx.insertInto('customer_tags').values({ customer_id: id, tag }).execute();
  await trx.deleteFrom('customer_attributes').where('customer_id', '=', id).execute();
  for (const [name, value] of Object.entries(before.attributes)) await trx.insertInto('customer_attributes').values({ customer_id: id, name, value }).execute();
  for (const identity of before.identities) {
    await trx.updateTable('customer_identities').set({ customer_id: id }).where('id', '=', identity.id).execute();
  }
}

/** Later changes that rest on this merge; undoing it would lose or contradict them. */
async function findBlockers(trx: Kysely<Database>, mergeId: number, snapshot: MergeSnapshot): Promise<string[]> {
  const survivorId = snapshot.survivor.customer.id;
  const mergedId = snapshot.merged.customer.id;
  const blockers: string[] = [];

  const laterMerges = await trx
    .selectFrom('merges')
    .select(['id', 'survivor_id', 'merged_id'])
    .where('id', '>', mergeId)
    .where('undone_at', 'is', null)
    .where((eb) => eb.or([eb('survivor_id', 'in', [survivorId, mergedId]), eb('merged_id', 'in', [survivorId, mergedId])]))
    .orderBy('id', 'desc')
    .execute();
  for (const m of laterMerges) {
    const other = m.survivor_id === survivorId ? `customer ${m.merged_id} was merged into ${survivorId}` : `customer ${m.merged_id} was merged into ${m.survivor_id}`;
    blockers.push(`merge ${m.id} came later (${other}); undo merge ${m.id} first`);
  }

  const now = await trx.selectFrom('customers').select(['id', 'status', 'merged_into']).where('id', 'in', [survivorId, mergedId]).execute();
  const survivorNow = now.find((c) => c.id === survivorId);
  const mergedNow = now.find((c) => c.id === mergedId);
  if (laterMerges.length === 0) {
    if (survivorNow?.status !== 'active') blockers.push(`customer ${survivorId} is now ${survivorNow?.status ?? 'gone'}`);
    if (mergedNow?.status !== 'merged' || mergedNow.merged_into !== survivorId) {
      blockers.push(`customer ${mergedId} is no longer merged into ${survivorId} (now ${mergedNow?.status ?? 'gone'})`);
    }
  }

  const lastOwnChange = await trx.selectFrom('changes').select((eb) => eb.fn.max('id').as('id')).where('merge_id', '=', mergeId).executeTakeFirst();
  const later = await trx
    .selectFrom('changes')
    .select(['customer_id', 'batch_id', 'merge_id', 'field', 'entity'])
    .where('customer_id', 'in', [survivorId, mergedId])
    .where('id', '>', lastOwnChange?.id ?? 0)
    .where((eb) => eb.or([eb('merge_id', 'is', null), eb('merge_id', '!=', mergeId)]))
    .where((eb) => eb.or([eb('batch_id', 'is', null), eb('batch_id', 'in', eb.selectFrom('import_batches').select('id').where('status', '=', 'committed'))]))
    .limit(20)
    .execute();
  for (const row of later) {
    if (row.merge_id !== null) continue; // already reported as a later merge
    const by = row.batch_id !== null ? `import batch ${row.batch_id}` : 'a later edit';
    blockers.push(`customer ${row.customer_id}: ${row.entity === 'customer' ? row.field : `${row.entity} ${row.field}`} was changed by ${by} after this merge`);
  }

  for (const [table, ids] of [['orders', snapshot.movedOrderIds], ['interactions', snapshot.movedInteractionIds]] as const) {
    for (const chunk of chunks(ids)) {
      const elsewhere = await trx.selectFrom(table).select(['id', 'customer_id']).where('id', 'in', chunk).where('customer_id', '!=', survivorId).limit(5).execute();
      for (const row of elsewhere) blockers.push(`${table === 'orders' ? 'order' : 'interaction'} ${row.id} now belongs to customer ${row.customer_id}`);
    }
  }
  return [...new Set(blockers)];
}

function chunks(ids: readonly number[]): number[][] {
  const out: number[][] = [];
  for (let k = 0; k < ids.length; k += ID_CHUNK) out.push(ids.slice(k, k + ID_CHUNK));
  return out;
}
