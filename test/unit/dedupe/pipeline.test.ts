import { describe, it, expect } from 'vitest';
import { blockCandidates, DEFAULT_BLOCKING_KEYS } from '../../../src/dedupe/block-candidates.js';
import { buildRecordTable } from '../../../src/dedupe/build-record-table.js';
import { clusterPairs } from '../../../src/dedupe/cluster-pairs.js';
import type { DedupeRecord } from '../../../src/dedupe/dedupe-record.js';
import type { MatchModel } from '../../../src/dedupe/estimate-parameters.js';
import { explainPair } from '../../../src/dedupe/explain-pair.js';
import { findDuplicates } from '../../../src/dedupe/find-duplicates.js';
import { createScorer, weightOfPair, weightOfProbability } from '../../../src/dedupe/score-pairs.js';
import { COMPARISON_FIELDS, FIELD_LEVELS } from '../../../src/dedupe/comparison-levels.js';

function makeCustomer(id: number, fields: Partial<DedupeRecord> = {}): DedupeRecord {
  return { id, ...fields };
}

/** A fixed, plausible model: agreement levels favour a match, "different" does not. */
function fixedModel(prior = 0.001): MatchModel {
  const m = COMPARISON_FIELDS.map((f) => {
    const n = FIELD_LEVELS[f].length;
    return FIELD_LEVELS[f].map((_, l) => (l === 0 ? 1 : l === n - 1 ? 0.05 : 0.95 / (n - 2)));
  });
  const u = COMPARISON_FIELDS.map((f) => {
    const n = FIELD_LEVELS[f].length;
    return FIELD_LEVELS[f].map((_, l) => (l === 0 ? 1 : l === n - 1 ? 0.9 : 0.1 / (n - 2)));
  });
  return { m, u, prior, candidatePrior: 0.5, emIterations: 0, emConverged: true };
}

describe('blockCandidates', () => {
  it('returns a pair that shares several keys only once, with left < right', () => {
    const table = buildRecordTable([
      makeCustomer(1, { firstName: 'Ann', lastName: 'Lee', email: 'ann@x.com', phone: '+447700900001', birthDate: '1980-01-02', postalCode: '1000' }),
      makeCustomer(2, { firstName: 'Ann', lastName: 'Lee', email: 'ann@x.com', phone: '+447700900001', birthDate: '1980-01-02', postalCode: '1000' }),
      makeCustomer(3, { firstName: 'Zed', lastName: 'Quinn', email: 'zed@y.com' }),
    ]);
    const pairs = blockCandidates(table);
    expect(pairs.count).toBe(1);
    expect([pairs.left[0], pairs.right[0]]).toEqual([0, 1]);
    expect(pairs.perKey.filter((k) => k.pairs > 0).length).toBeGreaterThan(3);
  });

  it('keeps an oversized block near-linear instead of all-against-all', () => {
    const records = Array.from({ length: 1000 }, (_, k) => makeCustomer(k, { firstName: `n${String.fromCharCode(97 + (k % 26))}${k}`, lastName: 'Smith' }));
    const table = buildRecordTable(records);
    const pairs = blockCandidates(table, DEFAULT_BLOCKING_KEYS, { maxBlockSize: 50, window: 5 });
    expect(pairs.count).toBeLessThan(1000 * 5 * 3);
    expect(pairs.perKey.some((k) => k.oversizedBlocks > 0)).toBe(true);
  });

  it('does not pair records that share nothing', () => {
    const table = buildRecordTable([makeCustomer(1, { email: 'a@x.com' }), makeCustomer(2, { email: 'b@x.com' })]);
    expect(blockCandidates(table).count).toBe(0);
  });
});

