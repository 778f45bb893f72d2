import { describe, it, expect } from 'vitest';
import { compareRecords } from '../../../src/dedupe/compare-fields.js';
import { FIELD_LEVELS, COMPARISON_FIELDS } from '../../../src/dedupe/comparison-levels.js';
import type { DedupeRecord } from '../../../src/dedupe/dedupe-record.js';

function makeCustomer(fields: Partial<DedupeRecord> = {}): DedupeRecord {
  return { id: 1, ...fields };
}

function level(a: Partial<DedupeRecord>, b: Partial<DedupeRecord>, field: keyof ReturnType<typeof compareRecords>): string {
  return compareRecords(makeCustomer(a), { ...makeCustomer(b), id: 2 })[field];
}

describe('compareFields levels', () => {
  it('first name: every level', () => {
    expect(level({ firstName: 'Robert' }, { firstName: 'robert' }, 'firstName')).toBe('exact');
    expect(level({ firstName: 'Isla', lastName: 'Hall' }, { firstName: 'Hall', lastName: 'Isla' }, 'firstName')).toBe('swapped');
    expect(level({ firstName: 'Bob' }, { firstName: 'Robert' }, 'firstName')).toBe('nickname');
    expect(level({ firstName: 'Jonathon' }, { firstName: 'Jonathan' }, 'firstName')).toBe('close');
    expect(level({ firstName: 'Kayla' }, { firstName: 'Cayla' }, 'firstName')).toBe('similar');
    expect(level({ firstName: 'J' }, { firstName: 'James' }, 'firstName')).toBe('initial');
    expect(level({ firstName: 'Peter' }, { firstName: 'Susan' }, 'firstName')).toBe('different');
    expect(level({ firstName: 'Peter' }, {}, 'firstName')).toBe('missing');
    expect(level({ firstName: '  ' }, { firstName: 'Peter' }, 'firstName')).toBe('missing');
  });

  it('surname: every level', () => {
    expect(level({ lastName: 'Zablocki' }, { lastName: 'ZABLOCKI' }, 'lastName')).toBe('exact');
    expect(level({ firstName: 'Isla', lastName: 'Hall' }, { firstName: 'Hall', lastName: 'Isla' }, 'lastName')).toBe('swapped');
    expect(level({ lastName: 'Harrington' }, { lastName: 'Harringtn' }, 'lastName')).toBe('close');
    expect(level({ lastName: 'Carlson' }, { lastName: 'Karlsen' }, 'lastName')).toBe('similar');
    expect(level({ lastName: 'Garcia Lopez' }, { lastName: 'Lopez' }, 'lastName')).toBe('part');
    expect(level({ lastName: 'Smith' }, { lastName: 'Jones' }, 'lastName')).toBe('different');
    expect(level({}, { lastName: 'Jones' }, 'lastName')).toBe('missing');
  });

  it('birth date: every level', () => {
    expect(level({ birthDate: '1971-06-24' }, { birthDate: '1971-06-24' }, 'birthDate')).toBe('exact');
    expect(level({ birthDate: '1971-06-04' }, { birthDate: '1971-04-06' }, 'birthDate')).toBe('dayMonthSwapped');
    expect(level({ birthDate: '1971-06-24' }, { birthDate: '1971-05-24' }, 'birthDate')).toBe('oneDigit');
    expect(level({ birthDate: '1997-04-26' }, { birthDate: '1979-04-26' }, 'birthDate')).toBe('oneDigit');
    expect(level({ birthDate: '1971-06-24' }, { birthDate: '1971-11-02' }, 'birthDate')).toBe('sameYear');
    expect(level({ birthDate: '1971' }, { birthDate: '1971-11-02' }, 'birthDate')).toBe('sameYear');
    expect(level({ birthDate: '1971-06-24' }, { birthDate: '1985-01-13' }, 'birthDate')).toBe('different');
    expect(level({ birthDate: '1971-06-24' }, {}, 'birthDate')).toBe('missing');
  });

  it('email: every level', () => {
    expect(level({ email: 'ann@gmail.com' }, { email: 'ann@gmail.com' }, 'email')).toBe('exact');
    expect(level({ email: 'ann@gmial.com' }, { email: 'ann@gmail.com' }, 'email')).toBe('typoDomain');
    expect(level({ email: 'ann.lee@yahoo.com' }, { email: 'ann.lee@work.example' }, 'email')).toBe('sameLocal');
    expect(level({ email: 'evied56@harris-bailey.net' }, { email: 'evihd56@earris-bailey.net' }, 'email')).toBe('close');
    expect(level({ email: 'ann@gmail.com' }, { email: 'zed.q@outlook.com' }, 'email')).toBe('different');
    expect(level({}, { email: 'ann@gmail.com' }, 'email')).toBe('missing');
  });

  it('phone: every level', () => {
    expect(level({ phone: '+447700900123' }, { phone: '+447700900123' }, 'phone')).toBe('exact');
    expect(level({ phone: '+447700900123' }, { phone: '+447800900123' }, 'phone')).toBe('sameEnding');
    expect(level({ phone: '+447700900123' }, { phone: '+15555550199' }, 'phone')).toBe('different');
    expect(level({ phone: '+447700900123' }, {}, 'phone')).toBe('missing');
  });

  it('address: every level, with street words normalised', () => {
    expect(level({ addressLine1: '12 High Street' }, { addressLine1: '12 high st' }, 'address')).toBe('exact');
    expect(level({ addressLine1: '12 Tullaroop Street' }, { addressLine1: '12 Tullarop Street' }, 'address')).toBe('close');
    expect(level({ addressLine1: '12 High Street' }, { addressLine1: 'High Street' }, 'address')).toBe('sameStreet');
    expect(level({ addressLine1: '12 High Street' }, { addressLine1: '90 Mill Road' }, 'address')).toBe('different');
    expect(level({}, { addressLine1: '90 Mill Road' }, 'address')).toBe('missing');
  });

  it('address line 2, postal code, city, region: every level', () => {
    expect(level({ addressLine2: 'Flat 2' }, { addressLine2: 'flat 2' }, 'addressLine2')).toBe('exact');
    expect(level({ addressLine2: 'willaroo' }, { addressLine2: 'willarooo' }, 'addressLine2')).toBe('close');
    expect(level({ addressLine2: 'willaroo' }, { addressLine2: 'killarney' }, 'addressLine2')).toBe('different');
    expect(level({ postalCode: 'SW1A 1AA' }, { postalCode: 'sw1a1aa' }, 'postalCode')).toBe('exact');
    expect(level({ postalCode: '4011' }, { postalCode: '4017' }, 'postalCode')).toBe('oneChar');
    expect(level({ postalCode: '4011' }, { postalCode: '2776' }, 'postalCode')).toBe('different');
    expect(level({ city: 'London' }, { city: 'london' }, 'city')).toBe('exact');
    expect(level({ city: 'London' }, { city: 'Lonon' }, 'city')).toBe('close');
    expect(level({ city: 'London' }, { city: 'Hull' }, 'city')).toBe('different');
    expect(level({ region: 'vic' }, { region: 'vic' }, 'region')).toBe('exact');
    expect(level({ region: 'vic' }, { region: 'nsw' }, 'region')).toBe('different');
    expect(level({}, {}, 'region')).toBe('missing');
  });

  it('every level of every field is reached by at least one test above', () => {
    // Guards the table: a level added without a test would show up here as unexpected.
    const counted = COMPARISON_FIELDS.reduce((n, f) => n + FIELD_LEVELS[f].length, 0);
    expect(counted).toBe(8 + 7 + 6 + 6 + 4 + 5 + 4 + 4 + 4 + 3);
  });

  it('is symmetric', () => {
    const a = makeCustomer({ firstName: 'Bob', lastName: 'Smith', birthDate: '1971-06-04', email: 'bob@gmial.com' });
    const b = { ...makeCustomer({ firstName: 'Robert', lastName: 'Smyth', birthDate: '1971-04-06', email: 'bob@gmail.com' }), id: 2 };
    expect(compareRecords(a, b)).toEqual(compareRecords(b, a));
  });
});
