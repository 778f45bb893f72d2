import { nowIso } from '../db/clock.js';
import { refreshCustomerMetrics } from '../db/customer-metrics.js';
import type { Store } from '../db/store.js';
import { UsageError } from '../errors.js';
import { loadEditableCustomer } from './edit-customer.js';
import { recordManualChanges } from './record-manual-changes.js';

export interface NoteResult {
  id: number;
  interactionId: number;
  occurredAt: string;
}

/**
 * Adds a note to an active customer's history: an interaction of kind `note`,
 * channel `note`, happening now, written by the actor. Recorded as an event
 * plus an `interaction` insert in `changes`. Throws UsageError for empty text.
 */
export async function addCustomerNote(store: Store, customerId: number, text: string, actor: string): Promise<NoteResult> {
  const summary = text.trim();
  if (summary === '') throw new UsageError('The note is empty.', { hint: 'Example: custdb customers note 42 "Prefers delivery after 5pm"' });
  await loadEditableCustomer(store, customerId);
  const now = nowIso();
  return store.transaction(async (trx) => {
    const inserted = await trx
      .insertInto('interactions')
      .values({ customer_id: customerId, occurred_at: now, channel: 'note', kind: 'note', summary, outcome: null, staff: actor, source: null, external_id: null, batch_id: null, created_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    // A note is an interaction: the order metrics, and so RFM's cut points, stay as they are.
    await refreshCustomerMetrics(trx, [customerId], { ordersChanged: false });
    await recordManualChanges(
      trx,
      { actor, command: 'customers note', summary: `note on customer ${customerId}: interaction ${inserted.id}`, details: { customerId, interactionId: inserted.id } },
      [{ customerId, entity: 'interaction', entityId: String(inserted.id), action: 'insert', field: 'summary', oldValue: null, newValue: summary }],
      now,
    );
    return { id: customerId, interactionId: inserted.id, occurredAt: now };
  });
}
