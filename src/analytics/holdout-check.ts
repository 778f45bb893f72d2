import type { CustomerHistory } from './bg-nbd.js';
import { groupSummaries, type RecencyFrequency } from './group-summaries.js';

/** Calibration-period repeat purchases at and above this many are one group (7+). */
export const TOP_FREQUENCY_GROUP = 7;

/** Predicted against actual repeat purchases of the customers with one calibration frequency (or all of them). */
export interface HoldoutRow {
  /** "0" … "6", "7+", or "all". */
  label: string;
  customers: number;
  actual: number;
  predicted: number;
}

export interface HoldoutComparison {
  /** The holdout period's length in the summaries' unit. */
  length: number;
  total: HoldoutRow;
  /** One row per calibration frequency 0 … 6 and 7+, each present even when empty. */
  byFrequency: HoldoutRow[];
}

/**
 * Compares a model's expected purchases over the holdout period, customer by customer
 * given their calibration history, with the purchase occasions they actually made in it,
 * summed in total and by calibration frequency. `expectedBy` is the model's conditional
 * expectation; it is evaluated once per distinct (x, tₓ, T). Pure; never throws on data
 * that came from purchases.
 */
export function compareHoldout(
  calibration: RecencyFrequency,
  actualOccasions: ArrayLike<number>,
  length: number,
  expectedBy: (history: CustomerHistory, t: number) => number,
): HoldoutComparison {
  const groups = groupSummaries(calibration);
  const groupExpected = new Float64Array(groups.weight.length);
  for (let g = 0; g < groupExpected.length; g++) {
    groupExpected[g] = expectedBy({ frequency: groups.frequency[g]!, recency: groups.recency[g]!, age: groups.age[g]! }, length);
  }
  const byFrequency: HoldoutRow[] = [];
  for (let x = 0; x <= TOP_FREQUENCY_GROUP; x++) {
    byFrequency.push({ label: x === TOP_FREQUENCY_GROUP ? `${x}+` : String(x), customers: 0, actual: 0, predicted: 0 });
  }
  const total: HoldoutRow = { label: 'all', customers: 0, actual: 0, predicted: 0 };
  for (let i = 0; i < groups.customers; i++) {
    const row = byFrequency[Math.min(calibration.frequency[i]!, TOP_FREQUENCY_GROUP)]!;
    const predicted = groupExpected[groups.groupOfCustomer[i]!]!;
    for (const sum of [row, total]) {
      sum.customers += 1;
      sum.actual += actualOccasions[i]!;
      sum.predicted += predicted;
    }
  }
  return { length, total, byFrequency };
}
