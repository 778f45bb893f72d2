import type { Kysely } from 'kysely';
import type { Database } from '../db/tables.js';
import type { CustomerRow, CustomerSnapshot } from './customer-snapshot.js';

/** Customers read per query: a merge of many groups reads them in a few round trips, not five per customer. */
const ID_CHUNK = 500;

/**
 * Reads customers with their tags, attributes, identities and per-field change
 * times, by id; ids with no customer are absent from the map.
 * @example const members = await loadCustomerSnapshots(trx, [12, 40]);
 */
export async function loadCustomerSnapshots(db: Kysely<Database>, ids: readonly number[]): Promise<Map<number, CustomerSnapshot>> {
  const snapshots = new Map<number, CustomerSnapshot>();
  const unique = [...new Set(ids)];
  for (let k = 0; k < unique.length; k += ID_CHUNK) {
    const chunk = unique.slice(k, k + ID_CHUNK);
    for (const customer of await db.selectFrom('customers').selectAll().where('id', 'in', chunk).execute()) {
      snapshots.set(customer.id, { customer, tags: [], attributes: {}, identities: [], fieldUpdatedAt: {} });
    }
    const tags = await db.selectFrom('customer_tags').select(['customer_id', 'tag']).where('customer_id', 'in', chunk).orderBy('customer_id').orderBy('tag').execute();
    for (const row of tags) snapshots.get(row.customer_id)?.tags.push(row.tag);
    const attributes = await db
      .selectFrom('customer_attributes')
      .select(['customer_id', 'name', 'value'])
      .where('customer_id', 'in', chunk)
      .orderBy('customer_id')
      .orderBy('name')
      .execute();
    for (const row of attributes) {
      const snapshot = snapshots.get(row.customer_id);
      if (snapshot) snapshot.attributes[row.name] = row.value;
    }
    const identities = await db.selectFrom('customer_identities').selectAll().where('customer_id', 'in', chunk).orderBy('id').execute();
    for (const row of identities) snapshots.get(row.customer_id)?.identities.push(row);
    // Field changes still in force: from committed imports, merges not undone, and edits.
    const changed = await db
      .selectFrom('changes')
      .select(['customer_id', 'field'])
      .select((eb) => eb.fn.max('at').as('at'))
      .where('customer_id', 'in', chunk)
      .where('entity', '=', 'customer')
      .where('field', 'is not', null)
      .where((eb) => eb.or([eb('batch_id', 'is', null), eb('batch_id', 'in', eb.selectFrom('import_batches').select('id').where('status', '=', 'committed'))]))
      .groupBy(['customer_id', 'field'])
      .execute();
    for (const row of changed) {
      const snapshot = row.customer_id === null ? undefined : snapshots.get(row.customer_id);
      if (snapshot && row.field !== null && row.field in snapshot.customer) snapshot.fieldUpdatedAt[row.field as keyof CustomerRow] = row.at;
    }
  }
  return snapshots;
}
