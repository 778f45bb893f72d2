import type { CandidatePairs } from './block-candidates.js';
import type { RecordTable } from './build-record-table.js';
import type { TermFrequencies } from './build-term-frequencies.js';
import { buildTermFrequencies } from './build-term-frequencies.js';
import type { ComparisonVector } from './comparison-levels.js';
import { COMPARISON_FIELDS, LEVEL_BITS, levelAt } from './comparison-levels.js';
import { compareFields } from './compare-fields.js';
import type { MatchModel } from './estimate-parameters.js';

/** Term-frequency adjustments are clamped to this many bits either way. */
const MAX_TF_ADJUSTMENT = 10;

const FIRST = COMPARISON_FIELDS.indexOf('firstName');
const LAST = COMPARISON_FIELDS.indexOf('lastName');
const POSTAL = COMPARISON_FIELDS.indexOf('postalCode');
const CITY = COMPARISON_FIELDS.indexOf('city');
const EXACT = 1;

/** Everything needed to score any pair of rows of one table. */
export interface Scorer {
  readonly table: RecordTable;
  readonly model: MatchModel;
  readonly termFrequencies: TermFrequencies;
  /** log2(m/u) per field and level; 0 for level 0 (missing). */
  readonly levelWeights: readonly (readonly number[])[];
  /** log2(prior / (1 - prior)). */
  readonly priorWeight: number;
}

/**
 * Builds a scorer from a fitted model. An exact match never counts against a
 * pair: its weight is at least 0 whatever the estimates say (with the
 * term-frequency part too, see termFrequencyAdjustment). Term frequencies come
 * from the table unless given (e.g. counted over a whole database when the
 * table holds only some of it). Never throws.
 */
export function createScorer(table: RecordTable, model: MatchModel, termFrequencies: TermFrequencies = buildTermFrequencies(table)): Scorer {
  const levelWeights = model.m.map((row, f) =>
    row.map((m, l) => (l === 0 ? 0 : l === EXACT ? Math.max(0, Math.log2(m / (model.u[f]?.[l] ?? 1))) : Math.log2(m / (model.u[f]?.[l] ?? 1)))),
  );
  return {
    table,
    model,
    termFrequencies,
    levelWeights,
    priorWeight: Math.log2(model.prior / (1 - model.prior)),
  };
}

/**
 * How much a shared exact value moves the weight beyond the field's average
 * exact-match weight: log2(u_exact / share of records with that value). A rare
 * surname gives a positive adjustment, 'smith' a negative one — but never so
 * negative that the exact match as a whole counts against the pair.
 */
export function termFrequencyAdjustment(scorer: Scorer, field: number, i: number): number {
  const t = scorer.table;
  const tf = scorer.termFrequencies;
  let share = 0;
  if (field === FIRST) share = tf.firstName[t.firstName[i] ?? -1] ?? 0;
  else if (field === LAST) share = tf.lastName[t.lastName[i] ?? -1] ?? 0;
  else if (field === POSTAL) share = tf.postalCode[t.postalCode[i] ?? -1] ?? 0;
  else if (field === CITY) share = tf.city[t.city[i] ?? -1] ?? 0;
  else return 0;
  const uExact = scorer.model.u[field]?.[EXACT] ?? 0;
  if (share <= 0 || uExact <= 0) return 0;
  const adjustment = Math.log2(uExact / share);
  const floor = Math.max(-MAX_TF_ADJUSTMENT, -(scorer.levelWeights[field]?.[EXACT] ?? 0));
  return Math.max(floor, Math.min(MAX_TF_ADJUSTMENT, adjustment));
}

/** Match weight (log2 Bayes factor plus the prior) of rows i, j with comparison vector `vector`. */
export function weightOfVector(scorer: Scorer, vector: ComparisonVector, i: number): number {
  let w = scorer.priorWeight;
  const lw = scorer.levelWeights;
  for (let f = 0; f < lw.length; f++) {
    const level = levelAt(vector, f);
    if (level === 0) continue;
    w += lw[f]?.[level] ?? 0;
    if (level === EXACT && (f === FIRST || f === LAST || f === POSTAL || f === CITY)) {
      w += termFrequencyAdjustment(scorer, f, i);
    }
  }
  return w;
}

/** Match weight of any two rows (compared on the spot). */
export function weightOfPair(scorer: Scorer, i: number, j: number): number {
  return weightOfVector(scorer, compareFields(scorer.table, i, j), i);
}

/** Match probability for a match weight: 1 / (1 + 2^-weight). */
export function probabilityOfWeight(weight: number): number {
  return 1 / (1 + 2 ** -weight);
}

/** Match weight for a probability (the inverse of probabilityOfWeight). */
export function weightOfProbability(probability: number): number {
  return Math.log2(probability / (1 - probability));
}

/**
 * Match weight of every candidate pair (same order as `pairs`), from their
 * precomputed comparison vectors. Never throws.
 */
export function scorePairs(scorer: Scorer, pairs: CandidatePairs, vectors: Uint32Array): Float32Array {
  const weights = new Float32Array(pairs.count);
  // Few distinct vectors recur across millions of pairs: cache their weight
  // without the term-frequency part, which depends on the shared value.
  const cache = new Map<number, number>();
  const tfMask = TF_EXACT_MASK;
  for (let p = 0; p < pairs.count; p++) {
    const vector = vectors[p] ?? 0;
    let base = cache.get(vector);
    if (base === undefined) {
      base = weightWithoutTermFrequency(scorer, vector);
      cache.set(vector, base);
    }
    let w = base;
    if ((vector & tfMask) !== 0) {
      const i = pairs.left[p] ?? 0;
      if (levelAt(vector, FIRST) === EXACT) w += termFrequencyAdjustment(scorer, FIRST, i);
      if (levelAt(vector, LAST) === EXACT) w += termFrequencyAdjustment(scorer, LAST, i);
      if (levelAt(vector, POSTAL) === EXACT) w += termFrequencyAdjustment(scorer, POSTAL, i);
      if (levelAt(vector, CITY) === EXACT) w += termFrequencyAdjustment(scorer, CITY, i);
    }
    weights[p] = w;
  }
  return weights;
}

/** Bits that are set in a vector when some term-frequency field has a level whose low bit is set (exact = 1 is among them). */
const TF_EXACT_MASK = [FIRST, LAST, POSTAL, CITY].reduce((mask, f) => mask | (1 << (f * LEVEL_BITS)), 0);

function weightWithoutTermFrequency(scorer: Scorer, vector: ComparisonVector): number {
  let w = scorer.priorWeight;
  const lw = scorer.levelWeights;
  for (let f = 0; f < lw.length; f++) {
    const level = levelAt(vector, f);
    if (level !== 0) w += lw[f]?.[level] ?? 0;
  }
  return w;
}
