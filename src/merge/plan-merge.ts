import type { CustomerRow, CustomerSnapshot } from './customer-snapshot.js';

/** Customer columns a merge may set on the survivor. */
export type MergeField = Exclude<keyof CustomerRow, 'id' | 'status' | 'merged_into' | 'created_at' | 'updated_at' | 'created_batch_id'>;

export interface FieldDecision {
  field: MergeField;
  /** The value the survivor ends up with. */
  value: string | null;
  /** Whose value it is. */
  from: 'survivor' | 'merged' | 'both' | 'neither';
  /** Why, in words: "more recently updated (2026-03-01 vs 2025-11-20)". */
  reason: string;
  /** True when this differs from the survivor's current value (the merge writes it). */
  changes: boolean;
}

export interface AttributeDecision {
  name: string;
  value: string;
  /** The survivor's value before the merge (null when it had none). */
  old: string | null;
  reason: string;
}

/** What merging `mergedId` into `survivorId` will do, decided without I/O. */
export interface MergePlan {
  survivorId: number;
  mergedId: number;
  /** Every mergeable column, in table order. */
  fields: FieldDecision[];
  /** Tags the merged customer has and the survivor lacks. */
  addTags: string[];
  /** Attributes the survivor gains or whose value changes. */
  attributes: AttributeDecision[];
  /** Identities that move from the merged customer to the survivor. */
  identities: { source: string; externalId: string }[];
}

/** Columns taken together from one record, so a merge never pairs one record's street with the other's city. */
const GROUPS: readonly { name: string; fields: readonly MergeField[]; key: readonly MergeField[] }[] = [
  { name: 'email', fields: ['email', 'email_norm'], key: ['email'] },
  { name: 'phone', fields: ['phone', 'phone_e164'], key: ['phone'] },
  { name: 'address', fields: ['address_line1', 'address_line2', 'city', 'region', 'postal_code'], key: ['address_line1', 'address_line2', 'city', 'region', 'postal_code'] },
];
const CONSENTS = ['email_consent', 'sms_consent'] as const;

/** Mergeable columns, in the order the customers table declares them. */
export const MERGE_FIELDS: readonly MergeField[] = [
  'first_name', 'last_name', 'email', 'email_norm', 'phone', 'phone_e164', 'company', 'job_title',
  'address_line1', 'address_line2', 'city', 'region', 'postal_code', 'country', 'birth_date', 'gender',
  'occupation', 'income', 'email_consent', 'email_consent_at', 'email_consent_source', 'sms_consent',
  'sms_consent_at', 'sms_consent_source', 'notes', 'signup_date',
];

/** The customer that survives a merge of several: the oldest (lowest id), so the id people know keeps working. */
export function chooseSurvivor(ids: readonly number[]): number {
  return Math.min(...ids);
}

const isEmpty = (v: string | null | undefined): boolean => v === null || v === undefined || v.trim() === '';

/**
 * Decides, for every field, which value survives a merge and why:
 * - the most recently updated non-empty value (per field, from the change log);
 *   when both changed the same day, the longer of two names, companies or job
 *   titles ("Katherine" over "Kate"), else the later change, else the survivor's;
 *   email, phone and the address lines each move as one block;
 * - consent: the most restrictive (denied beats granted beats unknown), with its date and source;
 * - signup date: the earliest; notes: both kept when they differ;
 * - tags, identities and attributes: the union (an attribute both have keeps the
 *   more recently updated customer's value).
 * Pure: no I/O; the same snapshots give the same plan.
 * @example planMerge(olderJane, newerJane).fields.find((f) => f.field === 'phone')
 *   // { value: '+14155550100', from: 'merged', reason: 'more recently updated (2026-03-01 vs 2025-11-20)', changes: true }
 */
