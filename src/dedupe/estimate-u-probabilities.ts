import type { RecordTable } from './build-record-table.js';
import { COMPARISON_FIELDS, levelAt } from './comparison-levels.js';
import { compareFields } from './compare-fields.js';
import { createRandom } from './create-random.js';
import type { FieldProbabilities } from './field-probabilities.js';
import { emptyLevelTable, normaliseLevelCounts } from './field-probabilities.js';

export interface UEstimateOptions {
  /** Random pairs to compare (default 400,000); all pairs when there are fewer. */
  sampleSize?: number;
  seed?: number;
  /** Blend with these u, counted as `pairs` random pairs (matters only when few pairs are compared). */
  prior?: { u: FieldProbabilities; pairs: number };
}

/**
 * u probabilities: for each field, how often each comparison level occurs
 * between two records drawn at random — almost always two different people,
 * so no labels are needed. With `prior`, its u count as that many extra pairs,
 * so a table of a handful of customers still gets plausible u. Deterministic
 * for a given seed; never throws.
 */
export function estimateUProbabilities(table: RecordTable, options: UEstimateOptions = {}): FieldProbabilities {
  const n = table.size;
  const sampleSize = options.sampleSize ?? 400_000;
  const counts = emptyLevelTable();
  const add = (i: number, j: number): void => {
    const v = compareFields(table, i, j);
    for (let f = 0; f < COMPARISON_FIELDS.length; f++) {
      const row = counts[f];
      if (row !== undefined) row[levelAt(v, f)]! += 1;
    }
  };
  const totalPairs = (n * (n - 1)) / 2;
  if (totalPairs <= sampleSize) {
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) add(i, j);
  } else {
    const random = createRandom(options.seed ?? 1);
    for (let s = 0; s < sampleSize; s++) {
      const i = Math.floor(random() * n);
      let j = Math.floor(random() * (n - 1));
      if (j >= i) j++;
      add(i, j);
    }
  }
  const prior = options.prior;
  if (prior !== undefined) {
    counts.forEach((row, f) => {
      for (let l = 1; l < row.length; l++) row[l] = (row[l] ?? 0) + prior.pairs * (prior.u[f]?.[l] ?? 0);
    });
  }
  // Half a pair of smoothing: an agreement never seen at random is rare, not impossible.
  return normaliseLevelCounts(counts, 0.5);
}
