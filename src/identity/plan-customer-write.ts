import { CUSTOMER_VALUE_FIELDS, DERIVED_FIELDS, type CustomerRecord, type CustomerValues, type ExternalId } from '../model/customer-record.js';
import type { StoredCustomer } from '../db/customer-writer.js';
import { namesConflict } from './names-conflict.js';
import { replacesConsent } from '../privacy/consent-statement.js';

export type UpdateMode = 'fill' | 'overwrite';
export type MatchedBy = 'external_id' | 'email' | 'phone';

/** What identity resolution finds for one incoming row; email and phone are looked up only when needed. */
export interface IdentityLookup {
  byExternalId: StoredCustomer | undefined;
  byEmail: () => StoredCustomer[];
  byPhone: () => StoredCustomer[];
  /** The sources a customer has external ids from (asked only when the incoming row has ids). */
  identitySources: (customerId: number) => readonly string[];
}

export interface Suspect {
  otherId: number;
  reason: string;
}

export type MatchDecision = { kind: 'match'; customer: StoredCustomer; by: MatchedBy } | { kind: 'new'; suspects: Suspect[] };

/** Customers one row is flagged against at most: a shop's landline can be shared by hundreds. */
const MAX_SUSPECTS = 3;

/**
 * Picks the existing customer an incoming record is. Only three kinds of
 * evidence join a row to a customer: the same (source, external id); else the
 * same normalised email; else the same E.164 phone. A shared email or phone
 * joins only when nothing on the two records disagrees: not the first name,
 * not the surname, not the birth date, not the email (for a phone match), and
 * not an external id from the same source (Shopify's 101 and Shopify's 102 are
 * two people, whatever they share). Otherwise the record is new and flagged as
 * a possible duplicate of the customers it resembles. Pure.
 */
export function chooseMatch(incoming: CustomerRecord, lookup: IdentityLookup): MatchDecision {
  if (lookup.byExternalId) return { kind: 'match', customer: lookup.byExternalId, by: 'external_id' };
  const suspects: Suspect[] = [];
  const tryShared = (candidates: StoredCustomer[], by: 'email' | 'phone'): MatchDecision | undefined => {
    for (const candidate of candidates) {
      const conflict = describeConflict(incoming, candidate, by, lookup);
      if (conflict === undefined) return { kind: 'match', customer: candidate, by };
      if (suspects.length < MAX_SUSPECTS && !suspects.some((s) => s.otherId === candidate.id)) {
        suspects.push({ otherId: candidate.id, reason: `same ${by} as customer ${candidate.id} but ${conflict}` });
      }
    }
    return undefined;
  };
  return tryShared(lookup.byEmail(), 'email') ?? tryShared(lookup.byPhone(), 'phone') ?? { kind: 'new', suspects };
}

/** What tells two records sharing an email or phone apart, in words; undefined when nothing does. */
function describeConflict(incoming: CustomerRecord, candidate: StoredCustomer, by: 'email' | 'phone', lookup: IdentityLookup): string | undefined {
  const ours = incoming.values;
  if (namesConflict(ours.first_name, candidate.first_name)) return `a different first name (${ours.first_name} / ${candidate.first_name})`;
  if (namesConflict(ours.last_name, candidate.last_name)) return `a different surname (${ours.last_name} / ${candidate.last_name})`;
  if (by === 'phone' && ours.email_norm && candidate.email_norm && ours.email_norm !== candidate.email_norm) {
    return `a different email (${ours.email_norm} / ${candidate.email_norm})`;
  }
  if (ours.birth_date && candidate.birth_date && ours.birth_date !== candidate.birth_date) {
    return `a different birth date (${ours.birth_date} / ${candidate.birth_date})`;
  }
  if (incoming.externalIds.length > 0) {
    const theirs = new Set(lookup.identitySources(candidate.id));
    const clash = incoming.externalIds.find((id) => theirs.has(id.source));
    // The incoming id was not found, so the customer's id from that source is another one.
    if (clash) return `a different ${clash.source} id (${clash.externalId})`;
  }
  return undefined;
}

export interface FieldUpdate {
  field: keyof CustomerValues;
  old: string | null;
  new: string | null;
}

export interface UpdatePlan {
  fields: FieldUpdate[];
  identities: ExternalId[];
  tags: string[];
  attributes: { name: string; old: string | null; new: string }[];
}

/**
 * What an incoming record changes on an existing customer. `fill` sets only
 * empty fields; `overwrite` replaces with any non-empty incoming value.
 * Consent is a statement with a time (`consentAt`): in either mode the newer
 * statement wins (replacesConsent), so an older file never undoes a withdrawal.
 * Tags are always added (never removed); identities the customer lacks are
 * added. Derived columns (email_norm, phone_e164) move with their field. Pure.
 */
export function planUpdate(
  current: StoredCustomer,
  extras: { tags: readonly string[]; attributes: ReadonlyMap<string, string> },
  incoming: CustomerRecord,
  mode: UpdateMode,
  knownIdentities: (id: ExternalId) => boolean,
  consentAt: string,
): UpdatePlan {
  const fields: FieldUpdate[] = [];
  for (const field of CUSTOMER_VALUE_FIELDS) {
    if (DERIVED_FIELDS.has(field)) continue;
    const next = incoming.values[field];
    const previous = current[field];
    if (field === 'email_consent' || field === 'sms_consent') {
      const stored = { state: current[field], at: current[`${field}_at`] };
      if (replacesConsent(stored, { state: incoming.values[field], at: consentAt })) fields.push({ field, old: previous, new: next });
      continue;
    }
    if (next === null || next === previous) continue;
    if (mode === 'fill' && previous !== null && previous !== '') continue;
    fields.push({ field, old: previous, new: next });
    const derived = field === 'email' ? 'email_norm' : field === 'phone' ? 'phone_e164' : undefined;
    if (derived && current[derived] !== incoming.values[derived]) {
      fields.push({ field: derived, old: current[derived], new: incoming.values[derived] });
    }
  }
  const haveTags = new Set(extras.tags);
  const tags = [...new Set(incoming.tags)].filter((tag) => !haveTags.has(tag));
  const attributes: UpdatePlan['attributes'] = [];
  for (const [name, value] of Object.entries(incoming.attributes)) {
    const previous = extras.attributes.get(name) ?? null;
    if (previous === value) continue;
    if (mode === 'fill' && previous !== null && previous !== '') continue;
    attributes.push({ name, old: previous, new: value });
  }
  const identities = incoming.externalIds.filter((id) => !knownIdentities(id));
  return { fields, identities, tags, attributes };
}

export function isEmptyPlan(plan: UpdatePlan): boolean {
  return plan.fields.length === 0 && plan.identities.length === 0 && plan.tags.length === 0 && plan.attributes.length === 0;
}
