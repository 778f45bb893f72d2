import type { CustomerWriter, StoredCustomer } from '../db/customer-writer.js';
import type { LookupKeys } from '../db/store.js';
import type { CustomerRecord } from '../model/customer-record.js';
import { chooseMatch, type MatchDecision } from './plan-customer-write.js';

/**
 * Finds the existing customer an incoming record is — by (source, external
 * id), then normalised email, then E.164 phone, looking each up only when
 * needed — or decides it is someone new (with possible duplicates flagged);
 * `chooseMatch` says which evidence joins a row to a customer.
 *
 * Every import's rows come through here before anything is written for the
 * person they name: a customers row before it is inserted or updated
 * (`writeCustomerRow`), an order's or interaction's customer before it is
 * linked or created (`RowCustomerLinker`). A rule about who may be written at
 * all belongs here, once, for every kind of file.
 */
export function matchCustomer(writer: CustomerWriter, record: CustomerRecord): MatchDecision {
  const fetch = (ids: number[]): StoredCustomer[] => ids.map((id) => writer.getCustomer(id)).filter((c): c is StoredCustomer => c !== undefined);
  let byExternalId: StoredCustomer | undefined;
  for (const { source, externalId } of record.externalIds) {
    const id = writer.findByIdentity(source, externalId);
    if (id !== undefined) {
      byExternalId = writer.getCustomer(id);
      break;
    }
  }
  const { email_norm: email, phone_e164: phone } = record.values;
  return chooseMatch(record, {
    byExternalId,
    byEmail: () => (email ? fetch(writer.findByEmail(email)) : []),
    byPhone: () => (phone ? fetch(writer.findByPhone(phone)) : []),
    identitySources: (id) => writer.identitySources(id),
  });
}

/** Every key `matchCustomer` may look up for these records: what an import hands the store before a chunk of rows. */
export function lookupKeysOf(records: Iterable<CustomerRecord>): LookupKeys {
  const keys: LookupKeys = { identities: [], emails: [], phones: [] };
  for (const record of records) {
    for (const id of record.externalIds) keys.identities.push({ source: id.source, externalId: id.externalId });
    if (record.values.email_norm) keys.emails.push(record.values.email_norm);
    if (record.values.phone_e164) keys.phones.push(record.values.phone_e164);
  }
  return keys;
}
