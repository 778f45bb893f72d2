import type { Kysely } from 'kysely';
import { recordEvent } from '../audit/record-event.js';
import { nowIso } from '../db/clock.js';
import { refreshCustomerMetrics } from '../db/customer-metrics.js';
import type { ChangeEntity, Database } from '../db/tables.js';
import type { CustomerSnapshot } from './customer-snapshot.js';
import type { MergePlan } from './plan-merge.js';

/** The before-state a merge records, so `merges undo` can put both customers back exactly. */
export interface MergeSnapshot {
  survivor: CustomerSnapshot;
  merged: CustomerSnapshot;
  /** Orders and interactions that moved from the merged customer to the survivor. */
  movedOrderIds: number[];
  movedInteractionIds: number[];
}

export interface AppliedMerge {
  mergeId: number;
  survivorId: number;
  mergedId: number;
  fieldsChanged: number;
  tagsAdded: number;
  attributesSet: number;
  identitiesMoved: number;
  ordersMoved: number;
  interactionsMoved: number;
}

/**
 * Carries out a merge plan on `trx`, which must be a transaction the caller
 * opened (with the snapshots read inside it): the survivor gets the planned
 * values, tags, attributes and identities; orders and interactions move to it;
 * the merged customer stays as a tombstone (status 'merged', merged_into =
 * survivor); both customers' stored metrics are recomputed. Records the
 * merge with its plan and snapshots, an event, and a change row per field,
 * tag, attribute and identity.
 */
export async function applyMergePlan(
  trx: Kysely<Database>,
  plan: MergePlan,
  survivor: CustomerSnapshot,
  merged: CustomerSnapshot,
  options: { actor: string; probability: number | null; command: string },
): Promise<AppliedMerge> {
  const at = nowIso();
  const { survivorId, mergedId } = plan;
  const movedOrderIds = (await trx.selectFrom('orders').select('id').where('customer_id', '=', mergedId).orderBy('id').execute()).map((r) => r.id);
  const movedInteractionIds = (await trx.selectFrom('interactions').select('id').where('customer_id', '=', mergedId).orderBy('id').execute()).map(
    (r) => r.id,
  );
  const changedFields = plan.fields.filter((f) => f.changes);
  const eventId = await recordEvent(trx, {
    actor: options.actor,
    command: options.command,
    summary: `merged customer ${mergedId} into ${survivorId}`,
    details: {
      survivorId,
      mergedId,
      probability: options.probability,
      fields: changedFields.map((f) => f.field),
      ordersMoved: movedOrderIds.length,
      interactionsMoved: movedInteractionIds.length,
    },
  });
  const snapshot: MergeSnapshot = { survivor, merged, movedOrderIds, movedInteractionIds };
  const mergeRow = await trx
    .insertInto('merges')
    .values({
      survivor_id: survivorId,
      merged_id: mergedId,
      probability: options.probability,
      plan_json: JSON.stringify(plan),
      snapshot_json: JSON.stringify(snapshot),
      created_at: at,
      event_id: eventId,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const mergeId = mergeRow.id;
  const changes: { customer_id: number; entity: ChangeEntity; entity_id: string | null; action: 'insert' | 'update' | 'delete'; field: string | null; old_value: string | null; new_value: string | null }[] = [];

  if (changedFields.length > 0) {
    await trx
      .updateTable('customers')
      .set(Object.fromEntries(changedFields.map((f) => [f.field, f.value])))
      .where('id', '=', survivorId)
      .execute();
  }
  for (const f of changedFields) {
    changes.push({ customer_id: survivorId, entity: 'customer', entity_id: null, action: 'update', field: f.field, old_value: survivor.customer[f.field] ?? null, new_value: f.value });
  }
  await trx.updateTable('customers').set({ updated_at: at }).where('id', '=', survivorId).execute();

  for (const tag of plan.addTags) {
    await trx.insertInto('customer_tags').values({ customer_id: survivorId, tag }).onConflict((oc) => oc.doNothing()).execute();
    changes.push({ customer_id: survivorId, entity: 'tag', entity_id: null, action: 'insert', field: tag, old_value: null, new_value: tag });
  }
  for (const a of plan.attributes) {
    await trx
      .insertInto('customer_attributes')
      .values({ customer_id: survivorId, name: a.name, value: a.value })
      .onConflict((oc) => oc.columns(['customer_id', 'name']).doUpdateSet({ value: a.value }))
      .execute();
    changes.push({ customer_id: survivorId, entity: 'attribute', entity_id: null, action: a.old === null ? 'insert' : 'update', field: a.name, old_value: a.old, new_value: a.value });
  }
  for (const identity of plan.identities) {
    await trx
      .updateTable('customer_identities')
      .set({ customer_id: survivorId })
      .where('source', '=', identity.source)
      .where('external_id', '=', identity.externalId)
      .execute();
    changes.push({
      customer_id: survivorId,
      entity: 'identity',
      entity_id: `${identity.source}:${identity.externalId}`,
      action: 'update',
      field: 'customer_id',
      old_value: String(mergedId),
      new_value: String(survivorId),
    });
  }
  await trx.updateTable('orders').set({ customer_id: survivorId }).where('customer_id', '=', mergedId).execute();
  await trx.updateTable('interactions').set({ customer_id: survivorId }).where('customer_id', '=', mergedId).execute();
  await refreshCustomerMetrics(trx, [survivorId, mergedId]);
  await trx.updateTable('customers').set({ status: 'merged', merged_into: survivorId, updated_at: at }).where('id', '=', mergedId).execute();
  changes.push({ customer_id: mergedId, entity: 'customer', entity_id: null, action: 'update', field: 'status', old_value: merged.customer.status, new_value: 'merged' });
  changes.push({ customer_id: mergedId, entity: 'customer', entity_id: null, action: 'update', field: 'merged_into', old_value: null, new_value: String(survivorId) });

  for (const change of changes) {
    await trx.insertInto('changes').values({ ...change, batch_id: null, merge_id: mergeId, event_id: eventId, at }).execute();
  }
  return {
    mergeId,
    survivorId,
    mergedId,
    fieldsChanged: changedFields.length,
    tagsAdded: plan.addTags.length,
    attributesSet: plan.attributes.length,
    identitiesMoved: plan.identities.length,
    ordersMoved: movedOrderIds.length,
    interactionsMoved: movedInteractionIds.length,
  };
}
