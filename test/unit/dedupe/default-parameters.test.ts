import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { blockCandidates } from '../../../src/dedupe/block-candidates.js';
import { buildRecordTable } from '../../../src/dedupe/build-record-table.js';
import { compareCandidates } from '../../../src/dedupe/compare-candidates.js';
import { COMPARISON_FIELDS, FIELD_LEVELS, packLevels } from '../../../src/dedupe/comparison-levels.js';
import type { DedupeRecord } from '../../../src/dedupe/dedupe-record.js';
import { defaultM, defaultU } from '../../../src/dedupe/default-parameters.js';
import { countVectors, estimateParameters, type MatchModel } from '../../../src/dedupe/estimate-parameters.js';
import { explainPair } from '../../../src/dedupe/explain-pair.js';
import { createScorer } from '../../../src/dedupe/score-pairs.js';
import { runExpectationMaximisation } from '../../../src/dedupe/run-expectation-maximisation.js';

const EXACT = 1;
const weightOf = (m: number[][], u: number[][], f: number, l: number): number => Math.log2((m[f]?.[l] ?? 0) / (u[f]?.[l] ?? 1));

/**
 * A shop's first few dozen customers: a handful typed twice, a household sharing
 * phone, address and surname, and strangers. Far too few pairs for EM alone.
 */
function smallShop(): DedupeRecord[] {
  const people: DedupeRecord[] = [
    { id: 1, firstName: 'Tom', lastName: 'Smith', phone: '+12125550199', email: 'tom@gmial.com', birthDate: '1975-01-15', postalCode: '10001', city: 'New York', region: 'NY' },
    { id: 2, firstName: 'Tina', lastName: 'Smith', phone: '+12125550199', email: 'tina@example.com', birthDate: '1977-04-02', postalCode: '10001', city: 'New York', region: 'NY' },
    { id: 3, firstName: 'Katherine', lastName: 'Moore', email: 'katherine.moore@example.com', phone: '+15035550101', birthDate: '1982-04-17', addressLine1: '14 Alder Street', postalCode: '97205', city: 'Portland' },
    { id: 4, firstName: 'Kathy', lastName: 'Moore', email: 'kathy.m@example.net', birthDate: '1982-04-17', addressLine1: '14 Alder St', postalCode: '97205', city: 'Portland' },
    { id: 5, firstName: 'Robert', lastName: 'Chen', email: 'robert.chen@example.com', phone: '+12065550102', birthDate: '1979-11-02', postalCode: '98101', city: 'Seattle' },
    { id: 6, firstName: 'Bob', lastName: 'Chen', email: 'bobchen@example.net', phone: '+12065550102', birthDate: '1979-11-02', postalCode: '98101', city: 'Seattle' },
  ];
  const first = ['Amelia', 'Oscar', 'Fatima', 'Samuel', 'Chloe', 'Ravi', 'Isabel', 'William', 'Hannah', 'Lucas', 'Nora', 'Kwame', 'Yuki', 'Peter'];
  const last = ['Rossi', 'Lindqvist', 'Haddad', 'Brooks', 'Dubois', 'Sharma', 'Ortiz', 'Foster', 'Becker', 'Moreau', 'Sullivan', 'Mensah', 'Tanaka', 'Novak'];
  first.forEach((name, k) => {
    people.push({
      id: 10 + k,
      firstName: name,
      lastName: last[k],
      email: `${name.toLowerCase()}@example.com`,
      phone: `+1212555${String(1000 + k)}`,
      birthDate: `19${60 + k}-0${1 + (k % 9)}-1${k % 10}`,
      postalCode: String(10010 + k),
      city: k % 2 === 0 ? 'New York' : 'Boston',
    });
  });
  return people;
}

function fit(records: DedupeRecord[]): { model: MatchModel; table: ReturnType<typeof buildRecordTable> } {
  const table = buildRecordTable(records);
  const vectors = compareCandidates(table, blockCandidates(table));
  return { model: estimateParameters(table, vectors), table };
}

describe('default m and u', () => {
  it('have one probability per comparison level, summing to 1, with exact matches for and "different" against', () => {
    const m = defaultM();
    const u = defaultU();
    COMPARISON_FIELDS.forEach((field, f) => {
      for (const table of [m, u]) {
        expect(table[f], field).toHaveLength(FIELD_LEVELS[field].length);
        const sum = (table[f] ?? []).slice(1).reduce((s, x) => s + x, 0);
        expect(sum, field).toBeCloseTo(1, 9);
        expect((table[f] ?? []).slice(1).every((p) => p > 0 && p < 1), field).toBe(true);
      }
      expect(weightOf(m, u, f, EXACT), `${field} exact`).toBeGreaterThan(0);
      expect(weightOf(m, u, f, FIELD_LEVELS[field].length - 1), `${field} different`).toBeLessThan(0);
    });
  });

  it('are fresh copies, so a caller changing one cannot change the defaults', () => {
    const m = defaultM();
    m[0]![1] = 0;
    expect(defaultM()[0]![1]).toBeGreaterThan(0);
  });
});

