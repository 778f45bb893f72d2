import type { StoredCustomer } from '../db/customer-writer.js';
import { nowIso } from '../db/clock.js';
import type { Store } from '../db/store.js';
import { CustdbError, NotFoundError } from '../errors.js';
import { CUSTOMER_VALUE_FIELDS } from '../model/customer-record.js';
import { MANUAL_SOURCE } from './add-customer.js';
import { isAttributeField, planCustomerEdit, type ColumnChange, type FieldAssignment } from './plan-customer-edit.js';
import type { RowWarning } from '../import/normalize-customer-row.js';
import { recordManualChanges, type ManualChange } from './record-manual-changes.js';

export interface EditCustomerResult {
  id: number;
  status: 'edited' | 'unchanged';
  changes: ColumnChange[];
  warnings: RowWarning[];
  eventId: number | null;
}

/**
 * Sets canonical fields (standardised like an import) and custom fields
 * (`attr.NAME`) of one active customer, in one transaction recorded as an
 * event plus field-level changes (old and new value) for the audit trail and undo. Returns `unchanged` when every
 * value is already as asked. Throws for an unknown, merged or erased customer
 * and for values that cannot be read.
 */
export async function editCustomer(store: Store, customerId: number, assignments: FieldAssignment[], actor: string): Promise<EditCustomerResult> {
  const stored = await loadEditableCustomer(store, customerId);
  const defaultCountry = (await store.db.selectFrom('settings').select('value').where('key', '=', 'default-country').executeTakeFirst())?.value ?? null;
  const now = nowIso();
  const attributes = await store.db.selectFrom('customer_attributes').select(['name', 'value']).where('customer_id', '=', customerId).execute();
  const plan = planCustomerEdit(stored, assignments, { defaultCountry }, now, MANUAL_SOURCE, Object.fromEntries(attributes.map((a) => [a.name, a.value])));
  if (plan.changes.length === 0) return { id: customerId, status: 'unchanged', changes: [], warnings: plan.warnings, eventId: null };

  const eventId = await store.transaction(async (trx) => {
    const set = Object.fromEntries(plan.changes.filter((c) => !isAttributeField(c.field)).map((c) => [c.field, c.new]));
    await trx.updateTable('customers').set({ ...set, updated_at: now }).where('id', '=', customerId).execute();
    const recorded: ManualChange[] = [];
    for (const change of plan.changes) {
      if (!isAttributeField(change.field)) {
        recorded.push({ customerId, entity: 'customer', entityId: String(customerId), action: 'update', field: change.field, oldValue: change.old, newValue: change.new });
        continue;
      }
      // Recorded as an import records a custom field (entity 'attribute', its bare name), so that audit and undo read both alike.
      const name = change.field.slice('attr.'.length);
      const value = change.new;
      if (value === null) await trx.deleteFrom('customer_attributes').where('customer_id', '=', customerId).where('name', '=', name).execute();
      else await trx.insertInto('customer_attributes').values({ customer_id: customerId, name, value }).onConflict((oc) => oc.columns(['customer_id', 'name']).doUpdateSet({ value })).execute();
      const action = change.old === null ? 'insert' : change.new === null ? 'delete' : 'update';
      recorded.push({ customerId, entity: 'attribute', entityId: String(customerId), action, field: name, oldValue: change.old, newValue: change.new });
    }
    return recordManualChanges(
      trx,
      {
        actor,
        command: 'customers edit',
        summary: `edited customer ${customerId}: ${plan.changes.map((c) => c.field).join(', ')}`,
        details: { customerId, fields: plan.changes.map((c) => c.field) },
      },
      recorded,
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
