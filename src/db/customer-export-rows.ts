import type { Store } from './open-store.js';
import { CUSTOMER_VALUE_FIELDS, type CustomerValues } from '../model/customer-record.js';

/** One active customer with everything an export can show. */
export interface CustomerExportRow extends CustomerValues {
  id: number;
  /** `source:external_id` pairs joined with `;`, or null. */
  external_ids: string | null;
  /** Tags joined with ', ', or null. */
  tags: string | null;
  /** JSON object of custom attributes, or null. */
  attributes_json: string | null;
}

/** Custom attribute names in use by active customers, sorted. */
export async function listAttributeNames(store: Store): Promise<string[]> {
  const rows = await store.db
    .selectFrom('customer_attributes')
    .innerJoin('customers', 'customers.id', 'customer_attributes.customer_id')
    .select('customer_attributes.name')
    .distinct()
    .where('customers.status', '=', 'active')
    .orderBy('customer_attributes.name')
    .execute();
  return rows.map((r) => r.name);
}

/**
 * Streams active customers in id order, one row at a time (memory does not
 * grow with the table). Runs on a snapshot: writers may continue meanwhile.
 */
export function iterateCustomersForExport(store: Store): IterableIterator<CustomerExportRow> {
  const statement = store.sqlite.prepare(`
    SELECT c.id, ${CUSTOMER_VALUE_FIELDS.map((f) => `c.${f}`).join(', ')},
      (SELECT group_concat(i.source || ':' || i.external_id, ';') FROM customer_identities i WHERE i.customer_id = c.id) AS external_ids,
      (SELECT group_concat(t.tag, ', ') FROM customer_tags t WHERE t.customer_id = c.id) AS tags,
      (SELECT json_group_object(a.name, a.value) FROM customer_attributes a WHERE a.customer_id = c.id) AS attributes_json
    FROM customers c
    WHERE c.status = 'active'
    ORDER BY c.id`);
  return statement.iterate() as IterableIterator<CustomerExportRow>;
}
