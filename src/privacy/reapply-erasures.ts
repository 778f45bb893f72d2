import type { Store } from '../db/store.js';
import { loadSuppressionList } from '../db/suppressions.js';
import { erasePeople } from './erase-people.js';

/**
 * Erases again, as `privacy forget` does, every active customer whose email,
 * phone or source id hashes to one of the store's suppressions: what a
 * restore from a backup taken before an erasure must run, so that the people
 * erased since stay erased. Returns how many customers it erased (0 without
 * suppressions, reading no key).
 */
export async function reapplyErasures(store: Store, actor = 'custdb restore'): Promise<number> {
  const suppressions = await loadSuppressionList(store);
  if (suppressions.size === 0) return 0;
  const due = new Set<number>();
  const customers = store.db.selectFrom('customers').select(['id', 'email_norm', 'phone_e164']).where('status', '=', 'active').orderBy('id').stream(1000);
  for await (const row of customers) {
    if (suppressions.erasedOn({ email_norm: row.email_norm, phone_e164: row.phone_e164, externalIds: [] }) !== undefined) due.add(row.id);
  }
  const identities = store.db
    .selectFrom('customer_identities as ci')
    .innerJoin('customers as c', 'c.id', 'ci.customer_id')
    .select(['ci.customer_id', 'ci.source', 'ci.external_id'])
    .where('c.status', '=', 'active')
    .orderBy('ci.id')
    .stream(1000);
  for await (const row of identities) {
    if (suppressions.erasedOn({ email_norm: null, phone_e164: null, externalIds: [{ source: row.source, externalId: row.external_id }] }) !== undefined) due.add(row.customer_id);
  }
  const ids = [...due].sort((a, b) => a - b);
  if (ids.length > 0) await erasePeople(store, ids, { actor, command: 'restore', reason: 'their identifiers were erased before: erased again after a restore' });
  return ids.length;
}
