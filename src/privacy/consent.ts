import { nowIso } from '../db/clock.js';
import type { Store } from '../db/store.js';
import { UsageError } from '../errors.js';
import type { ConsentState } from '../model/customer-record.js';
import { loadEditableCustomer } from '../customers/edit-customer.js';
import { recordManualChanges, type ManualChange } from '../customers/record-manual-changes.js';
import type { MarketingChannel } from '../query/query-customers.js';

export interface ConsentChange {
  channel: MarketingChannel;
  old: ConsentState | null;
  new: ConsentState;
}

export interface SetConsentResult {
  id: number;
  status: 'changed' | 'unchanged';
  changes: ConsentChange[];
  /** Where the answers were given, as stored with them. */
  source: string;
  at: string;
  eventId: number | null;
}

/** The source stored with consent given through `privacy consent` when none is named. */
const CONSENT_COMMAND_SOURCE = 'manual';

/**
 * Records a person's consent answers (yes → granted, no → denied) for email and/or SMS, stamped now and with
 * `source`, in one transaction with its audit entry and change rows (undoable, listed by consentHistory). An
 * answer the customer already has changes nothing. Throws for an unknown, merged or erased customer.
 */
export async function setConsent(
  store: Store,
  customerId: number,
  answers: Partial<Record<MarketingChannel, boolean>>,
  options: { source?: string | undefined; actor: string },
): Promise<SetConsentResult> {
  const source = options.source?.trim() || CONSENT_COMMAND_SOURCE;
  if (source.length > 200) throw new UsageError('--source is longer than 200 characters.', { hint: 'Say briefly where the answer came from: "phone call", "signed form 2026-11".' });
  const stored = await loadEditableCustomer(store, customerId);
  const now = nowIso();
  return store.transaction(async (trx) => {
    const changes: ConsentChange[] = [];
    const recorded: ManualChange[] = [];
    const set: Record<string, string> = {};
    for (const channel of ['email', 'sms'] as const) {
      const answer = answers[channel];
      if (answer === undefined) continue;
      const field = `${channel}_consent` as const;
      const next: ConsentState = answer ? 'granted' : 'denied';
      if (stored[field] === next) continue;
      changes.push({ channel, old: stored[field], new: next });
      set[field] = next;
      set[`${field}_at`] = now;
      set[`${field}_source`] = source;
      // Consent carries when and where it was given; undo must restore those too.
      for (const [column, old, value] of [[field, stored[field], next], [`${field}_at`, stored[`${field}_at`], now], [`${field}_source`, stored[`${field}_source`], source]] as const) {
        recorded.push({ customerId, entity: 'customer', entityId: String(customerId), action: 'update', field: column, oldValue: old, newValue: value });
      }
    }
    if (changes.length === 0) return { id: customerId, status: 'unchanged' as const, changes, source, at: now, eventId: null };
    await trx.updateTable('customers').set({ ...set, updated_at: now }).where('id', '=', customerId).execute();
    const eventId = await recordManualChanges(
      trx,
      {
        actor: options.actor,
        command: 'privacy consent',
        summary: `consent of customer ${customerId}: ${changes.map((c) => `${c.channel} ${c.new}`).join(', ')}`,
        details: { customerId, consent: Object.fromEntries(changes.map((c) => [c.channel, c.new])), source },
      },
      recorded,
      now,
    );
    return { id: customerId, status: 'changed' as const, changes, source, at: now, eventId };
  });
}
