import { nowIso } from '../db/clock.js';
import type { Store } from '../db/store.js';
import { UsageError } from '../errors.js';
import { normalizeCustomerRow, type RowWarning } from '../import/normalize-customer-row.js';
import type { MappedRow, ScalarField } from '../mapping/map-row.js';
import type { CustomerValues } from '../model/customer-record.js';
import { recordManualChanges, type ManualChange } from './record-manual-changes.js';
import type { CustomerMatch } from './resolve-customer.js';

/** The source manual entries are recorded under (consent source, identity namespace). */
export const MANUAL_SOURCE = 'manual';

export interface AddCustomerInput {
  /** Canonical fields as typed: `{ first_name: 'jane', email: 'Jane@Example.com' }`. */
  fields: Partial<Record<ScalarField, string>>;
  tags: string[];
}

export interface AddCustomerOptions {
  actor: string;
  /** Add even when the email or phone already belongs to someone; the pair is flagged as a possible duplicate. */
  allowDuplicate: boolean;
}

export type AddCustomerResult =
  | { status: 'added'; id: number; values: CustomerValues; tags: string[]; warnings: RowWarning[]; flaggedDuplicates: number[] }
  | { status: 'exists'; matches: CustomerMatch[]; warnings: RowWarning[] };

/**
 * Adds one customer typed by hand, standardised exactly as an import would
 * standardise the same cells. Refuses (returns `exists`, writes nothing) when the
 * email or phone already belongs to an active customer, unless `allowDuplicate`.
 * Throws UsageError when nothing given identifies a person.
 */
export async function addCustomer(store: Store, input: AddCustomerInput, options: AddCustomerOptions): Promise<AddCustomerResult> {
  const defaultCountry = (await store.db.selectFrom('settings').select('value').where('key', '=', 'default-country').executeTakeFirst())?.value ?? null;
  // A mapped row's tags are already de-duplicated ignoring case (as mapRow does for a Tags cell).
  const tags = input.tags.map((t) => t.trim()).filter((t, i, all) => t !== '' && all.findIndex((o) => o.toLowerCase() === t.toLowerCase()) === i);
  const row: MappedRow = { fields: nonEmptyFields(input.fields), tags, identities: [], attributes: {} };
  const normalized = normalizeCustomerRow(row, { source: MANUAL_SOURCE, defaultCountry, dateOrder: null, dateOrderConflict: false });
  if (!normalized.ok) {
    throw new UsageError(`Cannot add this customer: ${normalized.reasons.join('; ')}.`, {
      hint: 'Give at least one of --first-name, --last-name, --email or --phone (a valid email or phone).',
    });
  }
  const { values } = normalized.record;
  const cleanedTags = normalized.record.tags;

  const { email_norm: email, phone_e164: phone } = values;
  const clashes =
    email === null && phone === null
      ? []
      : await store.db
          .selectFrom('customers')
          .select(['id', 'status', 'first_name', 'last_name', 'email', 'phone', 'city'])
          .where('status', '=', 'active')
          .where((eb) => eb.or([...(email !== null ? [eb('email_norm', '=', email)] : []), ...(phone !== null ? [eb('phone_e164', '=', phone)] : [])]))
          .orderBy('id')
          .limit(10)
          .execute();
  if (clashes.length > 0 && !options.allowDuplicate) return { status: 'exists', matches: clashes, warnings: normalized.warnings };

  const now = nowIso();
  const id = await store.transaction(async (trx) => {
    const inserted = await trx
      .insertInto('customers')
      .values({
        ...values,
        email_consent_at: values.email_consent === null ? null : now,
        email_consent_source: values.email_consent === null ? null : MANUAL_SOURCE,
        sms_consent_at: values.sms_consent === null ? null : now,
        sms_consent_source: values.sms_consent === null ? null : MANUAL_SOURCE,
        created_at: now,
        updated_at: now,
        created_batch_id: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const customerId = inserted.id;
    const changes: ManualChange[] = [
      { customerId, entity: 'customer', entityId: String(customerId), action: 'insert', field: null, oldValue: null, newValue: JSON.stringify(values) },
    ];
    for (const tag of cleanedTags) {
      await trx.insertInto('customer_tags').values({ customer_id: customerId, tag }).onConflict((oc) => oc.doNothing()).execute();
      changes.push({ customerId, entity: 'tag', action: 'insert', field: tag, oldValue: null, newValue: tag });
    }
    for (const clash of clashes) {
      const what = clash.email !== null && values.email_norm !== null && clash.email === values.email ? 'email' : 'phone';
      await trx
        .insertInto('duplicate_suspects')
        .values({ customer_id: customerId, other_id: clash.id, reason: `same ${what} as customer ${clash.id}; added by hand`, batch_id: null, created_at: now })
        .onConflict((oc) => oc.doNothing())
        .execute();
    }
    await recordManualChanges(trx, { actor: options.actor, command: 'customers add', summary: `added customer ${customerId}`, details: { customerId } }, changes, now);
    return customerId;
  });
  return { status: 'added', id, values, tags: cleanedTags, warnings: normalized.warnings, flaggedDuplicates: clashes.map((c) => c.id) };
}

function nonEmptyFields(fields: Partial<Record<ScalarField, string>>): Partial<Record<ScalarField, string>> {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined && value.trim() !== ''));
}
