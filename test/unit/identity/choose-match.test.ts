import { describe, expect, it } from 'vitest';
import type { StoredCustomer } from '../../../src/db/customer-writer.js';
import { chooseMatch, type IdentityLookup } from '../../../src/identity/plan-customer-write.js';
import { namesConflict } from '../../../src/identity/names-conflict.js';
import { emptyCustomerValues, type CustomerRecord, type CustomerValues, type ExternalId } from '../../../src/model/customer-record.js';

function makeStored(id: number, values: Partial<CustomerValues>): StoredCustomer {
  return {
    ...emptyCustomerValues(),
    ...values,
    id,
    email_consent_at: null,
    email_consent_source: null,
    sms_consent_at: null,
    sms_consent_source: null,
    status: 'active',
    merged_into: null,
  };
}

function makeRecord(values: Partial<CustomerValues>, externalIds: ExternalId[] = []): CustomerRecord {
  return { values: { ...emptyCustomerValues(), ...values }, externalIds, tags: [], attributes: {} };
}

/** A lookup over a handful of stored customers, with their identity sources. */
function lookupOver(customers: StoredCustomer[], sources: Record<number, string[]> = {}): IdentityLookup {
  return {
    byExternalId: undefined,
    byEmail: () => customers.filter((c) => c.email_norm !== null),
    byPhone: () => customers.filter((c) => c.phone_e164 !== null),
    identitySources: (id) => sources[id] ?? [],
  };
}

const JANE = { first_name: 'Jane', last_name: 'Smith', phone: '+14155552671', phone_e164: '+14155552671' };

describe('chooseMatch: which evidence joins a row to an existing customer', () => {
  it('joins a row sharing a phone when nothing disagrees', () => {
    const stored = makeStored(1, JANE);
    const decision = chooseMatch(makeRecord({ ...JANE, email: 'jane@example.com', email_norm: 'jane@example.com' }), lookupOver([stored]));
    expect(decision).toMatchObject({ kind: 'match', by: 'phone', customer: { id: 1 } });
  });

  it('never joins two people with different ids from the same source, whatever they share', () => {
    const stored = makeStored(1, JANE);
    const decision = chooseMatch(makeRecord(JANE, [{ source: 'shopify', externalId: '102' }]), lookupOver([stored], { 1: ['shopify'] }));
    expect(decision.kind).toBe('new');
    if (decision.kind === 'new') expect(decision.suspects).toEqual([{ otherId: 1, reason: 'same phone as customer 1 but a different shopify id (102)' }]);
  });

  it('joins a row whose id comes from another source than the customer’s', () => {
    const stored = makeStored(1, JANE);
    const decision = chooseMatch(makeRecord(JANE, [{ source: 'square', externalId: 'SQ-9' }]), lookupOver([stored], { 1: ['shopify'] }));
    expect(decision.kind).toBe('match');
  });

  it('does not join through a phone when the emails differ', () => {
    const stored = makeStored(1, { ...JANE, email: 'jane@home.example', email_norm: 'jane@home.example' });
    const decision = chooseMatch(makeRecord({ ...JANE, email: 'j.smith@work.example', email_norm: 'j.smith@work.example' }), {
      ...lookupOver([stored]),
      byEmail: () => [],
    });
    expect(decision).toMatchObject({ kind: 'new', suspects: [{ otherId: 1, reason: expect.stringContaining('a different email') }] });
  });

  it('does not join when the birth dates differ, by email or by phone', () => {
    const stored = makeStored(1, { ...JANE, email_norm: 'family@example.com', birth_date: '1980-02-01' });
    const decision = chooseMatch(makeRecord({ ...JANE, email_norm: 'family@example.com', birth_date: '2011-06-30' }), lookupOver([stored]));
    expect(decision).toMatchObject({ kind: 'new', suspects: [{ otherId: 1, reason: expect.stringContaining('a different birth date') }] });
  });

  it('does not join colleagues sharing an office email with different surnames', () => {
    const stored = makeStored(1, { first_name: 'John', last_name: 'Brown', email_norm: 'info@shop.example' });
    const decision = chooseMatch(makeRecord({ first_name: 'John', last_name: 'Okafor', email_norm: 'info@shop.example' }), lookupOver([stored]));
    expect(decision).toMatchObject({ kind: 'new', suspects: [{ reason: expect.stringContaining('a different surname (Okafor / Brown)') }] });
  });

  it('picks the one of several people sharing a phone who agrees with the row', () => {
    const household = [makeStored(1, { ...JANE, first_name: 'Tom' }), makeStored(2, JANE)];
    const decision = chooseMatch(makeRecord(JANE), lookupOver(household));
    expect(decision).toMatchObject({ kind: 'match', customer: { id: 2 } });
  });

  it('flags a row against at most three look-alikes, each once', () => {
    const landline = [1, 2, 3, 4, 5].map((id) => makeStored(id, { ...JANE, first_name: `Person${'abcde'[id - 1]}x`, email_norm: `p${id}@example.com` }));
    const decision = chooseMatch(makeRecord({ ...JANE, email_norm: 'p1@example.com' }), lookupOver(landline));
    expect(decision.kind).toBe('new');
    if (decision.kind === 'new') expect(decision.suspects.map((s) => s.otherId)).toEqual([1, 2, 3]);
  });
});

describe('namesConflict', () => {
  it.each([
    ['Katherine', 'Kathy'],
    ['Jon', 'John'],
    ['J', 'Jane'],
    ['Mary Ann', 'Mary'],
    ['Smith-Jones', 'Jones'],
    ['Müller', 'Muller'],
    ['王伟', '王伟'],
    ['Jane', null],
  ])('%s and %s may be one person', (a, b) => expect(namesConflict(a, b)).toBe(false));

  it.each([
    ['Jane', 'Tom'],
    ['Smith', 'Brown'],
    ['王伟', '李娜'],
  ])('%s and %s are different people', (a, b) => expect(namesConflict(a, b)).toBe(true));
});
