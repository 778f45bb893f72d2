import type { Store } from '../db/store.js';
import type { ConsentState } from '../model/customer-record.js';
import type { MarketingChannel } from '../query/query-customers.js';

/** One change of a customer's consent on one channel, as the change log holds it. */
export interface ConsentHistoryEntry {
  channel: MarketingChannel;
  previous: ConsentState | null;
  state: ConsentState | null;
  /** When the answer was given (the row's time for a Mailchimp export, the file's date, the moment of an edit). */
  statedAt: string | null;
  source: string | null;
  /** When custdb recorded the change. */
  recordedAt: string;
  /** What made it: an import batch, a merge, or a command's audit entry (edit, privacy consent…). */
  madeBy: { kind: 'import'; batchId: number } | { kind: 'merge'; mergeId: number } | { kind: 'event'; eventId: number; command: string | null } | { kind: 'added' };
}

/**
 * Every change of a customer's email and SMS consent, oldest first, from the change log that imports, merges,
 * edits and `privacy consent` write (with when and where each answer was given), after the answers the
 * customer was created with. Undone imports' changes
 * are included: the log shows what happened, and the undo is its own entry.
 */
export async function consentHistory(store: Store, customerId: number): Promise<ConsentHistoryEntry[]> {
  const rows = await store.db
    .selectFrom('changes')
    .leftJoin('events', 'events.id', 'changes.event_id')
    .select(['changes.id', 'changes.batch_id', 'changes.merge_id', 'changes.event_id', 'changes.field', 'changes.old_value', 'changes.new_value', 'changes.at', 'events.command'])
    .where('changes.customer_id', '=', customerId)
    .where('changes.entity', '=', 'customer')
    .where('changes.field', 'in', ['email_consent', 'email_consent_at', 'email_consent_source', 'sms_consent', 'sms_consent_at', 'sms_consent_source'])
    .orderBy('changes.id')
    .execute();
  const customer = await store.db
    .selectFrom('customers')
    .select(['created_at', 'created_batch_id', 'email_consent', 'email_consent_at', 'email_consent_source', 'sms_consent', 'sms_consent_at', 'sms_consent_source'])
    .where('id', '=', customerId)
    .executeTakeFirst();
  if (!customer) return [];
  const entries: ConsentHistoryEntry[] = [];
  // The answer a customer was created with has no change row: it is what the first change replaced, else what is stored now.
  for (const channel of ['email', 'sms'] as const) {
    const field = `${channel}_consent` as const;
    const first = rows.findIndex((r) => r.field === field);
    const stampOf = (suffix: 'at' | 'source') => (first < 0 ? customer[`${field}_${suffix}`] : (rows.slice(first + 1, first + 3).find((r) => r.field === `${field}_${suffix}`)?.old_value ?? null));
    const state = first < 0 ? customer[field] : (rows[first]!.old_value as ConsentState | null);
    if (state === null) continue;
    entries.push({
      channel,
      previous: null,
      state,
      statedAt: stampOf('at'),
      source: stampOf('source'),
      recordedAt: customer.created_at,
      madeBy: customer.created_batch_id === null ? { kind: 'added' } : { kind: 'import', batchId: customer.created_batch_id },
    });
  }
  const changed: ConsentHistoryEntry[] = [];
  // A state change is followed by its _at and _source rows from the same writer.
  const origin = (r: (typeof rows)[number]) => `${r.batch_id}/${r.merge_id}/${r.event_id}`;
  for (const [k, row] of rows.entries()) {
    const channel = row.field === 'email_consent' ? 'email' : row.field === 'sms_consent' ? 'sms' : undefined;
    if (channel === undefined) continue;
    const stamp = (suffix: string) => rows.slice(k + 1, k + 3).find((r) => r.field === `${channel}_consent_${suffix}` && origin(r) === origin(row))?.new_value ?? null;
    changed.push({
      channel,
      previous: row.old_value as ConsentState | null,
      state: row.new_value as ConsentState | null,
      statedAt: stamp('at'),
      source: stamp('source'),
      recordedAt: row.at,
      madeBy:
        row.batch_id !== null
          ? { kind: 'import', batchId: row.batch_id }
          : row.merge_id !== null
            ? { kind: 'merge', mergeId: row.merge_id }
            : { kind: 'event', eventId: row.event_id ?? 0, command: row.command ?? null },
    });
  }
  return [...entries, ...changed];
}
