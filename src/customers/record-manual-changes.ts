import type { Kysely } from 'kysely';
import { recordEvent, type EventInput } from '../audit/record-event.js';
import type { ChangeEntity, Database } from '../db/tables.js';

/** One field-level change made by hand, as the `changes` table keeps it for the audit trail and undo. */
export interface ManualChange {
  customerId: number;
  entity: ChangeEntity;
  entityId?: string | null;
  action: 'insert' | 'update' | 'delete';
  field: string | null;
  oldValue: string | null;
  newValue: string | null;
}

/**
 * Records a manual change the way imports record theirs: one event in the
 * audit log, then its `changes` rows carrying the event id. Call inside the
 * transaction that made the change; returns the event id.
 */
export async function recordManualChanges(trx: Kysely<Database>, event: EventInput, changes: ManualChange[], at: string): Promise<number> {
  const eventId = await recordEvent(trx, event);
  if (changes.length > 0) {
    await trx
      .insertInto('changes')
      .values(
        changes.map((c) => ({
          batch_id: null,
          merge_id: null,
          event_id: eventId,
          customer_id: c.customerId,
          entity: c.entity,
          entity_id: c.entityId ?? null,
          action: c.action,
          field: c.field,
          old_value: c.oldValue,
          new_value: c.newValue,
          at,
        })),
      )
      .execute();
  }
  return eventId;
}
