import { sql, type ExpressionBuilder, type Kysely } from 'kysely';
import { nowIso } from '../db/clock.js';
import { markBatchCustomerMetrics, refreshMarkedCustomerMetrics } from '../db/customer-metrics.js';
import { getBatch } from '../db/import-batches.js';
import type { Store } from '../db/open-store.js';
import type { Database } from '../db/tables.js';
import { recordEvent } from '../audit/record-event.js';
import { NotFoundError } from '../errors.js';

export interface UndoResult {
  batchId: number;
  status: 'undone' | 'refused' | 'already-undone';
  removedCustomers: number;
  restoredFields: number;
  removedIdentities: number;
  removedTags: number;
  restoredAttributes: number;
  /** Orders (with their items) and interactions an orders or interactions batch added. */
  removedOrders: number;
  removedInteractions: number;
  /** Why the undo was refused: the later changes that depend on this batch. */
  blockers: string[];
}

const CHANGE_BLOCKER_LIMIT = 20;

/**
 * Restores what import batch N changed, in one transaction: customers it
 * created are removed, fields it set get their old values back, identities,
 * tags and attributes it added are removed, and the stored metrics of the
 * customers whose orders or interactions it touched are recomputed. Refuses
 * (returns the reasons, changes nothing) when a later change depends on the batch.
 */
export async function undoImport(store: Store, batchId: number, actor: string): Promise<UndoResult> {
  const batch = await getBatch(store, batchId);
  if (!batch) throw new NotFoundError(`There is no import batch ${batchId}.`, { hint: 'See "custdb imports list".' });
  const result: UndoResult = {
    batchId,
    status: 'undone',
    removedCustomers: 0,
    restoredFields: 0,
    removedIdentities: 0,
    removedTags: 0,
    restoredAttributes: 0,
    removedOrders: 0,
    removedInteractions: 0,
    blockers: [],
  };
  if (batch.status === 'undone') return { ...result, status: 'already-undone' };

  return store.db.transaction().execute(async (trx) => {
    const blockers = await findBlockers(trx, batchId);
    if (blockers.length > 0) return { ...result, status: 'refused', blockers };
    // Before the batch's orders and interactions go: they say whose metrics change.
    await markBatchCustomerMetrics(trx, batchId);

    const changes = await trx.selectFrom('changes').selectAll().where('batch_id', '=', batchId).orderBy('id', 'desc').execute();
    for (const change of changes) {
      const customerId = change.customer_id!;
      switch (change.entity) {
        case 'customer':
          await sql`UPDATE customers SET ${sql.ref(change.field!)} = ${change.old_value} WHERE id = ${customerId}`.execute(trx);
          result.restoredFields += 1;
          break;
        case 'identity':
          await trx.deleteFrom('customer_identities').where('source', '=', change.field!).where('external_id', '=', change.new_value!).execute();
          result.removedIdentities += 1;
          break;
        case 'tag':
          await trx.deleteFrom('customer_tags').where('customer_id', '=', customerId).where('tag', '=', change.field!).execute();
          result.removedTags += 1;
          break;
        case 'attribute':
          if (change.old_value === null) {
            await trx.deleteFrom('customer_attributes').where('customer_id', '=', customerId).where('name', '=', change.field!).execute();
          } else {
            await trx.updateTable('customer_attributes').set({ value: change.old_value }).where('customer_id', '=', customerId).where('name', '=', change.field!).execute();
          }
          result.restoredAttributes += 1;
          break;
        case 'order':
          // An orders re-import that changed an order's status: put the old one back.
          await sql`UPDATE orders SET ${sql.ref(change.field!)} = ${change.old_value} WHERE id = ${Number(change.entity_id)}`.execute(trx);
          result.restoredFields += 1;
          break;
        default:
          break;
      }
    }

    const batchOrders = trx.selectFrom('orders').select('id').where('batch_id', '=', batchId);
    await trx.deleteFrom('order_items').where('order_id', 'in', batchOrders).execute();
    result.removedOrders = Number((await trx.deleteFrom('orders').where('batch_id', '=', batchId).executeTakeFirst()).numDeletedRows);
    result.removedInteractions = Number((await trx.deleteFrom('interactions').where('batch_id', '=', batchId).executeTakeFirst()).numDeletedRows);
    // Products first seen by this batch (stamped with its start) that no order refers to any more.
    await trx
      .deleteFrom('products')
      .where('created_at', '=', batch.started_at)
      .where('id', 'not in', trx.selectFrom('order_items').select('product_id').where('product_id', 'is not', null).distinct())
      .execute();

    const created = trx.selectFrom('customers').select('id').where('created_batch_id', '=', batchId);
    // Merges of these customers that were undone stay on record, but must not keep the customers alive.
    await trx.deleteFrom('merges').where('undone_at', 'is not', null).where((eb) => eb.or([eb('survivor_id', 'in', created), eb('merged_id', 'in', created)])).execute();
    await trx.deleteFrom('duplicate_suspects').where((eb) => eb.or([eb('customer_id', 'in', created), eb('other_id', 'in', created)])).execute();
    await trx.deleteFrom('dedupe_decisions').where((eb) => eb.or([eb('left_id', 'in', created), eb('right_id', 'in', created)])).execute();
    await trx.deleteFrom('customer_tags').where('customer_id', 'in', created).execute();
    await trx.deleteFrom('customer_attributes').where('customer_id', 'in', created).execute();
    await trx.deleteFrom('customer_identities').where('customer_id', 'in', created).execute();
    const removed = await trx.deleteFrom('customers').where('created_batch_id', '=', batchId).executeTakeFirst();
    result.removedCustomers = Number(removed.numDeletedRows);
    await refreshMarkedCustomerMetrics(trx);

    const at = nowIso();
    await trx.updateTable('import_batches').set({ status: 'undone', undone_at: at }).where('id', '=', batchId).execute();
    await recordEvent(trx, {
      actor,
      command: 'imports undo',
      summary: `undid import batch ${batchId}: removed ${result.removedCustomers} customers${result.removedOrders > 0 ? `, ${result.removedOrders} orders` : ''}${result.removedInteractions > 0 ? `, ${result.removedInteractions} interactions` : ''}, restored ${result.restoredFields} fields`,
      details: { ...result },
    });
    return result;
  });
}

