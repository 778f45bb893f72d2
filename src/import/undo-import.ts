import { sql, type ExpressionBuilder, type Kysely } from 'kysely';
import { nowIso } from '../db/clock.js';
import { markBatchCustomerMetrics, refreshMarkedCustomerMetrics } from '../db/customer-metrics.js';
import { describeErasedBlockers, erasedCustomersOfBatch } from '../db/erase-customers.js';
import { getBatch } from '../db/import-batches.js';
import type { Store } from '../db/store.js';
import type { Database } from '../db/tables.js';
import { recordEvent } from '../audit/record-event.js';
import { NotFoundError } from '../errors.js';

export interface UndoResult {
  batchId: number;
  /** `partly-undone`: undone except what later changes rest on (see `kept`). */
  status: 'undone' | 'partly-undone' | 'refused' | 'already-undone';
  removedCustomers: number;
  restoredFields: number;
  removedIdentities: number;
  removedTags: number;
  restoredAttributes: number;
  /** Orders (with their items) and interactions an orders or interactions batch added. */
  removedOrders: number;
  removedInteractions: number;
  /** The later changes that depend on this batch: why it was refused, or what was kept (up to 20 named). */
  blockers: string[];
  /** Customers created by the batch that stay, because later changes rest on them. */
  keptCustomers: number;
  /** Fields the batch set that keep their later value. */
  keptFields: number;
  /** Set when refused because the batch touched customers who were erased since: their ids. */
  erased?: number[];
}

export interface UndoOptions {
  /** Undo everything later changes do not rest on, instead of refusing; the rest keeps its later state. */
  keepLaterChanges?: boolean;
}

const CHANGE_BLOCKER_LIMIT = 20;

/**
 * Restores what import batch N changed, in one transaction: customers it
 * created are removed, fields it set get their old values back, identities,
 * tags and attributes it added are removed, and the stored metrics of the
 * customers whose orders or interactions it touched are recomputed. When a
 * later change depends on the batch it refuses (returns the reasons, changes
 * nothing), or with `keepLaterChanges` undoes the rest: customers a later
 * change rests on stay whole, fields changed since keep their later value.
 */
export async function undoImport(store: Store, batchId: number, actor: string, options: UndoOptions = {}): Promise<UndoResult> {
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
    keptCustomers: 0,
    keptFields: 0,
  };
  if (batch.status === 'undone') return { ...result, status: 'already-undone' };

  return store.transaction(async (trx) => {
    // Not even --keep-later-changes undoes around an erased person: their emptied row must stay as it is.
    const erased = await erasedCustomersOfBatch(trx, batchId);
    if (erased.length > 0) return { ...result, status: 'refused', blockers: describeErasedBlockers(erased), erased: erased.map((c) => c.id) };
    const blockers = await findBlockers(trx, batchId);
    if (blockers.length > 0 && !options.keepLaterChanges) return { ...result, status: 'refused', blockers };
    result.blockers = blockers;
    const kept = keptCustomers(trx, batchId);
    const keptIds = new Set((await kept.execute()).map((row) => row.id));
    const keptChanges = await overwrittenChanges(trx, batchId);
    result.keptCustomers = keptIds.size;
    result.keptFields = keptChanges.size;
    // Before the batch's orders and interactions go: they say whose metrics change.
    await markBatchCustomerMetrics(trx, batchId);

    const changes = await trx.selectFrom('changes').selectAll().where('batch_id', '=', batchId).orderBy('id', 'desc').execute();
    for (const change of changes) {
      const customerId = change.customer_id!;
      if (keptIds.has(customerId) || keptChanges.has(change.id)) continue;
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

    const created = trx.selectFrom('customers').select('id').where('created_batch_id', '=', batchId).where('id', 'not in', kept);
    // Merges of these customers that were undone stay on record, but must not keep the customers alive.
    await trx.deleteFrom('merges').where('undone_at', 'is not', null).where((eb) => eb.or([eb('survivor_id', 'in', created), eb('merged_id', 'in', created)])).execute();
    await trx.deleteFrom('duplicate_suspects').where((eb) => eb.or([eb('customer_id', 'in', created), eb('other_id', 'in', created)])).execute();
    await trx.deleteFrom('dedupe_decisions').where((eb) => eb.or([eb('left_id', 'in', created), eb('right_id', 'in', created)])).execute();
    await trx.deleteFrom('customer_tags').where('customer_id', 'in', created).execute();
    await trx.deleteFrom('customer_attributes').where('customer_id', 'in', created).execute();
    await trx.deleteFrom('customer_identities').where('customer_id', 'in', created).execute();
    const removed = await trx.deleteFrom('customers').where('id', 'in', created).executeTakeFirst();
    result.removedCustomers = Number(removed.numDeletedRows);
    await refreshMarkedCustomerMetrics(trx, { ordersChanged: batch.kind !== 'interactions' });

    const at = nowIso();
    if (result.keptCustomers > 0 || result.keptFields > 0) result.status = 'partly-undone';
    await trx.updateTable('import_batches').set({ status: 'undone', undone_at: at }).where('id', '=', batchId).execute();
    await recordEvent(trx, {
      actor,
      command: 'imports undo',
      summary: `undid import batch ${batchId}: removed ${result.removedCustomers} customers${result.removedOrders > 0 ? `, ${result.removedOrders} orders` : ''}${result.removedInteractions > 0 ? `, ${result.removedInteractions} interactions` : ''}, restored ${result.restoredFields} fields${result.status === 'partly-undone' ? `; kept ${result.keptCustomers} customers and ${result.keptFields} fields that later changes rest on` : ''}`,
      details: { ...result },
    });
    return result;
  });
}

