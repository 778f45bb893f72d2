import { describe, expect, it } from 'vitest';
import type { StoredCustomer } from '../../../src/db/customer-writer.js';
import { parseFieldAssignments, planCustomerEdit } from '../../../src/customers/plan-customer-edit.js';
import { parseCustomerReference } from '../../../src/customers/resolve-customer.js';
import { emptyCustomerValues } from '../../../src/model/customer-record.js';

function makeCustomer(overrides: Partial<StoredCustomer> = {}): StoredCustomer {
  return {
    ...emptyCustomerValues(),
    id: 7,
    status: 'active',
    merged_into: null,
    email_consent_at: null,
    email_consent_source: null,
    sms_consent_at: null,
    sms_consent_source: null,
    first_name: 'Jane',
    email: 'jane@example.com',
    email_norm: 'jane@example.com',
    country: 'GB',
    ...overrides,
  };
}

const NOW = '2026-11-24T00:00:00.000Z';
const plan = (customer: StoredCustomer, ...sets: string[]) => planCustomerEdit(customer, parseFieldAssignments(sets), { defaultCountry: null }, NOW, 'manual');

describe('planCustomerEdit', () => {
  it('standardises like an import: phone read in the customer country, names re-cased, derived columns follow', () => {
    expect(plan(makeCustomer(), 'phone=020 7946 0018', 'last_name=MCDONALD').changes).toEqual([
      { field: 'phone', old: null, new: '+442079460018' },
      { field: 'phone_e164', old: null, new: '+442079460018' },
      { field: 'last_name', old: null, new: 'McDonald' },
    ]);
  });

  it('stamps consent with when and where, and lists nothing when the value is already there', () => {
    expect(plan(makeCustomer(), 'email_consent=yes').changes).toEqual([
      { field: 'email_consent', old: null, new: 'granted' },
      { field: 'email_consent_at', old: null, new: NOW },
      { field: 'email_consent_source', old: null, new: 'manual' },
    ]);
    expect(plan(makeCustomer(), 'email=JANE@example.com').changes).toEqual([]);
  });

  it('refuses unreadable values and an edit that leaves nothing identifying', () => {
    expect(() => plan(makeCustomer(), 'email_consent=maybe')).toThrow(/Cannot set email_consent to "maybe": could not read "maybe" as yes\/no\./);
    expect(() => plan(makeCustomer(), 'country=Atlantis')).toThrow(/Cannot set country/);
    expect(() => plan(makeCustomer(), 'first_name=', 'email=')).toThrow(/nothing that identifies them/);
  });

  it('changes custom fields from their stored value; an empty value removes one, the last of two values wins', () => {
    const assignments = parseFieldAssignments(['attr.Tier=gold', 'attr.roast=', 'attr.tier= silver ', 'attr.size=9']);
    expect(assignments[0]).toEqual({ field: 'attr.tier', value: 'gold' });
    const planned = planCustomerEdit(makeCustomer(), assignments, { defaultCountry: null }, NOW, 'manual', { roast: 'dark', size: '9' });
    expect(planned.changes).toEqual([
      { field: 'attr.tier', old: null, new: 'silver' },
      { field: 'attr.roast', old: 'dark', new: null },
    ]);
  });

  it('parseFieldAssignments names the settable fields', () => {
    expect(() => parseFieldAssignments(['size=9'])).toThrow(/no field called size/);
    expect(() => parseFieldAssignments(['email'])).toThrow(/not field=value/);
    expect(parseFieldAssignments(['Company=A=B'])).toEqual([{ field: 'company', value: 'A=B' }]);
  });
});

describe('parseCustomerReference', () => {
  it('tells ids, emails, phones, source:external_id and names apart', () => {
    expect(parseCustomerReference('42', null)).toEqual({ kind: 'id', id: 42, phone: null });
    expect(parseCustomerReference('4155552671', 'US')).toEqual({ kind: 'id', id: 4155552671, phone: '+14155552671' });
    expect(parseCustomerReference(' Jane@Example.com ', null)).toEqual({ kind: 'email', email: 'jane@example.com' });
    expect(parseCustomerReference('+44 20 7946 0018', null)).toEqual({ kind: 'phone', e164: '+442079460018' });
    expect(parseCustomerReference('shopify:1001', null)).toEqual({ kind: 'identity', source: 'shopify', externalId: '1001' });
    expect(parseCustomerReference(' José García ', null)).toEqual({ kind: 'name', name: 'José García' });
    expect(() => parseCustomerReference('???', null)).toThrow(/Cannot tell/);
  });
});
