import type { ComparisonVector } from './comparison-levels.js';
import { levelAt } from './comparison-levels.js';
import type { FieldProbabilities } from './field-probabilities.js';

/** Distinct comparison vectors with how many pairs have each. */
export interface VectorCounts {
  readonly vectors: readonly ComparisonVector[];
  readonly counts: readonly number[];
}

export interface EmState {
  /** P(level | same person), per field. */
  m: FieldProbabilities;
  /** P(level | different people) among the pairs EM sees. */
  u: FieldProbabilities;
  /** Share of the pairs EM sees that are the same person. */
  lambda: number;
}

export interface EmResult extends EmState {
  iterations: number;
  converged: boolean;
  /** Expected number of matching pairs among the pairs EM saw. */
  expectedMatches: number;
}

export interface EmOptions {
  maxIterations?: number;
  /** Stop when no parameter moves more than this (default 1e-5). */
  tolerance?: number;
  /** Fields whose u stays at its starting value (default: none). */
  fixedU?: readonly number[];
  /**
   * A Dirichlet prior on m: `m` counts as `pairs` matching pairs in every
   * M-step, so with few pairs m stays near it and with many the data decides.
   */
  mPrior?: { m: FieldProbabilities; pairs: number };
}

/**
 * Fellegi–Sunter expectation-maximisation over comparison vectors: a two-class
 * mixture (match / non-match) with fields independent within each class.
 * Returns m, u and λ that (locally) maximise the likelihood, starting from
 * `initial`. Level 0 (missing) is skipped, as it carries no evidence. With
 * `mPrior`, every M-step adds the prior's pseudo-counts to m's. Never throws.
 */
export function runExpectationMaximisation(data: VectorCounts, initial: EmState, options: EmOptions = {}): EmResult {
  const maxIterations = options.maxIterations ?? 100;
  const tolerance = options.tolerance ?? 1e-5;
  const fixedU = new Set(options.fixedU ?? []);
  let m = initial.m.map((row) => row.slice());
  let u = initial.u.map((row) => row.slice());
  let lambda = initial.lambda;
  const fields = m.length;
  const { vectors, counts } = data;
  const k = vectors.length;
  const levels = new Uint8Array(k * fields);
  for (let p = 0; p < k; p++) for (let f = 0; f < fields; f++) levels[p * fields + f] = levelAt(vectors[p] ?? 0, f);
  let iterations = 0;
  let converged = false;
  let expectedMatches = 0;
  while (iterations < maxIterations) {
    iterations++;
    const mCounts = m.map((row) => row.map(() => 0));
    const uCounts = u.map((row) => row.map(() => 0));
    let matchMass = 0;
    let total = 0;
    for (let p = 0; p < k; p++) {
      let pm = lambda;
      let pu = 1 - lambda;
      for (let f = 0; f < fields; f++) {
        const l = levels[p * fields + f] ?? 0;
        if (l === 0) continue;
        pm *= m[f]?.[l] ?? 1;
        pu *= u[f]?.[l] ?? 1;
      }
      const posterior = pm + pu > 0 ? pm / (pm + pu) : 0;
      const c = counts[p] ?? 0;
      const cm = c * posterior;
      const cu = c - cm;
      matchMass += cm;
      total += c;
      for (let f = 0; f < fields; f++) {
        const l = levels[p * fields + f] ?? 0;
        if (l === 0) continue;
        mCounts[f]![l]! += cm;
        uCounts[f]![l]! += cu;
      }
    }
    const next = (rows: number[][], prev: number[][], fixed: (f: number) => boolean, prior?: { m: FieldProbabilities; pairs: number }): number[][] =>
      rows.map((row, f) => {
        if (fixed(f)) return (prev[f] ?? []).slice();
        const extra = (l: number): number => (prior === undefined ? 0 : prior.pairs * (prior.m[f]?.[l] ?? 0));
        let sum = 0;
        for (let l = 1; l < row.length; l++) sum += (row[l] ?? 0) + extra(l);
        // A tiny floor keeps every level possible, so no weight becomes infinite.
        return row.map((c, l) => (l === 0 ? 1 : sum > 0 ? Math.max((c + extra(l)) / sum, 1e-6) : (prev[f]?.[l] ?? 0)));
      });
    const newM = next(mCounts, m, () => false, options.mPrior);
    const newU = next(uCounts, u, (f) => fixedU.has(f));
    const newLambda = total > 0 ? matchMass / total : lambda;
    let change = Math.abs(newLambda - lambda);
    for (let f = 0; f < fields; f++) {
      const rowM = newM[f] ?? [];
      const rowU = newU[f] ?? [];
      for (let l = 1; l < rowM.length; l++) {
        change = Math.max(change, Math.abs((rowM[l] ?? 0) - (m[f]?.[l] ?? 0)), Math.abs((rowU[l] ?? 0) - (u[f]?.[l] ?? 0)));
      }
    }
    m = newM;
    u = newU;
    lambda = newLambda;
    expectedMatches = matchMass;
    if (change < tolerance) {
      converged = true;
      break;
    }
  }
  return { m, u, lambda, iterations, converged, expectedMatches };
}
