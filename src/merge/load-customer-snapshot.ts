import type { Kysely } from 'kysely';
import type { Database } from '../db/tables.js';
import type { CustomerRow, CustomerSnapshot } from './customer-snapshot.js';

/** Reads one customer with its tags, attributes, identities and per-field change times; undefined when there is no such customer. */
export async function loadCustomerSnapshot(db: Kysely<Database>, id: number): Promise<CustomerSnapshot | undefined> {
  const customer = await db.selectFrom('customers').selectAll().where('id', '=', id).executeTakeFirst();
  if (!customer) return undefined;
  const tags = await db.selectFrom('customer_tags').select('tag').where('customer_id', '=', id).orderBy('tag').execute();
  const attributes = await db.selectFrom('customer_attributes').select(['name', 'value']).where('customer_id', '=', id).orderBy('name').execute();
  const identities = await db.selectFrom('customer_identities').selectAll().where('customer_id', '=', id).orderBy('id').execute();
  // Field changes still in force: from committed imports, merges not undone, and edits.
  const changed = await db
    .selectFrom('changes')
    .select(['field'])
    .select((eb) => eb.fn.max('at').as('at'))
    .where('customer_id', '=', id)
    .where('entity', '=', 'customer')
    .where('field', 'is not', null)
    .where((eb) => eb.or([eb('batch_id', 'is', null), eb('batch_id', 'in', eb.selectFrom('import_batches').select('id').where('status', '=', 'committed'))]))
    .groupBy('field')
    .execute();
  const fieldUpdatedAt: Partial<Record<keyof CustomerRow, string>> = {};
  for (const row of changed) if (row.field !== null && row.field in customer) fieldUpdatedAt[row.field as keyof CustomerRow] = row.at;
  return {
    customer,
    tags: tags.map((t) => t.tag),
    attributes: Object.fromEntries(attributes.map((a) => [a.name, a.value])),
    identities,
    fieldUpdatedAt,
  };
}
