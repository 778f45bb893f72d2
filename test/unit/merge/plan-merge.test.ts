import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { CustomerRow, CustomerSnapshot } from '../../../src/merge/customer-snapshot.js';
import { emptyCustomerValues } from '../../../src/model/customer-record.js';
import { chooseSurvivor, MERGE_FIELDS, planMerge, survivorAfter } from '../../../src/merge/plan-merge.js';

function row(id: number, fields: Partial<CustomerRow> = {}): CustomerRow {
  return {
    ...emptyCustomerValues(),
    id,
    status: 'active',
    merged_into: null,
    email_consent_at: null,
    email_consent_source: null,
    sms_consent_at: null,
    sms_consent_source: null,
    created_at: '2025-01-01T00:00:00.000Z',
    updated_at: '2025-01-01T00:00:00.000Z',
    created_batch_id: null,
    ...fields,
  };
}

function snap(customer: CustomerRow, extra: Partial<Omit<CustomerSnapshot, 'customer'>> = {}): CustomerSnapshot {
  return { customer, tags: [], attributes: {}, identities: [], fieldUpdatedAt: {}, ...extra };
}

const field = (plan: ReturnType<typeof planMerge>, name: string) => plan.fields.find((f) => f.field === name)!;

describe('planMerge', () => {
  it('keeps the most recently updated non-empty value, and says why', () => {
    const older = snap(row(1, { first_name: 'Jane', job_title: 'Barista' }), { fieldUpdatedAt: { job_title: '2025-03-01T00:00:00.000Z' } });
    const newer = snap(row(2, { first_name: 'Jane', job_title: 'Manager', created_at: '2025-06-01T00:00:00.000Z' }));
    const plan = planMerge(older, newer);
    expect(field(plan, 'job_title')).toEqual({
      field: 'job_title',
      value: 'Manager',
      from: 'merged',
      reason: 'more recently updated (2025-06-01 vs 2025-03-01)',
      changes: true,
    });
    expect(field(plan, 'first_name')).toMatchObject({ value: 'Jane', from: 'both', changes: false });
  });

  it('keeps the fuller first name when both were updated the same day, whichever was typed last, and says so in words', () => {
    const katherine = snap(row(1, { first_name: 'Katherine', last_name: 'Moore', updated_at: '2026-03-04T09:00:00.000Z' }), {
      fieldUpdatedAt: { first_name: '2026-03-04T09:00:00.000Z' },
    });
    const kate = snap(row(2, { first_name: 'Kate', last_name: 'Moore', created_at: '2026-03-04T17:30:00.000Z' }));
    const reason = 'both updated on 2026-03-04; kept the longer, more complete first name';
    expect(field(planMerge(katherine, kate), 'first_name')).toEqual({ field: 'first_name', value: 'Katherine', from: 'survivor', reason, changes: false });
    // The other way round (Kate survives, Katherine typed earlier that day): Katherine still wins.
    const kateFirst = snap(row(1, { first_name: 'Kate', created_at: '2026-03-04T17:30:00.000Z' }));
    const katherineLater = snap(row(2, { first_name: 'Katherine', created_at: '2026-03-04T09:00:00.000Z' }));
    expect(field(planMerge(kateFirst, katherineLater), 'first_name')).toMatchObject({ value: 'Katherine', from: 'merged', reason, changes: true });
  });

  it('a day apart, the newer value wins even when shorter; same day and same length, the later change wins', () => {
    const katherine = snap(row(1, { first_name: 'Katherine', created_at: '2026-03-03T09:00:00.000Z' }));
    const kate = snap(row(2, { first_name: 'Kate', created_at: '2026-03-04T09:00:00.000Z' }));
    expect(field(planMerge(katherine, kate), 'first_name')).toMatchObject({ value: 'Kate', reason: 'more recently updated (2026-03-04 vs 2026-03-03)' });
    const morning = snap(row(1, { first_name: 'Jon', created_at: '2026-03-04T09:00:00.000Z' }));
    const evening = snap(row(2, { first_name: 'Jan', created_at: '2026-03-04T18:00:00.000Z' }));
    expect(field(planMerge(morning, evening), 'first_name')).toMatchObject({ value: 'Jan', reason: 'both updated on 2026-03-04; kept the one changed later that day' });
    // Length says nothing about a gender or a country: there the later change wins.
    const shortFirst = snap(row(1, { gender: 'female', created_at: '2026-03-04T09:00:00.000Z' }));
    const longLater = snap(row(2, { gender: 'f', created_at: '2026-03-04T18:00:00.000Z' }));
    expect(field(planMerge(shortFirst, longLater), 'gender')).toMatchObject({ value: 'f', from: 'merged' });
  });

  it('uses per-field change times: a field edited later wins even on the older record', () => {
    const survivor = snap(row(1, { company: 'Acme Ltd' }), { fieldUpdatedAt: { company: '2026-02-01T00:00:00.000Z' } });
    const merged = snap(row(2, { company: 'Acme', created_at: '2025-12-01T00:00:00.000Z' }));
    expect(field(planMerge(survivor, merged), 'company')).toMatchObject({ value: 'Acme Ltd', from: 'survivor', changes: false });
  });

  it('never replaces a value with an empty one', () => {
    const survivor = snap(row(1, { company: 'Acme' }));
    const merged = snap(row(2, { company: '  ', created_at: '2026-01-01T00:00:00.000Z' }));
    expect(field(planMerge(survivor, merged), 'company')).toMatchObject({ value: 'Acme', from: 'survivor', reason: 'only #1 has one' });
  });

  it('fills an empty field from the merged customer', () => {
    const plan = planMerge(snap(row(1)), snap(row(2, { birth_date: '1980-02-03' })));
    expect(field(plan, 'birth_date')).toMatchObject({ value: '1980-02-03', from: 'merged', reason: 'only #2 has one', changes: true });
  });

  it('takes email with its normalised form, and the address lines as one block', () => {
    const survivor = snap(row(1, { email: 'Jane@Example.com', email_norm: 'jane@example.com', address_line1: '1 Old Rd', city: 'Leeds', postal_code: 'LS1 1AA' }));
    const merged = snap(
      row(2, { email: 'jane.new@example.com', email_norm: 'jane.new@example.com', address_line1: '9 New St', city: 'York', created_at: '2026-01-01T00:00:00.000Z' }),
    );
    const plan = planMerge(survivor, merged);
    expect(field(plan, 'email').value).toBe('jane.new@example.com');
    expect(field(plan, 'email_norm').value).toBe('jane.new@example.com');
    // The newer address wins whole: its (empty) postal code too, never York with the Leeds postcode.
    expect([field(plan, 'address_line1').value, field(plan, 'city').value, field(plan, 'postal_code').value]).toEqual(['9 New St', 'York', null]);
    expect(field(plan, 'postal_code').reason).toMatch(/more recently updated/);
  });

  it('consent: denied beats granted, whichever is newer, with its date and source', () => {
    const granted = snap(
      row(1, { email_consent: 'granted', email_consent_at: '2026-05-01T00:00:00.000Z', email_consent_source: 'import:shop' }),
      { fieldUpdatedAt: { email_consent: '2026-05-01T00:00:00.000Z' } },
    );
    const denied = snap(row(2, { email_consent: 'denied', email_consent_at: '2024-01-01T00:00:00.000Z', email_consent_source: 'import:till' }));
    const plan = planMerge(granted, denied);
    expect(field(plan, 'email_consent')).toMatchObject({ value: 'denied', from: 'merged', reason: 'denied beats granted (the most restrictive consent wins)' });
    expect(field(plan, 'email_consent_at').value).toBe('2024-01-01T00:00:00.000Z');
    expect(field(plan, 'email_consent_source').value).toBe('import:till');
    expect(field(planMerge(denied, granted), 'email_consent')).toMatchObject({ value: 'denied', from: 'survivor', changes: false });
  });

  it('consent: an answer beats no answer', () => {
    expect(field(planMerge(snap(row(1)), snap(row(2, { sms_consent: 'granted' }))), 'sms_consent')).toMatchObject({ value: 'granted', from: 'merged' });
  });

  it('keeps the earliest signup date and both notes', () => {
    const plan = planMerge(snap(row(1, { signup_date: '2024-05-01', notes: 'Likes dark roast' })), snap(row(2, { signup_date: '2021-01-09', notes: 'Call first' })));
    expect(field(plan, 'signup_date')).toMatchObject({ value: '2021-01-09', reason: 'the earliest signup' });
    expect(field(plan, 'notes').value).toBe('Likes dark roast\n---\nCall first');
  });

  it('unites tags, identities and attributes; a shared attribute keeps the more recently updated value', () => {
    const survivor = snap(row(1, { updated_at: '2025-01-01T00:00:00.000Z' }), {
      tags: ['newsletter', 'vip'],
      attributes: { roast: 'dark', size: 'L' },
      identities: [{ id: 1, customer_id: 1, source: 'shopify', external_id: '100', created_at: 'x', batch_id: 1 }],
    });
    const merged = snap(row(2, { updated_at: '2026-01-01T00:00:00.000Z' }), {
      tags: ['vip', 'wholesale'],
      attributes: { roast: 'light', loyalty: 'gold' },
      identities: [{ id: 2, customer_id: 2, source: 'till', external_id: 'T-9', created_at: 'x', batch_id: 2 }],
    });
    const plan = planMerge(survivor, merged);
    expect(plan.addTags).toEqual(['wholesale']);
    expect(plan.identities).toEqual([{ source: 'till', externalId: 'T-9' }]);
    expect(plan.attributes).toEqual([
      { name: 'loyalty', value: 'gold', old: null, reason: 'only #2 has it' },
      { name: 'roast', value: 'light', old: 'dark', reason: '#2 was updated more recently' },
    ]);
    const after = survivorAfter(plan, survivor, merged);
    expect(after.tags).toEqual(['newsletter', 'vip', 'wholesale']);
    expect(after.attributes).toEqual({ roast: 'light', size: 'L', loyalty: 'gold' });
  });

  it('covers every mergeable column exactly once', () => {
    const plan = planMerge(snap(row(1)), snap(row(2)));
    expect(plan.fields.map((f) => f.field)).toEqual([...MERGE_FIELDS]);
    const columns = Object.keys(row(1)).filter((c) => !['id', 'status', 'merged_into', 'created_at', 'updated_at', 'created_batch_id'].includes(c));
    expect([...MERGE_FIELDS].sort()).toEqual(columns.sort());
  });

  it('the oldest customer survives', () => {
    expect(chooseSurvivor([40, 12, 33])).toBe(12);
  });

  it('property: the survivor never loses a value and merging with an identical twin changes nothing', () => {
    const value = fc.option(fc.constantFrom('a', 'b', 'Anne', 'x@example.com'), { nil: null });
    const fieldsArb = fc.record({ first_name: value, last_name: value, company: value, city: value, email: value, notes: value });
    fc.assert(
      fc.property(fieldsArb, fieldsArb, (a, b) => {
        const survivor = snap(row(1, a));
        const plan = planMerge(survivor, snap(row(2, b)));
        for (const f of plan.fields) {
          const before = survivor.customer[f.field];
          if (before !== null && before.trim() !== '') expect(f.value === null || f.value.trim() === '').toBe(false);
        }
        expect(planMerge(survivor, snap(row(2, a))).fields.filter((f) => f.changes)).toEqual([]);
      }),
    );
  });
});