describe('estimating on a few dozen customers', () => {
  it('gives a shared phone a positive weight (EM alone made it -10.6 on the demo) and every exact match a non-negative one', () => {
    const { model, table } = fit(smallShop());
    const scorer = createScorer(table, model);
    const phone = COMPARISON_FIELDS.indexOf('phone');
    expect(scorer.levelWeights[phone]?.[EXACT]).toBeGreaterThan(3);
    COMPARISON_FIELDS.forEach((field, f) => expect(scorer.levelWeights[f]?.[EXACT], field).toBeGreaterThanOrEqual(0));
  });

  it('still tells the people typed twice from the household that shares a phone', () => {
    const { model, table } = fit(smallShop());
    const scorer = createScorer(table, model);
    const row = (id: number): number => Array.from(table.ids).indexOf(id);
    expect(explainPair(scorer, row(3), row(4)).probability).toBeGreaterThan(0.9);
    expect(explainPair(scorer, row(5), row(6)).probability).toBeGreaterThan(0.9);
    expect(explainPair(scorer, row(1), row(2)).probability).toBeLessThan(0.9);
  });

  it('lets the data decide m once there are many pairs (the prior counts as 20 matching pairs)', () => {
    // One field, three levels; 20,000 matching pairs say exact 0.5, close 0.3, different 0.2.
    const vectors: number[] = [];
    for (let k = 0; k < 20_000; k++) vectors.push(packLevels([k % 10 < 5 ? 1 : k % 10 < 8 ? 2 : 3]));
    const data = countVectors(Uint32Array.from(vectors));
    const start = { m: [[1, 0.6, 0.3, 0.1]], u: [[1, 0.6, 0.3, 0.1]], lambda: 0.999 };
    const prior = { m: [[1, 0.9, 0.05, 0.05]], pairs: 20 };
    const many = runExpectationMaximisation(data, start, { mPrior: prior, fixedU: [0] });
    expect(many.m[0]?.[1]).toBeCloseTo(0.5, 2);
    // With ten pairs the prior pulls m most of the way towards itself.
    const few = runExpectationMaximisation(countVectors(Uint32Array.from(vectors.slice(0, 10))), start, { mPrior: prior, fixedU: [0] });
    expect(few.m[0]?.[1]).toBeGreaterThan(0.7);
  });
});

describe('an exact match never counts against a pair', () => {
  it('clamps an exact-match weight the estimates would make negative to 0, term frequency included', () => {
    const table = buildRecordTable([
      { id: 1, firstName: 'Ann', lastName: 'Smith', city: 'Springfield' },
      { id: 2, firstName: 'Ann', lastName: 'Smith', city: 'Springfield' },
      { id: 3, firstName: 'Bo', lastName: 'Smith', city: 'Springfield' },
    ]);
    const m = defaultM();
    const u = defaultU();
    const city = COMPARISON_FIELDS.indexOf('city');
    // Estimates where agreeing on the city is more usual between different people than for the same one.
    m[city] = [1, 0.1, 0.1, 0.8];
    u[city] = [1, 0.9, 0.05, 0.05];
    const scorer = createScorer(table, { m, u, prior: 0.01, candidatePrior: 0.1, emIterations: 0, emConverged: true });
    expect(scorer.levelWeights[city]?.[EXACT]).toBe(0);
    for (const f of explainPair(scorer, 0, 1).fields.filter((x) => x.level === 'exact')) expect(f.weight, f.field).toBeGreaterThanOrEqual(0);
  });

  it('whatever a small set of customers looks like (property)', () => {
    const name = fc.constantFrom('Ann', 'Anne', 'Bob', 'Robert', 'Lee', 'Smith', '');
    const record = fc.record({
      firstName: name,
      lastName: name,
      phone: fc.constantFrom('+12125550199', '+12125550100', ''),
      email: fc.constantFrom('a@x.com', 'a@y.com', ''),
      birthDate: fc.constantFrom('1980-01-02', '1980-02-01', ''),
      postalCode: fc.constantFrom('1000', '2000', ''),
      city: fc.constantFrom('Leeds', 'York', ''),
    });
    fc.assert(
      fc.property(fc.array(record, { minLength: 2, maxLength: 25 }), (rows) => {
        const { model, table } = fit(rows.map((r, k) => ({ id: k + 1, ...r })));
        const scorer = createScorer(table, model);
        for (let i = 0; i + 1 < table.size; i++) {
          for (const f of explainPair(scorer, i, i + 1).fields) if (f.level === 'exact') expect(f.weight, f.field).toBeGreaterThanOrEqual(0);
        }
      }),
      { numRuns: 60 },
    );
  });
});
