import type { Store } from '../db/store.js';
import { UsageError } from '../errors.js';
import { normalizeEmail } from '../normalize/normalize-email.js';
import { parsePhone } from '../normalize/parse-phone.js';
import { foldName } from '../normalize/fold-name.js';

/** What a WHO argument names: `42`, `jane@example.com`, `+14155552671`, `shopify:1001`, `Jane Smith`. */
export type CustomerReference =
  | { kind: 'id'; id: number; phone: string | null }
  | { kind: 'email'; email: string }
  | { kind: 'phone'; e164: string }
  | { kind: 'identity'; source: string; externalId: string }
  | { kind: 'name'; name: string };

/** A customer as listed when a WHO matches several people. */
export interface CustomerMatch {
  id: number;
  status: 'active' | 'merged' | 'erased';
  first_name: string | null;
  last_name: string | null;
  email: string | null;
  phone: string | null;
  city: string | null;
}

/** A merged customer that was followed to its survivor. */
export interface FollowedMerge {
  id: number;
  mergedInto: number;
  mergedAt: string | null;
}

export type CustomerResolution =
  | { kind: 'found'; id: number; followed: FollowedMerge[] }
  | { kind: 'none' }
  | { kind: 'ambiguous'; matches: CustomerMatch[] };

const PHONE_LIKE = /^\+?[\d\s().\-/]+$/;

/**
 * Reads a WHO argument: digits are a customer id (and, when long enough, also a
 * phone number), anything with @ an email, `+`/digits with separators a phone,
 * `source:external_id` an identity, other text with a letter a full name.
 * Pure; throws UsageError for text that is none of these.
 */
export function parseCustomerReference(who: string, defaultCountry: string | null): CustomerReference {
  const text = who.trim();
  if (/^\d+$/.test(text)) {
    const phone = text.length >= 7 ? parsePhone(text, defaultCountry ?? undefined).e164 : null;
    return { kind: 'id', id: Number(text), phone };
  }
  if (text.includes('@')) {
    const email = normalizeEmail(text);
    if (!email.valid) throw new UsageError(`"${who}" is not a valid email address.`, { hint: 'Give a customer id, an email, a phone number or source:external_id.' });
    return { kind: 'email', email: email.value };
  }
  if (PHONE_LIKE.test(text) && text.replace(/\D/g, '').length >= 5) {
    const phone = parsePhone(text, defaultCountry ?? undefined);
    if (phone.e164 === null) {
      throw new UsageError(`"${who}" is not a phone number custdb can read${defaultCountry ? '' : ' without a country'}.`, {
        hint: defaultCountry ? 'Give it in international form, e.g. +14155552671.' : 'Give it in international form (+14155552671), or set one: custdb config set default-country US.',
      });
    }
    return { kind: 'phone', e164: phone.e164 };
  }
  const colon = text.indexOf(':');
  if (colon > 0 && colon < text.length - 1) return { kind: 'identity', source: text.slice(0, colon), externalId: text.slice(colon + 1) };
  if (/\p{L}/u.test(text)) return { kind: 'name', name: text };
  throw new UsageError(`Cannot tell what "${who}" is.`, { hint: 'Give a customer id (42), an email, a phone number (+14155552671) or source:external_id (shopify:1001).' });
}

/**
 * Finds the customer a reference names, following merges to the survivor.
 * Returns every distinct person when an email or phone is shared; never throws for "nobody".
 */
export async function resolveCustomer(store: Store, reference: CustomerReference): Promise<CustomerResolution> {
  let ids: number[] = [];
  switch (reference.kind) {
    case 'id': {
      const row = await store.db.selectFrom('customers').select('id').where('id', '=', reference.id).executeTakeFirst();
      if (row) ids = [row.id];
      else if (reference.phone !== null) ids = await idsWhere(store, 'phone_e164', reference.phone);
      break;
    }
    case 'email':
      ids = await idsWhere(store, 'email_norm', reference.email);
      break;
    case 'phone':
      ids = await idsWhere(store, 'phone_e164', reference.e164);
      break;
    case 'identity': {
      const row = await store.db
        .selectFrom('customer_identities')
        .select('customer_id')
        .where('source', '=', reference.source)
        .where('external_id', '=', reference.externalId)
        .executeTakeFirst();
      if (row) ids = [row.customer_id];
      break;
    }
    case 'name':
      ids = await idsByName(store, reference.name);
      break;
  }
  if (ids.length === 0) return { kind: 'none' };

  const followedById = new Map<number, { survivor: number; followed: FollowedMerge[] }>();
  for (const id of ids) followedById.set(id, await followMerges(store, id));
  const survivors = [...new Set([...followedById.values()].map((f) => f.survivor))];
  if (survivors.length === 1) {
    // Say how we got there only when the reference itself named a merged customer.
    const followed = ids.length === 1 ? (followedById.get(ids[0]!)?.followed ?? []) : [];
    return { kind: 'found', id: survivors[0]!, followed };
  }
  const matches = await store.db
    .selectFrom('customers')
    .select(['id', 'status', 'first_name', 'last_name', 'email', 'phone', 'city'])
    .where('id', 'in', survivors)
    .orderBy('id')
    .execute();
  return { kind: 'ambiguous', matches };
}

async function idsWhere(store: Store, column: 'email_norm' | 'phone_e164', value: string): Promise<number[]> {
  const rows = await store.db.selectFrom('customers').select('id').where(column, '=', value).where('status', '!=', 'erased').orderBy('id').execute();
  return rows.map((r) => r.id);
}

/**
 * Customers (not erased) whose full name is `name`, ignoring case, accents and
 * spacing: "jose garcia" finds José García. Names have no index, so this reads
 * every name once, a batch at a time.
 */
async function idsByName(store: Store, name: string): Promise<number[]> {
  const wanted = foldName(name);
  const ids: number[] = [];
  const rows = store.db
    .selectFrom('customers')
    .select(['id', 'first_name', 'last_name'])
    .where('status', '!=', 'erased')
    .where((eb) => eb.or([eb('first_name', 'is not', null), eb('last_name', 'is not', null)]))
    .orderBy('id')
    .stream(1000);
  for await (const row of rows) if (foldName(`${row.first_name ?? ''} ${row.last_name ?? ''}`) === wanted) ids.push(row.id);
  return ids;
}

/** Follows merged_into to the surviving customer (at most 100 hops, in case of a damaged chain). */
async function followMerges(store: Store, id: number): Promise<{ survivor: number; followed: FollowedMerge[] }> {
  const followed: FollowedMerge[] = [];
  let current = id;
  for (let hops = 0; hops < 100; hops++) {
    const row = await store.db.selectFrom('customers').select(['status', 'merged_into']).where('id', '=', current).executeTakeFirst();
    if (!row || row.status !== 'merged' || row.merged_into === null) break;
    const merge = await store.db
      .selectFrom('merges')
      .select('created_at')
      .where('merged_id', '=', current)
      .where('undone_at', 'is', null)
      .orderBy('id', 'desc')
      .executeTakeFirst();
    followed.push({ id: current, mergedInto: row.merged_into, mergedAt: merge?.created_at ?? null });
    current = row.merged_into;
  }
  return { survivor: current, followed };
}
