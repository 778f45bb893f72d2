import type { CustomerWriter } from '../db/customer-writer.js';
import type { CustomerRecord } from '../model/customer-record.js';
import { matchCustomer } from './match-customer.js';
import { consentStatedAt } from '../privacy/consent-statement.js';
import { isEmptyPlan, planUpdate, type MatchedBy, type UpdateMode } from './plan-customer-write.js';

/** What one customers row did: a new customer (flagged as a possible duplicate or not), or a known one updated or left as it was. */
export type CustomerRowOutcome =
  | { kind: 'inserted'; suspect: boolean }
  | { kind: 'updated'; by: MatchedBy }
  | { kind: 'unchanged'; by: MatchedBy };

/**
 * Matches one customers row against the database (`matchCustomer`) and
 * inserts it, or updates the customer it is (`fill` or `overwrite`),
 * recording every change so that undo can restore it. Runs on the caller's
 * open transaction; never commits.
 */
export function writeCustomerRow(
  writer: CustomerWriter,
  record: CustomerRecord,
  mode: UpdateMode,
  meta: { batchId: number; now: string; consentSource: string; fileDate: string },
): CustomerRowOutcome {
  const consentAt = consentStatedAt(record, meta.fileDate);
  const decision = matchCustomer(writer, record);

  const change = (customerId: number, entity: 'customer' | 'identity' | 'tag' | 'attribute', field: string | null, oldValue: string | null, newValue: string | null, entityId: string | null = null) =>
    writer.recordChange(
      { batchId: meta.batchId, eventId: null, customerId, entity, entityId, action: oldValue === null && entity !== 'customer' ? 'insert' : 'update', field, oldValue, newValue },
      meta.now,
    );

  if (decision.kind === 'new') {
    const id = writer.insertCustomer(record.values, { ...meta, consentAt });
    // None of the record's identities is known (else it would have matched), so all are new.
    for (const { source, externalId } of record.externalIds) writer.insertIdentity(id, source, externalId, meta.batchId, meta.now);
    for (const tag of record.tags) writer.insertTag(id, tag);
    for (const [name, value] of Object.entries(record.attributes)) writer.setAttribute(id, name, value);
    for (const suspect of decision.suspects) writer.flagSuspect(id, suspect.otherId, suspect.reason, meta.batchId, meta.now);
    return { kind: 'inserted', suspect: decision.suspects.length > 0 };
  }

  const customer = decision.customer;
  const plan = planUpdate(
    customer,
    { tags: writer.tags(customer.id), attributes: writer.attributes(customer.id) },
    record,
    mode,
    ({ source, externalId }) => writer.findByIdentity(source, externalId) !== undefined,
    consentAt,
  );
  if (isEmptyPlan(plan)) return { kind: 'unchanged', by: decision.by };
  for (const update of plan.fields) {
    writer.updateField(customer.id, update.field, update.new, { ...meta, consentAt });
    change(customer.id, 'customer', update.field, update.old, update.new);
    if (update.field === 'email_consent' || update.field === 'sms_consent') {
      // Consent carries when and where it was given; undo must restore those too.
      change(customer.id, 'customer', `${update.field}_at`, customer[`${update.field}_at`], consentAt);
      change(customer.id, 'customer', `${update.field}_source`, customer[`${update.field}_source`], meta.consentSource);
    }
  }
  for (const { source, externalId } of plan.identities) {
    writer.insertIdentity(customer.id, source, externalId, meta.batchId, meta.now);
    change(customer.id, 'identity', source, null, externalId, `${source}:${externalId}`);
  }
  for (const tag of plan.tags) {
    writer.insertTag(customer.id, tag);
    change(customer.id, 'tag', tag, null, tag);
  }
  for (const attribute of plan.attributes) {
    writer.setAttribute(customer.id, attribute.name, attribute.new);
    change(customer.id, 'attribute', attribute.name, attribute.old, attribute.new);
  }
  writer.touch(customer.id, meta.now);
  return { kind: 'updated', by: decision.by };
}
