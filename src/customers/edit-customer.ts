import type { StoredCustomer } from '../db/customer-writer.js';
import { nowIso } from '../db/clock.js';
import type { Store } from '../db/open-store.js';
import { CustdbError, NotFoundError } from '../errors.js';
import { CUSTOMER_VALUE_FIELDS } from '../model/customer-record.js';
import { MANUAL_SOURCE } from './add-customer.js';
import { planCustomerEdit, type ColumnChange, type FieldAssignment } from './plan-customer-edit.js';
import type { RowWarning } from '../import/normalize-customer-row.js';
import { recordManualChanges } from './record-manual-changes.js';

export interface EditCustomerResult {
  id: number;
  status: 'edited' | 'unchanged';
  changes: ColumnChange[];
  warnings: RowWarning[];
  eventId: number | null;
}

/**
 * Sets canonical fields of one active customer, standardised like an import,
 * in one transaction recorded as an event plus field-level changes (old and
 * new value) for the audit trail and undo. Returns `unchanged` when every
 * value is already as asked. Throws for an unknown, merged or erased customer
 * and for values that cannot be read.
 */
export async function editCustomer(store: Store, customerId: number, assignments: FieldAssignment[], actor: string): Promise<EditCustomerResult> {
  const stored = await loadEditableCustomer(store, customerId);
  const defaultCountry = (await store.db.selectFrom('settings').select('value').where('key', '=', 'default-country').executeTakeFirst())?.value ?? null;
  const now = nowIso();
  const plan = planCustomerEdit(stored, assignments, { defaultCountry }, now, MANUAL_SOURCE);
  if (plan.changes.length === 0) return { id: customerId, status: 'unchanged', changes: [], warnings: plan.warnings, eventId: null };

  const eventId = await store.db.transaction().execute(async (trx) => {
    const set = Object.fromEntries(plan.changes.map((c) => [c.field, c.new]));
    await trx.updateTable('customers').set({ ...set, updated_at: now }).where('id', '=', customerId).execute();
    return recordManualChanges(
      trx,
      {
        actor,
        command: 'customers edit',
        summary: `edited customer ${customerId}: ${plan.changes.map((c) => c.field).join(', ')}`,
        details: { customerId, fields: plan.changes.map((c) => c.field) },
      },
      plan.changes.map((c) => ({ customerId, entity: 'customer', entityId: String(customerId), action: 'update', field: c.field, oldValue: c.old, newValue: c.new })),
      now,
    );
  });
  return { id: customerId, status: 'edited', changes: plan.changes, warnings: plan.warnings, eventId };
}

/** An active customer's stored fields; throws NotFoundError (exit 1) for an unknown id and a refusal for merged or erased ones. */
export async function loadEditableCustomer(store: Store, customerId: number): Promise<StoredCustomer> {
  const row = await store.db
    .selectFrom('customers')
    .select(['id', 'status', 'merged_into', 'email_consent_at', 'email_consent_source', 'sms_consent_at', 'sms_consent_source', ...CUSTOMER_VALUE_FIELDS])
    .where('id', '=', customerId)
    .executeTakeFirst();
  if (!row) throw new NotFoundError(`There is no customer ${customerId}.`, { hint: 'Find the id with "custdb show EMAIL-OR-PHONE".', exitCode: 1 });
  if (row.status === 'merged') {
    throw new CustdbError(`Customer ${customerId} was merged into customer ${row.merged_into}; nothing changed.`, { hint: `Change customer ${row.merged_into} instead.`, exitCode: 1 });
  }
  if (row.status === 'erased') throw new CustdbError(`Customer ${customerId} was erased; nothing changed.`, { exitCode: 1 });
  return row;
}
