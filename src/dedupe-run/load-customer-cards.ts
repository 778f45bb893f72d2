import type { Selectable } from 'kysely';
import type { Store } from '../db/open-store.js';
import type { CustomerTable } from '../db/tables.js';

export type CustomerCard = Selectable<CustomerTable> & { tags: string[] };

/** Whole customer rows (with tags) for showing duplicates side by side, by id. */
export async function loadCustomerCards(store: Store, ids: readonly number[]): Promise<Map<number, CustomerCard>> {
  const cards = new Map<number, CustomerCard>();
  const unique = [...new Set(ids)];
  for (let k = 0; k < unique.length; k += 500) {
    const chunk = unique.slice(k, k + 500);
    const rows = await store.db.selectFrom('customers').selectAll().where('id', 'in', chunk).execute();
    const tags = await store.db.selectFrom('customer_tags').select(['customer_id', 'tag']).where('customer_id', 'in', chunk).orderBy('tag').execute();
    for (const row of rows) cards.set(row.id, { ...row, tags: tags.filter((t) => t.customer_id === row.id).map((t) => t.tag) });
  }
  return cards;
}
