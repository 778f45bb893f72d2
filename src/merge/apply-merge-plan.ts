import { sql, type Kysely, type RawBuilder } from 'kysely';
import { recordEvents } from '../audit/record-event.js';
import { refreshCustomerMetrics } from '../db/customer-metrics.js';
import type { ChangeTable, Database } from '../db/tables.js';
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

/** One merge to carry out: its plan, both customers as they are just before it, and when it happens. */
export interface MergeStep {
  plan: MergePlan;
  survivor: CustomerSnapshot;
  merged: CustomerSnapshot;
  probability: number | null;
  at: string;
}

type ChangeRow = Pick<ChangeTable, 'entity' | 'entity_id' | 'action' | 'field' | 'old_value' | 'new_value'> & { customer_id: number };

/** Rows or ids per statement: well under both dialects' limits on bound values, few enough round trips for thousands of merges. */
const ROWS_PER_STATEMENT = 400;

/**
 * Carries out merge plans on `trx`, which must be a transaction the caller
 * opened (with the snapshots read inside it), in the order given; a customer
 * merged more than once in `steps` is the survivor of each (the snapshots
 * then show it as each earlier step left it). For each step the survivor gets
 * the planned values, tags, attributes and identities; orders and interactions
 * move to it; the merged customer stays as a tombstone (status 'merged',
 * merged_into = survivor). Each merge is recorded on its own (plan,
 * snapshots, an event, a change row per field, tag, attribute and identity),
 * so `merges undo` can take back any one of them; the writes themselves are
 * made set-wise, a few statements for all the steps, and the stored metrics
 * of every customer involved are recomputed once at the end.
 */
export async function applyMergePlans(trx: Kysely<Database>, steps: readonly MergeStep[], options: { actor: string; command: string }): Promise<AppliedMerge[]> {
  if (steps.length === 0) return [];
  const mergedIds = steps.map((s) => s.plan.mergedId);
  const movedOrders = await idsByCustomer(trx, 'orders', mergedIds);
  const movedInteractions = await idsByCustomer(trx, 'interactions', mergedIds);
  const moved = steps.map((s) => ({ orders: movedOrders.get(s.plan.mergedId) ?? [], interactions: movedInteractions.get(s.plan.mergedId) ?? [] }));

  const eventIds = await recordEvents(
    trx,
    steps.map((s, k) => ({
      actor: options.actor,
      command: options.command,
      at: s.at,
      summary: `merged customer ${s.plan.mergedId} into ${s.plan.survivorId}`,
      details: {
        survivorId: s.plan.survivorId,
        mergedId: s.plan.mergedId,
        probability: s.probability,
        fields: s.plan.fields.filter((f) => f.changes).map((f) => f.field),
        ordersMoved: moved[k]!.orders.length,
        interactionsMoved: moved[k]!.interactions.length,
      },
    })),
  );
  const mergeIds = await insertInIdOrder(
    trx,
    steps.map((s, k) => {
      const snapshot: MergeSnapshot = { survivor: s.survivor, merged: s.merged, movedOrderIds: moved[k]!.orders, movedInteractionIds: moved[k]!.interactions };
      return {
        survivor_id: s.plan.survivorId,
        merged_id: s.plan.mergedId,
        probability: s.probability,
        plan_json: JSON.stringify(s.plan),
        snapshot_json: JSON.stringify(snapshot),
        created_at: s.at,
        event_id: eventIds[k]!,
      };
    }),
  );

  await updateSurvivors(trx, steps);
  await markMerged(trx, steps);
  await addTags(trx, steps);
  await setAttributes(trx, steps);
  // Each step names the merged customer's identity rows (from its snapshot); a later step of the same survivor does not touch them again.
  const identityOwners = steps.flatMap((s) => s.merged.identities.map((i) => [i.id, s.plan.survivorId] as const));
  for (const chunk of chunks(identityOwners)) {
    await trx
      .updateTable('customer_identities')
      .set({ customer_id: caseOf('id', chunk, 'customer_id') })
      .where('id', 'in', chunk.map(([id]) => id))
      .execute();
  }
  const mergedToSurvivor = steps.map((s) => [s.plan.mergedId, s.plan.survivorId] as const);
  for (const table of ['orders', 'interactions'] as const) {
    for (const chunk of chunks(mergedToSurvivor)) {
      await trx
        .updateTable(table)
        .set({ customer_id: caseOf('customer_id', chunk, 'customer_id') })
        .where('customer_id', 'in', chunk.map(([id]) => id))
        .execute();
    }
  }
  await refreshCustomerMetrics(trx, [...new Set(steps.flatMap((s) => [s.plan.survivorId, s.plan.mergedId]))], { ordersChanged: true });

  // In step order, so a merge's change rows come after those of every merge before it (undo's "later change" test reads ids).
  const changes = steps.flatMap((s, k) => changeRows(s).map((change) => ({ ...change, batch_id: null, merge_id: mergeIds[k]!, event_id: eventIds[k]!, at: s.at })));
  for (const chunk of chunks(changes)) await trx.insertInto('changes').values(chunk).execute();

  return steps.map((s, k) => ({
    mergeId: mergeIds[k]!,
    survivorId: s.plan.survivorId,
    mergedId: s.plan.mergedId,
    fieldsChanged: s.plan.fields.filter((f) => f.changes).length,
    tagsAdded: s.plan.addTags.length,
    attributesSet: s.plan.attributes.length,
    identitiesMoved: s.plan.identities.length,
    ordersMoved: moved[k]!.orders.length,
    interactionsMoved: moved[k]!.interactions.length,
  }));
}

