import type { Store } from '../../src/db/store.js';
import { emptyCustomerValues } from '../../src/model/customer-record.js';

const AT = '2026-11-23T09:30:00.000Z';

export interface StoredPerson {
  first: string;
  last?: string;
  /** Stored as typed and as its normalised form alike: the tests give it already normalised. */
  email?: string;
  /** E.164, stored as typed and as its normalised form. */
  phone?: string;
  /** A source and the person's id there. */
  identity?: [source: string, externalId: string];
}

/**
 * Writes one active customer straight into the store, as no import or command would: for tests of what
 * runs on customers already there (erasure, merges), without an import's matching in the way. Returns the id.
 */
export async function insertCustomer(store: Store, person: StoredPerson): Promise<number> {
  const { id } = await store.db
    .insertInto('customers')
    .values({
      ...emptyCustomerValues(),
      first_name: person.first,
      last_name: person.last ?? null,
      email: person.email ?? null,
      email_norm: person.email ?? null,
      phone: person.phone ?? null,
      phone_e164: person.phone ?? null,
      merged_into: null,
      email_consent_at: null,
      email_consent_source: null,
      sms_consent_at: null,
      sms_consent_source: null,
      created_at: AT,
      updated_at: AT,
      created_batch_id: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  if (person.identity) {
    await store.db.insertInto('customer_identities').values({ customer_id: id, source: person.identity[0], external_id: person.identity[1], created_at: AT, batch_id: null }).execute();
  }
  return id;
}
