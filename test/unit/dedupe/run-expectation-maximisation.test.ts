import { describe, it, expect } from 'vitest';
import { runExpectationMaximisation } from '../../../src/dedupe/run-expectation-maximisation.js';
import { packLevels } from '../../../src/dedupe/comparison-levels.js';
import { countVectors } from '../../../src/dedupe/estimate-parameters.js';
import { createRandom } from '../../../src/dedupe/create-random.js';

// Three fields with 3 non-missing levels each (index 0 = missing, unused).
const TRUE_M = [
  [1, 0.85, 0.1, 0.05],
  [1, 0.7, 0.2, 0.1],
  [1, 0.9, 0.05, 0.05],
];
const TRUE_U = [
  [1, 0.02, 0.08, 0.9],
  [1, 0.05, 0.15, 0.8],
  [1, 0.01, 0.04, 0.95],
];
const TRUE_LAMBDA = 0.3;

function draw(probabilities: number[], random: () => number): number {
  let x = random();
  for (let l = 1; l < probabilities.length; l++) {
    x -= probabilities[l] ?? 0;
    if (x < 0) return l;
  }
  return probabilities.length - 1;
}

function syntheticVectors(n: number, seed: number): Uint32Array {
  const random = createRandom(seed);
  const out = new Uint32Array(n);
  for (let p = 0; p < n; p++) {
    const isMatch = random() < TRUE_LAMBDA;
    const table = isMatch ? TRUE_M : TRUE_U;
    // Some values missing: level 0, which EM must ignore.
    out[p] = packLevels(table.map((row) => (random() < 0.1 ? 0 : draw(row, random))));
  }
  return out;
}

describe('runExpectationMaximisation', () => {
  it('recovers known m, u and λ from a synthetic mixture', () => {
    const data = countVectors(syntheticVectors(200_000, 7));
    const flat = (v: number): number[][] => TRUE_M.map((row) => row.map((_, l) => (l === 0 ? 1 : v)));
    const result = runExpectationMaximisation(data, {
      m: [
        [1, 0.6, 0.3, 0.1],
        [1, 0.6, 0.3, 0.1],
        [1, 0.6, 0.3, 0.1],
      ],
      u: flat(1 / 3),
      lambda: 0.5,
    });
    expect(result.converged).toBe(true);
    expect(result.lambda).toBeCloseTo(TRUE_LAMBDA, 1);
    for (let f = 0; f < 3; f++) {
      for (let l = 1; l < 4; l++) {
        expect(Math.abs((result.m[f]?.[l] ?? 0) - (TRUE_M[f]?.[l] ?? 0))).toBeLessThan(0.02);
        expect(Math.abs((result.u[f]?.[l] ?? 0) - (TRUE_U[f]?.[l] ?? 0))).toBeLessThan(0.02);
      }
    }
  });

  it('keeps u fixed for the fields it is told to', () => {
    const data = countVectors(syntheticVectors(20_000, 3));
    const u0 = TRUE_U.map((row) => row.slice());
    u0[1] = [1, 0.2, 0.3, 0.5];
    const result = runExpectationMaximisation(data, { m: TRUE_M, u: u0, lambda: 0.5 }, { fixedU: [1] });
    expect(result.u[1]).toEqual([1, 0.2, 0.3, 0.5]);
  });
});