/** Ids of the rows of `table` each customer owns, ascending. */
async function idsByCustomer(trx: Kysely<Database>, table: 'orders' | 'interactions', customerIds: readonly number[]): Promise<Map<number, number[]>> {
  const owned = new Map<number, number[]>();
  for (const chunk of chunks(customerIds)) {
    const rows = await trx.selectFrom(table).select(['id', 'customer_id']).where('customer_id', 'in', chunk).orderBy('id').execute();
    for (const row of rows) {
      const ids = owned.get(row.customer_id);
      if (ids) ids.push(row.id);
      else owned.set(row.customer_id, [row.id]);
    }
  }
  return owned;
}

type NewMerge = { survivor_id: number; merged_id: number; probability: number | null; plan_json: string; snapshot_json: string; created_at: string; event_id: number };

/**
 * Inserts merge rows and returns their ids in the order given. Both engines
 * number a multi-row insert's rows in the order of its VALUES, but neither
 * promises RETURNING in that order: sorting the ids gives it back.
 */
async function insertInIdOrder(trx: Kysely<Database>, rows: readonly NewMerge[]): Promise<number[]> {
  const ids: number[] = [];
  // Snapshots make these rows large: fewer per statement.
  for (const chunk of chunks(rows, ROWS_PER_STATEMENT / 4)) {
    const returned = await trx.insertInto('merges').values(chunk).returning('id').execute();
    ids.push(...returned.map((r) => r.id).sort((a, b) => a - b));
  }
  return ids;
}

/** Each survivor's columns as its last step leaves them, and its updated_at, in one statement per chunk of survivors. */
async function updateSurvivors(trx: Kysely<Database>, steps: readonly MergeStep[]): Promise<void> {
  const last = new Map<number, { values: Map<string, string | null>; at: string }>();
  for (const s of steps) {
    const entry = last.get(s.plan.survivorId) ?? { values: new Map<string, string | null>(), at: s.at };
    for (const f of s.plan.fields) if (f.changes) entry.values.set(f.field, f.value);
    entry.at = s.at;
    last.set(s.plan.survivorId, entry);
  }
  // Up to two bound values per column per survivor: fewer survivors per statement.
  for (const chunk of chunks([...last.entries()], ROWS_PER_STATEMENT / 4)) {
    const columns = [...new Set(chunk.flatMap(([, e]) => [...e.values.keys()]))];
    const set: Record<string, RawBuilder<string | null>> = { updated_at: caseOf<string | null>('id', chunk.map(([id, e]) => [id, e.at]), 'updated_at') };
    for (const column of columns) {
      set[column] = caseOf('id', chunk.filter(([, e]) => e.values.has(column)).map(([id, e]) => [id, e.values.get(column) ?? null]), column);
    }
    await trx
      .updateTable('customers')
      .set(set)
      .where('id', 'in', chunk.map(([id]) => id))
      .execute();
  }
}

