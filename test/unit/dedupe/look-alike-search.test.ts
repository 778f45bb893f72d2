import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_BLOCKING_KEYS } from '../../../src/dedupe/block-candidates.js';
import { buildRecordTable } from '../../../src/dedupe/build-record-table.js';
import { createBlockingKeyReader, KeyGate, READ_KEY_NAMES } from '../../../src/dedupe/create-blocking-key-reader.js';
import type { DedupeRecord } from '../../../src/dedupe/dedupe-record.js';
import { describeLookAlike, LookAlikeSearch, MAX_CUSTOMERS_PER_KEY, type LookAlike } from '../../../src/dedupe/look-alike-search.js';
import type { PairExplanation } from '../../../src/dedupe/explain-pair.js';

// Small alphabets, so that records often share some keys and not others.
const recordArbitrary = fc.record({
  firstName: fc.constantFrom('Ann', 'anne', 'Zoë', 'Bob', 'Robert', "O'Neil", 'J', ' ', ''),
  lastName: fc.constantFrom('Smith', 'SMYTH', 'Lee', 'Li', 'van der Berg', 'García', ''),
  email: fc.constantFrom('ann@x.com', 'ANN@x.com ', 'annie@y.org', 'annie@z.org', 'bo@x.com', ''),
  phone: fc.constantFrom('+12125550199', '+1 212 555 0199', '+12125550100', ''),
  birthDate: fc.constantFrom('1980-01-02', '1980-02-01', '1980', ''),
  postalCode: fc.constantFrom('NW1 6XE', 'nw16xe', '10001', ''),
  city: fc.constantFrom('New York', 'new  york', 'Leeds', ''),
  addressLine1: fc.constantFrom('12 High St', '12 high street', '3 Low Rd', ''),
});

