import { flattenString } from '../normalize/flatten-string.js';
import type { CustomerWriter, StoredCustomer } from '../db/customer-writer.js';
import { matchCustomer } from './match-customer.js';
import type { MatchedBy } from './plan-customer-write.js';
import type { CustomerRecord } from '../model/customer-record.js';

export type UnknownCustomerPolicy = 'create' | 'reject';

export type CustomerResolution =
  | { kind: 'found'; customerId: number; by: MatchedBy }
  | { kind: 'created'; customerId: number; suspect: boolean }
  | { kind: 'unknown' };

/**
 * Customers remembered at most; past this the cache starts again, so memory does not grow
 * with the file (about 110 bytes an entry: 33 MiB full). It holds every customer of a
 * typical shop: 5M order rows over 250,000 customers took 144–162 s with 100,000 (each miss
 * reads the customer's email index and row from a page cache the orders crowd out), 94 s with this.
 */
const CACHE_LIMIT = 300_000;
const MATCHED_BY: readonly MatchedBy[] = ['external_id', 'email', 'phone'];

/**
 * Finds whose order (or interaction) a row is, by the customer import's
 * rules (`matchCustomer`): (source, external id), then normalised email, then
 * E.164 phone, where an email or phone shared with someone the row
 * disagrees with is not a match. An unknown customer is created from the row's name, email, phone
 * and address (with its identity), or reported as unknown under the
 * `reject` policy. A known customer found by email or phone gains the row's
 * external id as a new identity, and the row's email consent when theirs is
 * unknown, both recorded so that undo removes them. Runs on
 * the caller's open transaction.
 *
 * Rows already resolved are answered from a cache keyed by everything
 * `matchCustomer` judges by (ids, email, phone, names, birth date), so a
 * cached answer is the verdict `matchCustomer` gave for the same identifiers.
 */
export class RowCustomerLinker {
  /** Key → customer id × 4 + how it was matched (a small integer: no object per entry). */
  private readonly cache = new Map<string, number>();

  constructor(
    private readonly writer: CustomerWriter,
    private readonly meta: { batchId: number; now: string; consentSource: string },
    private readonly policy: UnknownCustomerPolicy,
  ) {}

  link(record: CustomerRecord): CustomerResolution {
    const key = cacheKey(record);
    const cached = this.cache.get(key);
    if (cached !== undefined) return { kind: 'found', customerId: Math.floor(cached / 4), by: MATCHED_BY[cached % 4]! };

    const writer = this.writer;
    const decision = matchCustomer(writer, record);

    if (decision.kind === 'match') {
      const id = decision.customer.id;
      for (const { source, externalId } of record.externalIds) {
        if (writer.findByIdentity(source, externalId) !== undefined) continue;
        writer.insertIdentity(id, source, externalId, this.meta.batchId, this.meta.now);
        writer.recordChange(
          { batchId: this.meta.batchId, eventId: null, customerId: id, entity: 'identity', entityId: `${source}:${externalId}`, action: 'insert', field: source, oldValue: null, newValue: externalId },
          this.meta.now,
        );
      }
      this.fillConsent(decision.customer, record);
      this.remember(key, id, decision.by);
      return { kind: 'found', customerId: id, by: decision.by };
    }

    if (this.policy === 'reject') return { kind: 'unknown' };
    const id = writer.insertCustomer(record.values, { batchId: this.meta.batchId, now: this.meta.now, consentSource: this.meta.consentSource });
    for (const { source, externalId } of record.externalIds) {
      if (writer.findByIdentity(source, externalId) === undefined) writer.insertIdentity(id, source, externalId, this.meta.batchId, this.meta.now);
    }
    for (const suspect of decision.suspects) writer.flagSuspect(id, suspect.otherId, suspect.reason, this.meta.batchId, this.meta.now);
    this.remember(key, id, record.externalIds.length > 0 ? 'external_id' : record.values.email_norm ? 'email' : 'phone');
    return { kind: 'created', customerId: id, suspect: decision.suspects.length > 0 };
  }

  /**
   * Email consent the customer has no answer for yet is taken from the row (Shopify's
   * "Accepts Marketing"), as a customers import fills it: stamped with when and this
   * import, and recorded so that undo restores all three. A known answer is kept.
   */
  private fillConsent(customer: StoredCustomer, record: CustomerRecord): void {
    const given = record.values.email_consent;
    if (given === null || customer.email_consent !== null) return;
    const { batchId, now, consentSource } = this.meta;
    const change = (field: string, oldValue: string | null, newValue: string) =>
      this.writer.recordChange({ batchId, eventId: null, customerId: customer.id, entity: 'customer', entityId: null, action: 'update', field, oldValue, newValue }, now);
    this.writer.updateField(customer.id, 'email_consent', given, this.meta);
    change('email_consent', null, given);
    change('email_consent_at', customer.email_consent_at, now);
    change('email_consent_source', customer.email_consent_source, consentSource);
  }

  private remember(key: string, id: number, by: MatchedBy): void {
    if (this.cache.size >= CACHE_LIMIT) this.cache.clear();
    // The key's parts are slices of a whole batch of rows: a flat copy keeps the batch from being kept.
    this.cache.set(flattenString(key), id * 4 + MATCHED_BY.indexOf(by));
  }
}

/** Rows with the same identifiers, names and birth date resolve to the same customer. */
function cacheKey(record: CustomerRecord): string {
  const { email_norm, phone_e164, first_name, last_name, birth_date } = record.values;
  const ids = record.externalIds.map((e) => `${e.source}:${e.externalId}`).join(';');
  return [ids, email_norm, phone_e164, first_name, last_name, birth_date].map((part) => part ?? '').join('\u0000');
}