export function planMerge(survivor: CustomerSnapshot, merged: CustomerSnapshot): MergePlan {
  const s = survivor.customer;
  const m = merged.customer;
  const decided = new Map<MergeField, Omit<FieldDecision, 'changes'>>();

  const updatedAt = (snap: CustomerSnapshot, fields: readonly MergeField[]): string =>
    fields.map((f) => snap.fieldUpdatedAt[f] ?? snap.customer.created_at).reduce((a, b) => (a > b ? a : b));
  const decideBlock = (fields: readonly MergeField[], key: readonly MergeField[], label: string): void => {
    const sHas = key.some((f) => !isEmpty(s[f]));
    const mHas = key.some((f) => !isEmpty(m[f]));
    const same = fields.every((f) => (s[f] ?? null) === (m[f] ?? null));
    let from: FieldDecision['from'];
    let reason: string;
    if (!sHas && !mHas) [from, reason] = ['neither', 'empty on both'];
    else if (same) [from, reason] = ['both', 'same on both'];
    else if (!mHas) [from, reason] = ['survivor', `only #${s.id} has ${label}`];
    else if (!sHas) [from, reason] = ['merged', `only #${m.id} has ${label}`];
    else {
      const sAt = updatedAt(survivor, fields);
      const mAt = updatedAt(merged, fields);
      from = mAt > sAt ? 'merged' : 'survivor';
      reason = mAt === sAt ? `both set at the same time; #${s.id} is kept` : `more recently updated (${day(from === 'merged' ? mAt : sAt)} vs ${day(from === 'merged' ? sAt : mAt)})`;
    }
    const source = from === 'merged' ? m : s;
    for (const f of fields) decided.set(f, { field: f, value: source[f] ?? null, from, reason });
  };

  for (const group of GROUPS) decideBlock(group.fields, group.key, group.name === 'address' ? 'an address' : `${group.name === 'email' ? 'an' : 'a'} ${group.name}`);
  for (const consent of CONSENTS) {
    const fields: MergeField[] = [consent, `${consent}_at`, `${consent}_source`];
    const rank = (v: string | null): number => (v === 'denied' ? 2 : v === 'granted' ? 1 : 0);
    const sRank = rank(s[consent]);
    const mRank = rank(m[consent]);
    let from: FieldDecision['from'];
    let reason: string;
    if (sRank === 0 && mRank === 0) [from, reason] = ['neither', 'unknown on both'];
    else if (sRank === mRank) [from, reason] = ['both', `${s[consent]} on both`];
    else if (mRank > sRank) [from, reason] = ['merged', sRank === 0 ? `only #${m.id} has an answer` : 'denied beats granted (the most restrictive consent wins)'];
    else [from, reason] = ['survivor', mRank === 0 ? `only #${s.id} has an answer` : 'denied beats granted (the most restrictive consent wins)'];
    const source = from === 'merged' ? m : s;
    for (const f of fields) decided.set(f, { field: f, value: source[f] ?? null, from, reason });
  }

  for (const field of MERGE_FIELDS) {
    if (decided.has(field)) continue;
    const sv = s[field] ?? null;
    const mv = m[field] ?? null;
    let decision: Omit<FieldDecision, 'changes'>;
    if (isEmpty(sv) && isEmpty(mv)) decision = { field, value: sv, from: 'neither', reason: 'empty on both' };
    else if (sv === mv) decision = { field, value: sv, from: 'both', reason: 'same on both' };
    else if (isEmpty(mv)) decision = { field, value: sv, from: 'survivor', reason: `only #${s.id} has one` };
    else if (isEmpty(sv)) decision = { field, value: mv, from: 'merged', reason: `only #${m.id} has one` };
    else if (field === 'signup_date') {
      const merged = (mv ?? '') < (sv ?? '');
      decision = { field, value: merged ? mv : sv, from: merged ? 'merged' : 'survivor', reason: 'the earliest signup' };
    } else if (field === 'notes') {
      decision = { field, value: `${sv}\n---\n${mv}`, from: 'both', reason: 'both notes kept' };
    } else {
      const { from, reason } = decideByTime(field, sv ?? '', mv ?? '', updatedAt(survivor, [field]), updatedAt(merged, [field]), s.id);
      decision = { field, value: from === 'merged' ? mv : sv, from, reason };
    }
    decided.set(field, decision);
  }

  const fields = MERGE_FIELDS.map((field): FieldDecision => {
    const d = decided.get(field) ?? { field, value: s[field] ?? null, from: 'survivor' as const, reason: 'kept' };
    return { ...d, changes: d.value !== (s[field] ?? null) };
  });

  const survivorTags = new Set(survivor.tags);
  const addTags = merged.tags.filter((t) => !survivorTags.has(t)).sort();

  const mergedNewer = m.updated_at > s.updated_at;
  const attributes: AttributeDecision[] = [];
  for (const [name, value] of Object.entries(merged.attributes).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const old = Object.hasOwn(survivor.attributes, name) ? (survivor.attributes[name] ?? null) : null;
    if (old === null) attributes.push({ name, value, old, reason: `only #${m.id} has it` });
    else if (old !== value && mergedNewer) attributes.push({ name, value, old, reason: `#${m.id} was updated more recently` });
  }

  return {
    survivorId: s.id,
    mergedId: m.id,
    fields,
    addTags,
    attributes,
    identities: merged.identities.map((i) => ({ source: i.source, externalId: i.external_id })),
  };
}