describe('createBlockingKeyReader', () => {
  it('reads the same keys as the engine, in the same order', () => {
    expect(READ_KEY_NAMES).toEqual(DEFAULT_BLOCKING_KEYS.map((k) => k.name));
  });

  it('two records share a key string exactly when the engine puts them in one block for that key (property)', () => {
    fc.assert(
      fc.property(recordArbitrary, recordArbitrary, (a, b) => {
        const table = buildRecordTable([{ id: 1, ...a }, { id: 2, ...b }]);
        const reader = createBlockingKeyReader();
        const keysA = reader.keysOf({ id: 1, ...a });
        const keysB = new Set(reader.keysOf({ id: 2, ...b }));
        for (const key of DEFAULT_BLOCKING_KEYS) {
          const x = key.keyOf(table, 0);
          const engine = x >= 0 && x === key.keyOf(table, 1);
          const reads = keysA.some((k) => k.startsWith(`${key.name}\u0000`) && keysB.has(k));
          expect(reads, key.name).toBe(engine);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('with a gate of wanted keys, reads exactly the wanted ones; a key taken out of the gate is no longer read (property)', () => {
    fc.assert(
      fc.property(fc.array(recordArbitrary, { minLength: 1, maxLength: 5 }), fc.array(recordArbitrary, { maxLength: 20 }), (fresh, existing) => {
        const reader = createBlockingKeyReader();
        const wanted = new Set(fresh.flatMap((r, k) => reader.keysOf({ id: k, ...r })));
        const gate = new KeyGate(wanted);
        const dropped = [...wanted][0]!;
        for (const r of existing) {
          expect(reader.keysOf({ id: 0, ...r }, gate)).toEqual(reader.keysOf({ id: 0, ...r }).filter((k) => wanted.has(k)));
        }
        gate.delete(dropped);
        for (const r of [...existing, ...fresh]) expect(reader.keysOf({ id: 0, ...r }, gate)).not.toContain(dropped);
      }),
    );
  });
});

/** A shop's existing customers: a few dozen strangers and a household. */
function existingCustomers(): DedupeRecord[] {
  const first = ['Amelia', 'Oscar', 'Fatima', 'Samuel', 'Chloe', 'Ravi', 'Isabel', 'William', 'Hannah', 'Lucas', 'Nora', 'Kwame', 'Yuki', 'Peter', 'Zoe', 'Miguel', 'Ingrid', 'Ahmed', 'Claire', 'Grace'];
  const last = ['Rossi', 'Lindqvist', 'Haddad', 'Brooks', 'Dubois', 'Sharma', 'Ortiz', 'Foster', 'Becker', 'Moreau', 'Sullivan', 'Mensah', 'Tanaka', 'Novak', 'Adams', 'Santos', 'Larsen', 'Farouk', 'Whitfield', 'Kim'];
  const people: DedupeRecord[] = first.map((name, k) => ({
    id: k + 1,
    firstName: name,
    lastName: last[k],
    email: `${name.toLowerCase()}.${last[k]!.toLowerCase()}@example.com`,
    phone: `+1212555${1000 + k}`,
    birthDate: `19${60 + k}-0${1 + (k % 9)}-1${k % 10}`,
    addressLine1: `${k + 1} Market Street`,
    postalCode: String(94100 + k),
    city: k % 2 === 0 ? 'San Francisco' : 'Oakland',
    region: 'CA',
  }));
  people.push(
    { id: 30, firstName: 'Mark', lastName: 'Delgado', email: 'mark.delgado@example.com', phone: '+15055550107', birthDate: '1971-05-05', addressLine1: '21 Mesa Drive', postalCode: '87102', city: 'Albuquerque', region: 'NM' },
    { id: 31, firstName: 'Katherine', lastName: 'Moore', email: 'katherine.moore@example.com', phone: '+15035550101', birthDate: '1982-04-17', addressLine1: '14 Alder Street', postalCode: '97205', city: 'Portland', region: 'OR' },
  );
  return people;
}

function search(fresh: DedupeRecord[], existing: DedupeRecord[] = existingCustomers()): { found: LookAlike[]; candidates: number } {
  const s = new LookAlikeSearch(fresh);
  for (const record of existing) s.offer(record);
  return { found: s.finish(), candidates: s.candidates };
}

describe('LookAlikeSearch', () => {
  it('flags a new customer typed differently from an existing one, with a reason a shop owner reads', () => {
    const kate: DedupeRecord = { id: 100, firstName: 'Kate', lastName: 'Moore', email: 'kate.moore@gmail.com', birthDate: '1982-04-17', addressLine1: '14 Alder St', postalCode: '97205', city: 'Portland', region: 'OR' };
    const { found } = search([kate]);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ customerId: 100, otherId: 31 });
    expect(found[0]!.probability).toBeGreaterThan(0.9);
    expect(found[0]!.reason).toMatch(/^looks like customer 31: same surname, birth date and street address, first name a known nickname \(probability (>0\.99|0\.\d\d)\)$/);
  });

  it('does not flag a household member (same surname and address, another first name) or a stranger', () => {
    const sarah: DedupeRecord = { id: 101, firstName: 'Sarah', lastName: 'Delgado', email: 'sarah.delgado@example.com', birthDate: '2001-03-09', addressLine1: '21 Mesa Drive', postalCode: '87102', city: 'Albuquerque', region: 'NM' };
    const owen: DedupeRecord = { id: 102, firstName: 'Owen', lastName: 'Gallagher', email: 'owen@example.com', birthDate: '1990-11-11', addressLine1: '40 Tremont St', postalCode: '02108', city: 'Boston', region: 'MA' };
    const { found, candidates } = search([sarah, owen]);
    expect(candidates).toBeGreaterThan(0); // Sarah shares the Delgados' address: compared, and told apart.
    expect(found).toEqual([]);
  });

  it('compares only with customers that existed before: two new look-alikes of each other are left to dedupe', () => {
    const a: DedupeRecord = { id: 200, firstName: 'Nadia', lastName: 'Petrova', email: 'nadia@example.com', birthDate: '1991-01-01', postalCode: '10001' };
    const b: DedupeRecord = { id: 201, firstName: 'Nadia', lastName: 'Petrova', email: 'n.petrova@example.com', birthDate: '1991-01-01', postalCode: '10001' };
    expect(search([a, b]).found).toEqual([]);
  });

  it('stops searching by a key value too many existing customers share, so memory stays bounded', () => {
    const crowd: DedupeRecord[] = Array.from({ length: 3 * MAX_CUSTOMERS_PER_KEY }, (_, k) => ({ id: k + 1, firstName: `Jo${k}`, lastName: 'Smith', email: `jo${k}@example.com` }));
    const { candidates } = search([{ id: 1000, firstName: 'Jo', lastName: 'Smith', email: 'jo@example.org' }], crowd);
    expect(candidates).toBeLessThanOrEqual(MAX_CUSTOMERS_PER_KEY);
  });

  it('finds nothing, quickly, when no existing customer was offered', () => {
    expect(search([{ id: 1, firstName: 'Ann' }], []).found).toEqual([]);
  });
});

describe('describeLookAlike', () => {
  const field = (f: string, level: string, words: string, weight: number) => ({ field: f, level, words, weight, termFrequencyWeight: 0, text: '' }) as PairExplanation['fields'][number];
  it('gathers exact fields, skips city and region when the postal code agrees, and keeps the record order', () => {
    const explanation = {
      priorWeight: -10,
      priorText: '',
      weight: 12,
      probability: 0.97,
      fields: [
        field('firstName', 'exact', 'same first name', 5),
        field('lastName', 'exact', 'same surname', 6),
        field('birthDate', 'exact', 'same birth date', 9),
        field('email', 'typoDomain', 'email domain typo', 8),
        field('phone', 'missing', 'phone missing on one side', 0),
        field('postalCode', 'exact', 'same postal code', 7),
        field('city', 'exact', 'same city', 6.5),
        field('region', 'exact', 'same state or region', 3),
      ],
    } satisfies PairExplanation;
    expect(describeLookAlike(12, explanation)).toBe('looks like customer 12: same first name, surname, birth date and postal code, email domain typo (probability 0.97)');
  });
});
