import type { Selectable } from 'kysely';
import type { Store } from '../db/store.js';
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
    const tagsOf = new Map<number, string[]>();
    for (const t of tags) {
      const list = tagsOf.get(t.customer_id);
      if (list) list.push(t.tag);
      else tagsOf.set(t.customer_id, [t.tag]);
    }
    for (const row of rows) cards.set(row.id, { ...row, tags: tagsOf.get(row.id) ?? [] });
  }
  return cards;
}

/** Some groups of customer ids with the cards of their members. */
export interface GroupsWithCards<G extends { ids: readonly number[] }> {
  groups: G[];
  cards: Map<number, CustomerCard>;
}

/**
 * Yields `groups` in order, a batch at a time (about `batchIds` customers),
 * each batch with its members' cards: a list of any length is shown while
 * only one batch of rows is held in memory.
 */
export async function* readGroupCards<G extends { ids: readonly number[] }>(store: Store, groups: readonly G[], batchIds = 2000): AsyncGenerator<GroupsWithCards<G>> {
  let batch: G[] = [];
  let ids = 0;
  for (const group of groups) {
    batch.push(group);
    ids += group.ids.length;
    if (ids >= batchIds) {
      yield { groups: batch, cards: await loadCustomerCards(store, batch.flatMap((g) => g.ids)) };
      batch = [];
      ids = 0;
    }
  }
  if (batch.length > 0) yield { groups: batch, cards: await loadCustomerCards(store, batch.flatMap((g) => g.ids)) };
}