function day(iso: string): string {
  return iso.slice(0, 10);
}

/**
 * Fields where a longer value is usually the same thing written out in full
 * ("Katherine" for "Kate", "Acme Coffee Roasters Ltd" for "Acme"), so on a
 * same-day tie the fuller one is kept rather than whichever was typed last.
 */
const FULLER_WINS: ReadonlySet<MergeField> = new Set(['first_name', 'last_name', 'company', 'job_title', 'occupation']);

/**
 * Which of two different non-empty values survives on update time, and why in
 * words: the newer day wins; within one day, the fuller value of a FULLER_WINS
 * field, else the one changed later, else the survivor's.
 */
function decideByTime(field: MergeField, sv: string, mv: string, sAt: string, mAt: string, survivorId: number): Pick<FieldDecision, 'from' | 'reason'> {
  if (day(sAt) !== day(mAt)) {
    const newer = mAt > sAt;
    return { from: newer ? 'merged' : 'survivor', reason: `more recently updated (${day(newer ? mAt : sAt)} vs ${day(newer ? sAt : mAt)})` };
  }
  const sLength = sv.trim().length;
  const mLength = mv.trim().length;
  if (FULLER_WINS.has(field) && sLength !== mLength) {
    return { from: mLength > sLength ? 'merged' : 'survivor', reason: `both updated on ${day(sAt)}; kept the longer, more complete ${field.replaceAll('_', ' ')}` };
  }
  if (sAt !== mAt) return { from: mAt > sAt ? 'merged' : 'survivor', reason: `both updated on ${day(sAt)}; kept the one changed later that day` };
  return { from: 'survivor', reason: `both set at the same time; #${survivorId} is kept` };
}

/**
 * The survivor as it will be after `plan` is applied: for previewing the next
 * merge of a cluster before anything is written. Pure.
 */
export function survivorAfter(plan: MergePlan, survivor: CustomerSnapshot, merged: CustomerSnapshot): CustomerSnapshot {
  const customer: CustomerRow = { ...survivor.customer };
  const fieldUpdatedAt = { ...survivor.fieldUpdatedAt };
  for (const f of plan.fields) {
    if (!f.changes) continue;
    (customer as Record<MergeField, string | null>)[f.field] = f.value;
    const at = merged.fieldUpdatedAt[f.field];
    if (f.from === 'merged' && at !== undefined) fieldUpdatedAt[f.field] = at;
  }
  const attributes = { ...survivor.attributes };
  for (const a of plan.attributes) attributes[a.name] = a.value;
  return {
    customer,
    tags: [...new Set([...survivor.tags, ...plan.addTags])].sort(),
    attributes,
    identities: [...survivor.identities, ...merged.identities.map((i) => ({ ...i, customer_id: survivor.customer.id }))],
    fieldUpdatedAt,
  };
}
