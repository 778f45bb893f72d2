import type { RecordTable } from './build-record-table.js';
import { COMPARISON_FIELDS, FIELD_LEVELS } from './comparison-levels.js';
import { DEFAULT_M_PAIRS, DEFAULT_U_PAIRS, defaultM, defaultU } from './default-parameters.js';
import type { FieldProbabilities } from './field-probabilities.js';
import { estimateUProbabilities } from './estimate-u-probabilities.js';
import type { VectorCounts } from './run-expectation-maximisation.js';
import { runExpectationMaximisation } from './run-expectation-maximisation.js';

/** Fitted Fellegi–Sunter parameters. */
export interface MatchModel {
  /** P(level | same person), from EM over candidate pairs. */
  m: FieldProbabilities;
  /** P(level | different people), from random pairs. */
  u: FieldProbabilities;
  /** Prior probability that two records drawn at random are the same person. */
  prior: number;
  /** Share of candidate pairs EM judged to be the same person. */
  candidatePrior: number;
  emIterations: number;
  emConverged: boolean;
}

export interface EstimateOptions {
  /** Random pairs sampled for u (default 400,000). */
  uSampleSize?: number;
  seed?: number;
  maxIterations?: number;
}

/** Counts how many candidate pairs share each distinct comparison vector. */
export function countVectors(vectors: Uint32Array): VectorCounts {
  const counts = new Map<number, number>();
  for (let p = 0; p < vectors.length; p++) {
    const v = vectors[p] ?? 0;
    counts.set(v, (counts.get(v) ?? 0) + 1);
  }
  return { vectors: [...counts.keys()], counts: [...counts.values()] };
}

/** Starting m: strong agreement levels likely, "different" unlikely, for EM to refine. */
function initialM(): FieldProbabilities {
  return COMPARISON_FIELDS.map((field) => {
    const levels = FIELD_LEVELS[field].length;
    const raw = FIELD_LEVELS[field].map((_, l) => (l === 0 ? 0 : l === levels - 1 ? 0.05 : 2 ** -(l - 1)));
    const sum = raw.reduce((s, x) => s + x, 0);
    return raw.map((x, l) => (l === 0 ? 1 : x / sum));
  });
}

/**
 * Estimates the model from the data alone, with no labels: u from random record
 * pairs; m by expectation-maximisation over the candidate pairs' comparison
 * vectors (EM also fits a nuisance u for candidate non-matches, which share
 * blocking fields more often than random pairs do, so m is not distorted by
 * blocking). The prior is EM's expected match count over all n(n-1)/2 pairs.
 * Both are blended with the default parameters (default-parameters.ts), which
 * decide when there are only a few dozen customers and fade as data grows.
 * Deterministic for a given seed; never throws.
 */
export function estimateParameters(
  table: RecordTable,
  candidateVectors: Uint32Array,
  options: EstimateOptions = {},
): MatchModel {
  const u = estimateUProbabilities(table, {
    sampleSize: options.uSampleSize ?? 400_000,
    seed: options.seed ?? 1,
    prior: { u: defaultU(), pairs: DEFAULT_U_PAIRS },
  });
  const data = countVectors(candidateVectors);
  const em = runExpectationMaximisation(
    data,
    { m: initialM(), u: u.map((row) => row.slice()), lambda: 0.2 },
    { maxIterations: options.maxIterations ?? 200, mPrior: { m: defaultM(), pairs: DEFAULT_M_PAIRS } },
  );
  const n = table.size;
  const totalPairs = Math.max(1, (n * (n - 1)) / 2);
  const prior = Math.min(0.5, Math.max(1e-12, em.expectedMatches / totalPairs));
  return {
    m: em.m,
    u,
    prior,
    candidatePrior: em.lambda,
    emIterations: em.iterations,
    emConverged: em.converged,
  };
}