/** Whether a change was made after batch N by hand, by a merge, or by another import still in force. */
function isLaterChange(eb: ExpressionBuilder<Database, 'changes'>, batchId: number) {
  return eb.or([
    eb('changes.batch_id', 'is', null),
    eb('changes.batch_id', 'in', eb.selectFrom('import_batches').select('id').where('status', '=', 'committed').where('id', '!=', batchId)),
  ]);
}

/** Customers batch N created that later changes rest on: edited, merged, or given orders or interactions since. */
function keptCustomers(trx: Kysely<Database>, batchId: number) {
  return trx
    .selectFrom('customers')
    .select('id')
    .where('created_batch_id', '=', batchId)
    .where((eb) =>
      eb.or([
        eb.exists(eb.selectFrom('changes').select('changes.id').whereRef('changes.customer_id', '=', 'customers.id').where((inner) => isLaterChange(inner, batchId))),
        eb.exists(
          eb.selectFrom('orders').select('orders.id').whereRef('orders.customer_id', '=', 'customers.id').where((inner) => inner.or([inner('orders.batch_id', 'is', null), inner('orders.batch_id', '!=', batchId)])),
        ),
        eb.exists(
          eb
            .selectFrom('interactions')
            .select('interactions.id')
            .whereRef('interactions.customer_id', '=', 'customers.id')
            .where((inner) => inner.or([inner('interactions.batch_id', 'is', null), inner('interactions.batch_id', '!=', batchId)])),
        ),
        eb.exists(
          eb
            .selectFrom('merges')
            .select('merges.id')
            .where('merges.undone_at', 'is', null)
            .where((inner) => inner.or([inner.eb('merges.survivor_id', '=', inner.ref('customers.id')), inner.eb('merges.merged_id', '=', inner.ref('customers.id'))])),
        ),
      ]),
    );
}

/** Ids of batch N's field and custom-field changes changed again since: restoring them would erase the later change. */
async function overwrittenChanges(trx: Kysely<Database>, batchId: number): Promise<Set<number>> {
  const rows = await overwrittenChangesQuery(trx, batchId).execute();
  return new Set(rows.map((row) => row.id));
}

function overwrittenChangesQuery(trx: Kysely<Database>, batchId: number) {
  return trx
    .selectFrom('changes as c')
    .select(['c.id', 'c.customer_id', 'c.field'])
    .where('c.batch_id', '=', batchId)
    .where('c.entity', 'in', ['customer', 'attribute'])
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('changes')
          .select('changes.id')
          .whereRef('changes.customer_id', '=', 'c.customer_id')
          .whereRef('changes.entity', '=', 'c.entity')
          .whereRef('changes.field', '=', 'c.field')
          .whereRef('changes.id', '>', 'c.id')
          .where((inner) => isLaterChange(inner, batchId)),
      ),
    );
}

/** Later changes that rest on batch N, in words (at most a few per kind): they would be lost or left dangling by undoing it. */
async function findBlockers(trx: Kysely<Database>, batchId: number): Promise<string[]> {
  const blockers: string[] = [];
  const created = trx.selectFrom('customers').select('id').where('created_batch_id', '=', batchId);

  const overwritten = await overwrittenChangesQuery(trx, batchId).limit(CHANGE_BLOCKER_LIMIT).execute();
  for (const row of overwritten) blockers.push(`customer ${row.customer_id}: ${row.field} was changed again after this import`);

  const laterChanges = await trx
    .selectFrom('changes')
    .innerJoin('customers', 'customers.id', 'changes.customer_id')
    .select(['changes.customer_id', 'changes.batch_id', 'changes.merge_id', 'changes.event_id'])
    .where('customers.created_batch_id', '=', batchId)
    .where((eb) => isLaterChange(eb, batchId))
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