/** Later changes that rest on batch N: they would be lost or left dangling by undoing it. */
async function findBlockers(trx: Kysely<Database>, batchId: number): Promise<string[]> {
  const blockers: string[] = [];
  const created = trx.selectFrom('customers').select('id').where('created_batch_id', '=', batchId);

  // A field this batch set that has changed since: restoring the old value would erase the later change.
  const overwritten = await sql<{ customer_id: number; field: string }>`
    SELECT c.customer_id, c.field FROM changes c
    WHERE c.batch_id = ${batchId} AND c.entity = 'customer'
      AND EXISTS (SELECT 1 FROM changes later WHERE later.customer_id = c.customer_id AND later.entity = 'customer'
                  AND later.field = c.field AND later.id > c.id
                  AND (later.batch_id IS NULL OR later.batch_id IN (SELECT id FROM import_batches WHERE status = 'committed' AND id != ${batchId})))
    LIMIT ${CHANGE_BLOCKER_LIMIT}`.execute(trx);
  for (const row of overwritten.rows) blockers.push(`customer ${row.customer_id}: ${row.field} was changed again after this import`);

  const laterChanges = await trx
    .selectFrom('changes')
    .innerJoin('customers', 'customers.id', 'changes.customer_id')
    .select(['changes.customer_id', 'changes.batch_id', 'changes.merge_id', 'changes.event_id'])
    .where('customers.created_batch_id', '=', batchId)
    .where((eb) =>
      eb.or([
        eb('changes.batch_id', 'is', null),
        eb('changes.batch_id', 'in', eb.selectFrom('import_batches').select('id').where('status', '=', 'committed').where('id', '!=', batchId)),
      ]),
    )
    .limit(CHANGE_BLOCKER_LIMIT)
    .execute();
  for (const row of laterChanges) {
    const by = row.batch_id !== null ? `import batch ${row.batch_id}` : row.merge_id !== null ? `merge ${row.merge_id}` : 'a manual edit';
    blockers.push(`customer ${row.customer_id}, created by this import, was changed by ${by}`);
  }

  const notThisBatch = (eb: ExpressionBuilder<Database, 'orders' | 'interactions'>) => eb.or([eb('batch_id', 'is', null), eb('batch_id', '!=', batchId)]);
  const orders = await trx.selectFrom('orders').select(['customer_id', 'batch_id']).where('customer_id', 'in', created).where(notThisBatch).limit(CHANGE_BLOCKER_LIMIT).execute();
  for (const row of orders) blockers.push(`customer ${row.customer_id}, created by this import, has orders (from batch ${row.batch_id ?? 'manual entry'})`);
  const interactions = await trx.selectFrom('interactions').select('customer_id').where('customer_id', 'in', created).where(notThisBatch).limit(CHANGE_BLOCKER_LIMIT).execute();
  for (const row of interactions) blockers.push(`customer ${row.customer_id}, created by this import, has interactions`);
  const merges = await trx
    .selectFrom('merges')
    .select(['id', 'survivor_id', 'merged_id'])
    .where('undone_at', 'is', null)
    .where((eb) => eb.or([eb('survivor_id', 'in', created), eb('merged_id', 'in', created)]))
    .limit(CHANGE_BLOCKER_LIMIT)
    .execute();
  for (const row of merges) blockers.push(`merge ${row.id} involves customers created by this import (undo the merge first)`);
  return [...new Set(blockers)];
}