/** Turns every merged customer into a tombstone pointing at its survivor. */
async function markMerged(trx: Kysely<Database>, steps: readonly MergeStep[]): Promise<void> {
  for (const chunk of chunks(steps)) {
    await trx
      .updateTable('customers')
      .set({
        status: 'merged',
        merged_into: caseOf<number | null>('id', chunk.map((s) => [s.plan.mergedId, s.plan.survivorId]), 'merged_into'),
        updated_at: caseOf('id', chunk.map((s) => [s.plan.mergedId, s.at]), 'updated_at'),
      })
      .where('id', 'in', chunk.map((s) => s.plan.mergedId))
      .execute();
  }
}

async function addTags(trx: Kysely<Database>, steps: readonly MergeStep[]): Promise<void> {
  const rows = steps.flatMap((s) => s.plan.addTags.map((tag) => ({ customer_id: s.plan.survivorId, tag })));
  for (const chunk of chunks(rows)) await trx.insertInto('customer_tags').values(chunk).onConflict((oc) => oc.doNothing()).execute();
}

async function setAttributes(trx: Kysely<Database>, steps: readonly MergeStep[]): Promise<void> {
  // One row per (customer, name), the last step's value: an upsert may not touch the same row twice in one statement.
  const final = new Map<string, { customer_id: number; name: string; value: string }>();
  for (const s of steps) for (const a of s.plan.attributes) final.set(JSON.stringify([s.plan.survivorId, a.name]), { customer_id: s.plan.survivorId, name: a.name, value: a.value });
  for (const chunk of chunks([...final.values()])) {
    await trx
      .insertInto('customer_attributes')
      .values(chunk)
      .onConflict((oc) => oc.columns(['customer_id', 'name']).doUpdateSet((eb) => ({ value: eb.ref('excluded.value') })))
      .execute();
  }
}

/** What one merge changed, field by field, as the change log keeps it. */
function changeRows({ plan, survivor, merged }: MergeStep): ChangeRow[] {
  const { survivorId, mergedId } = plan;
  const rows: ChangeRow[] = [];
  for (const f of plan.fields) {
    if (f.changes) rows.push({ customer_id: survivorId, entity: 'customer', entity_id: null, action: 'update', field: f.field, old_value: survivor.customer[f.field] ?? null, new_value: f.value });
  }
  for (const tag of plan.addTags) rows.push({ customer_id: survivorId, entity: 'tag', entity_id: null, action: 'insert', field: tag, old_value: null, new_value: tag });
  for (const a of plan.attributes) {
    rows.push({ customer_id: survivorId, entity: 'attribute', entity_id: null, action: a.old === null ? 'insert' : 'update', field: a.name, old_value: a.old, new_value: a.value });
  }
  for (const identity of plan.identities) {
    rows.push({
      customer_id: survivorId,
      entity: 'identity',
      entity_id: `${identity.source}:${identity.externalId}`,
      action: 'update',
      field: 'customer_id',
      old_value: String(mergedId),
      new_value: String(survivorId),
    });
  }
  rows.push({ customer_id: mergedId, entity: 'customer', entity_id: null, action: 'update', field: 'status', old_value: merged.customer.status, new_value: 'merged' });
  rows.push({ customer_id: mergedId, entity: 'customer', entity_id: null, action: 'update', field: 'merged_into', old_value: null, new_value: String(survivorId) });
  return rows;
}

/** `CASE key WHEN k1 THEN v1 … ELSE otherwise END`: a different value per row in one UPDATE. */
function caseOf<T>(key: string, pairs: readonly (readonly [number, T])[], otherwise: string): RawBuilder<T> {
  return sql<T>`CASE ${sql.ref(key)} ${sql.join(pairs.map(([id, value]) => sql`WHEN ${id} THEN ${value}`), sql` `)} ELSE ${sql.ref(otherwise)} END`;
}

function chunks<T>(items: readonly T[], size = ROWS_PER_STATEMENT): T[][] {
  const out: T[][] = [];
  for (let k = 0; k < items.length; k += size) out.push(items.slice(k, k + size));
  return out;
}
