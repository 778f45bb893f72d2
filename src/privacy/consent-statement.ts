import type { ConsentState, CustomerRecord } from '../model/customer-record.js';

/** A consent answer and when it was given ('YYYY-MM-DDTHH:MM:SS.sssZ'); `at` null when nobody knows. */
export interface ConsentStatement {
  state: ConsentState | null;
  at: string | null;
}

/**
 * When a row's consent was stated. A Mailchimp export says it per row: an unsubscribed member at UNSUB_TIME,
 * a cleaned one at CLEAN_TIME, a subscribed one on the day of OPTIN_TIME (or CONFIRM_TIME); every other file
 * speaks as of its own date (`fileDate`, when it was last written). A time that cannot be read falls back to
 * the file's date. Pure.
 * @example consentStatedAt({ attributes: { mailchimp_status: 'unsubscribed', unsubscribed_at: '2024-02-02 08:00:00' }, … }, fileDate) // '2024-02-02T08:00:00.000Z'
 */
export function consentStatedAt(record: Pick<CustomerRecord, 'attributes' | 'values'>, fileDate: string): string {
  const status = record.attributes.mailchimp_status;
  const stated =
    status === 'unsubscribed' ? record.attributes.unsubscribed_at : status === 'cleaned' ? record.attributes.cleaned_at : status === 'subscribed' ? record.values.signup_date : undefined;
  return readInstant(stated) ?? fileDate;
}

/**
 * Whether an incoming consent statement replaces the stored one: the newer statement wins, whatever the
 * import's update mode, so an older file never brings back consent a newer one withdrew. A stored answer
 * with no time gives way; at the same instant a withdrawal wins. Pure.
 */
export function replacesConsent(stored: ConsentStatement, incoming: ConsentStatement): boolean {
  if (incoming.state === null || incoming.state === stored.state) return false;
  if (stored.state === null || stored.at === null || incoming.at === null) return stored.state === null || stored.at === null;
  if (incoming.at !== stored.at) return incoming.at > stored.at;
  return incoming.state === 'denied';
}

/** 'YYYY-MM-DD', 'YYYY-MM-DD HH:MM[:SS]' or ISO (read as UTC, as Mailchimp writes them) → an instant; else undefined. */
function readInstant(text: string | null | undefined): string | undefined {
  const match = text ? /^(\d{4}-\d{2}-\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?Z?)?$/.exec(text.trim()) : null;
  if (!match) return undefined;
  const instant = new Date(`${match[1]}T${match[2] ?? '00'}:${match[3] ?? '00'}:${match[4] ?? '00'}.000Z`);
  return Number.isNaN(instant.getTime()) ? undefined : instant.toISOString();
}