describe('term-frequency adjustment', () => {
  it('gives a shared rare surname a higher weight than a shared common one', () => {
    const records: DedupeRecord[] = [];
    for (let k = 0; k < 50; k++) records.push(makeCustomer(k + 1, { firstName: `p${k}`, lastName: 'Smith' }));
    for (let k = 0; k < 200; k++) records.push(makeCustomer(k + 500, { firstName: `q${k}`, lastName: `name${k}` }));
    records.push(makeCustomer(100, { firstName: 'Ann', lastName: 'Zablocki' }));
    records.push(makeCustomer(101, { firstName: 'Ann', lastName: 'Zablocki' }));
    records.push(makeCustomer(102, { firstName: 'Ann', lastName: 'Smith' }));
    records.push(makeCustomer(103, { firstName: 'Ann', lastName: 'Smith' }));
    const table = buildRecordTable(records);
    const scorer = createScorer(table, fixedModel());
    const rare = weightOfPair(scorer, 250, 251);
    const common = weightOfPair(scorer, 252, 253);
    expect(rare).toBeGreaterThan(common + 2);
    const text = explainPair(scorer, 250, 251).fields.find((f) => f.field === 'lastName')?.text ?? '';
    expect(text).toMatch(/^same surname \('zablocki', rare here\) \(\+\d+\.\d\)$/);
    expect(explainPair(scorer, 252, 253).fields.find((f) => f.field === 'lastName')?.text).toMatch(/^same surname \('smith', common here\)/);
  });
});

describe('clusterPairs', () => {
  const threshold = weightOfProbability(0.9);
  it('does not chain A–B–C–D when only consecutive pairs match weakly', () => {
    // Consecutive pairs just above the threshold; everything else clearly different.
    const weak = threshold + 0.5;
    const weightOf = (i: number, j: number): number => (Math.abs(i - j) === 1 ? weak : -20);
    const clusters = clusterPairs(
      { left: [0, 1, 2], right: [1, 2, 3], weights: [weak, weak, weak], count: 3 },
      { thresholdWeight: threshold, weightOf },
    );
    expect(clusters.every((c) => c.length <= 2)).toBe(true);
    expect(clusters.length).toBe(2);
  });

  it('joins a group whose members all match each other', () => {
    const weightOf = (): number => 15;
    const clusters = clusterPairs(
      { left: [0, 1], right: [1, 2], weights: [15, 15], count: 2 },
      { thresholdWeight: threshold, weightOf },
    );
    expect(clusters).toEqual([[0, 1, 2]]);
  });

  it('ignores links below the threshold', () => {
    const clusters = clusterPairs(
      { left: [0], right: [1], weights: [threshold - 0.1], count: 1 },
      { thresholdWeight: threshold, weightOf: () => 0 },
    );
    expect(clusters).toEqual([]);
  });
});

describe('findDuplicates', () => {
  it('finds an obvious duplicate among distinct people and explains it field by field', () => {
    const first = ['ann', 'bob', 'cara', 'dev', 'emma', 'finn', 'gita', 'hugo', 'iris', 'jake'];
    const last = ['lee', 'khan', 'novak', 'okafor', 'price', 'quinn', 'rossi', 'silva', 'tan', 'usher'];
    const records: DedupeRecord[] = [];
    let id = 1;
    for (const f of first) {
      for (const l of last) {
        records.push(makeCustomer(id, {
          firstName: f,
          lastName: l,
          email: `${f}.${l}@example.com`,
          birthDate: `19${50 + (id % 40)}-${String(1 + (id % 12)).padStart(2, '0')}-${String(1 + (id % 27)).padStart(2, '0')}`,
          postalCode: String(1000 + id),
          city: id % 2 === 0 ? 'leeds' : 'york',
        }));
        id++;
      }
    }
    records.push(makeCustomer(1000, { firstName: 'Robert', lastName: 'Khan', email: 'bob.khan@example.com', birthDate: records[11]?.birthDate, postalCode: records[11]?.postalCode, city: records[11]?.city }));
    const result = findDuplicates(records);
    expect(result.clusters).toContainEqual([12, 1000]);
    expect(result.clusters.flat().filter((x) => x !== 12 && x !== 1000)).toEqual([]);
    const explanation = explainPair(result.scorer, 11, records.length - 1);
    const sum = explanation.priorWeight + explanation.fields.reduce((s, f) => s + f.weight, 0);
    expect(explanation.weight).toBeCloseTo(sum, 6);
    expect(explanation.fields.find((f) => f.field === 'firstName')?.level).toBe('nickname');
    expect(explanation.fields.find((f) => f.field === 'phone')?.text).toBe('phone missing on one side (0)');
  });

  it('is deterministic', () => {
    const records = Array.from({ length: 60 }, (_, k) => makeCustomer(k + 1, { firstName: `f${k % 7}`, lastName: `l${k % 5}`, birthDate: `1980-01-${String(1 + (k % 9)).padStart(2, '0')}` }));
    expect(findDuplicates(records).clusters).toEqual(findDuplicates(records).clusters);
  });
});
