import { CUSTOMER_VALUE_FIELDS, DERIVED_FIELDS, type CustomerRecord, type CustomerValues, type ExternalId } from '../model/customer-record.js';
import type { StoredCustomer } from '../db/customer-writer.js';
import { firstNamesConflict } from './first-names-conflict.js';

export type UpdateMode = 'fill' | 'overwrite';
export type MatchedBy = 'external_id' | 'email' | 'phone';

/** What identity resolution finds for one incoming row; email and phone are looked up only when needed. */
export interface IdentityLookup {
  byExternalId: StoredCustomer | undefined;
  byEmail: () => StoredCustomer[];
  byPhone: () => StoredCustomer[];
}

export type MatchDecision =
  | { kind: 'match'; customer: StoredCustomer; by: MatchedBy }
  | { kind: 'new'; suspects: { otherId: number; reason: string }[] };

/**
 * Picks the existing customer an incoming record is, by (source, external id),
 * then normalised email, then E.164 phone. An email or phone shared with
 * someone whose first name clearly differs (a couple, a household) is not a
 * match: the record is new and flagged as a possible duplicate. Pure.
 */
export function chooseMatch(incoming: CustomerRecord, lookup: IdentityLookup): MatchDecision {
  if (lookup.byExternalId) return { kind: 'match', customer: lookup.byExternalId, by: 'external_id' };
  const suspects: { otherId: number; reason: string }[] = [];
  const tryShared = (candidates: StoredCustomer[], by: 'email' | 'phone'): MatchDecision | undefined => {
    for (const candidate of candidates) {
      if (!firstNamesConflict(incoming.values.first_name, candidate.first_name)) return { kind: 'match', customer: candidate, by };
    }
    for (const candidate of candidates) {
      suspects.push({
        otherId: candidate.id,
        reason: `same ${by} as customer ${candidate.id} but a different first name (${incoming.values.first_name} / ${candidate.first_name})`,
      });
    }
    return undefined;
  };
  return tryShared(lookup.byEmail(), 'email') ?? tryShared(lookup.byPhone(), 'phone') ?? { kind: 'new', suspects };
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
 * Tags are always added (never removed); identities the customer lacks are
 * added. Derived columns (email_norm, phone_e164) move with their field. Pure.
 */
export function planUpdate(
  current: StoredCustomer,
  extras: { tags: readonly string[]; attributes: ReadonlyMap<string, string> },
  incoming: CustomerRecord,
  mode: UpdateMode,
  knownIdentities: (id: ExternalId) => boolean,
): UpdatePlan {
  const fields: FieldUpdate[] = [];
  for (const field of CUSTOMER_VALUE_FIELDS) {
    if (DERIVED_FIELDS.has(field)) continue;
    const next = incoming.values[field];
    const previous = current[field];
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
