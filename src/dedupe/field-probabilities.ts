import { COMPARISON_FIELDS, FIELD_LEVELS } from './comparison-levels.js';

/**
 * Per field (COMPARISON_FIELDS order), the probability of each comparison
 * level; entry 0 (missing) is unused and kept at 1.
 */
export type FieldProbabilities = number[][];

/** Level counts per field, same shape as FieldProbabilities, all zero. */
export function emptyLevelTable(): number[][] {
  return COMPARISON_FIELDS.map((field) => FIELD_LEVELS[field].map(() => 0));
}

/**
 * Turns level counts into probabilities over the non-missing levels, with
 * add-`smoothing` so that a level never seen gets a small positive probability
 * instead of 0 (a 0 would make a weight infinite). Level 0 becomes 1.
 */
export function normaliseLevelCounts(counts: readonly (readonly number[])[], smoothing: number): FieldProbabilities {
  return counts.map((row) => {
    let total = 0;
    for (let l = 1; l < row.length; l++) total += (row[l] ?? 0) + smoothing;
    return row.map((c, l) => (l === 0 ? 1 : total > 0 ? (c + smoothing) / total : 1 / (row.length - 1)));
  });
}
