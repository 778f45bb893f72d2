import { normalizeCustomerRow, type RowContext } from '../import/normalize-customer-row.js';
import type { MappedRow } from '../mapping/map-row.js';
import type { CustomerRecord } from '../model/customer-record.js';
import { isDayMonthDate, parseTimestamp } from '../normalize/parse-date.js';
import type { InteractionField } from './map-interaction-columns.js';

export interface NormalizedInteraction {
  interactionId: string | null;
  /** UTC ISO instant. */
  occurredAt: string;
  channel: string | null;
  kind: string;
  summary: string | null;
  outcome: string | null;
  staff: string | null;
  customer: CustomerRecord;
  /** Standardised content, for a derived id when the file has none. */
  contentKey: string;
}

export interface InteractionWarning {
  field: InteractionField | 'row';
  message: string;
}

export type InteractionNormalization =
  | { ok: true; interaction: NormalizedInteraction; warnings: InteractionWarning[] }
  | { ok: false; reasons: string[]; warnings: InteractionWarning[] };

const CHANNELS: Readonly<Record<string, string>> = {
  email: 'email', e_mail: 'email', mail: 'email', inbound_email: 'email', outbound_email: 'email',
  phone: 'phone', call: 'phone', phone_call: 'phone', telephone: 'phone', voice: 'phone', inbound_call: 'phone', outbound_call: 'phone', voicemail: 'phone', telefon: 'phone',
  chat: 'chat', live_chat: 'chat', livechat: 'chat', web_chat: 'chat', messenger: 'chat', whatsapp: 'chat', sms: 'sms', text: 'sms', text_message: 'sms',
  in_store: 'in-store', instore: 'in-store', store: 'in-store', shop: 'in-store', walk_in: 'in-store', in_person: 'in-store', counter: 'in-store', face_to_face: 'in-store',
  social: 'social', social_media: 'social', twitter: 'social', x: 'social', facebook: 'social', instagram: 'social', tiktok: 'social', linkedin: 'social',
  web: 'web', web_form: 'web', webform: 'web', form: 'web', contact_form: 'web', website: 'web', portal: 'web',
  letter: 'letter', post: 'letter', mail_letter: 'letter',
};

const KINDS: Readonly<Record<string, string>> = {
  support: 'support', support_request: 'support', help: 'support', problem: 'support', incident: 'support', issue: 'support', technical: 'support', service: 'support', ticket: 'support',
  complaint: 'complaint', complaints: 'complaint', grievance: 'complaint', beschwerde: 'complaint', reclamation: 'complaint', réclamation: 'complaint',
  inquiry: 'inquiry', enquiry: 'inquiry', question: 'inquiry', request: 'inquiry', info: 'inquiry', information: 'inquiry', sales: 'inquiry', quote: 'inquiry', anfrage: 'inquiry',
  feedback: 'feedback', review: 'feedback', praise: 'feedback', compliment: 'feedback', suggestion: 'feedback', survey: 'feedback',
  note: 'note', notes: 'note', memo: 'note', comment: 'note', call_note: 'note', visit: 'note',
  return: 'return', returns: 'return', refund: 'return', exchange: 'return',
};

/**
 * Standardises one interactions row: its date (required), channel and kind
 * in custdb's words (email, phone, chat, in-store, social…; support,
 * complaint, inquiry, feedback, note…; others kept, lower-cased), subject
 * and summary joined, and whose it is (a customer id, email or phone is
 * required). Pure; never throws.
 */
export function normalizeInteraction(fields: Partial<Record<InteractionField, string>>, ctx: RowContext): InteractionNormalization {
  const warnings: InteractionWarning[] = [];
  const reasons: string[] = [];

  let occurredAt: string | null = null;
  const when = fields.occurred_at;
  if (when === undefined) {
    reasons.push('no date');
  } else if (ctx.dateOrderConflict && isDayMonthDate(when)) {
    reasons.push(`the file's dates contradict each other on day/month order, so ${when} is not read; use --date-format dmy|mdy`);
  } else {
    const parsed = parseTimestamp(when, ctx.dateOrder);
    occurredAt = parsed.timestamp;
    if (occurredAt === null) reasons.push(`date: ${parsed.warnings[0] ?? `cannot read ${JSON.stringify(when)} as a date`}`);
  }

  const customerRow: MappedRow = { fields: {}, tags: [], identities: [], attributes: {} };
  if (fields.customer_external_id !== undefined) customerRow.fields.external_id = fields.customer_external_id;
  for (const field of ['email', 'phone', 'first_name', 'last_name', 'full_name'] as const) {
    const value = fields[field];
    if (value !== undefined) customerRow.fields[field] = value;
  }
  const customer = normalizeCustomerRow(customerRow, ctx);
  for (const warning of customer.warnings) {
    const field: InteractionField | 'row' =
      warning.field === 'external_id' ? 'customer_external_id' : warning.field === 'email' || warning.field === 'phone' ? warning.field : 'row';
    warnings.push({ field, message: warning.message });
  }
  let record: CustomerRecord | null = null;
  if (!customer.ok) {
    reasons.push(fields.email || fields.phone || fields.customer_external_id ? `customer: ${customer.reasons[0] ?? 'invalid'}` : 'no customer id, email or phone: cannot tell whose interaction this is');
  } else if (customer.record.externalIds.length === 0 && customer.record.values.email_norm === null && customer.record.values.phone_e164 === null) {
    reasons.push('no valid customer id, email or phone: cannot tell whose interaction this is (a name alone does not identify a customer)');
  } else {
    record = customer.record;
  }
  if (reasons.length > 0 || occurredAt === null || record === null) return { ok: false, reasons, warnings };

  const channel = fields.channel === undefined ? null : (CHANNELS[wordKey(fields.channel)] ?? fields.channel.trim().toLowerCase());
  const kind = fields.kind === undefined ? 'note' : (KINDS[wordKey(fields.kind)] ?? fields.kind.trim().toLowerCase());
  const subject = fields.subject?.trim() || null;
  const body = fields.summary?.trim() || null;
  const summary = subject !== null && body !== null && subject !== body ? `${subject}: ${body}` : (subject ?? body);
  const outcome = fields.outcome?.trim() || null;
  const staff = fields.staff?.trim() || null;
  const reference = record.externalIds[0] ? `${record.externalIds[0].source}:${record.externalIds[0].externalId}` : (record.values.email_norm ?? record.values.phone_e164 ?? '');
  return {
    ok: true,
    interaction: {
      interactionId: fields.interaction_id ?? null,
      occurredAt,
      channel,
      kind,
      summary,
      outcome,
      staff,
      customer: record,
      contentKey: JSON.stringify([reference, occurredAt, channel, kind, summary, outcome, staff]),
    },
    warnings,
  };
}

function wordKey(text: string): string {
  return text.trim().toLowerCase().replace(/[\s-]+/g, '_');
}
