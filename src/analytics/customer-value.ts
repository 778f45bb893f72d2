import { FitNotConvergedError } from './analytics-errors.js';
import { type BgNbdParams, bgnbdConditionalExpectedPurchases, bgnbdProbabilityAlive } from './bg-nbd.js';
import { type GammaGammaParams, gammaGammaExpectedSpend } from './gamma-gamma.js';
import { groupSummaries, type SummaryGroups } from './group-summaries.js';
import { type CustomerSummaries, DAYS_PER_UNIT, type TimeUnit } from './summarize-purchases.js';

/** An average month, 365.25/12 days: months are calendar-free in the value formula. */
export const DAYS_PER_MONTH = 365.25 / 12;

export interface ValueHorizon {
  months: number;
  /** Per month, e.g. 0.01 for 1 % a month; 0 for no discounting. */
  monthlyDiscountRate: number;
}

/**
 * Customer lifetime value over a horizon, discounting each month's expected purchases:
 *   CLV = Σ_{m=1..M} [E(m·τ) − E((m−1)·τ)] · spend / (1 + d)^m,
 * where E(t) is the expected number of purchases in the next t (the model's conditional
 * expectation), τ one month in the model's unit, `spend` the expected amount per purchase
 * and d the monthly discount rate: purchases of month m count as made at its end.
 */
export function discountedValue(expectedPurchasesBy: (t: number) => number, spend: number, horizon: ValueHorizon, unit: TimeUnit): number {
  const month = DAYS_PER_MONTH / DAYS_PER_UNIT[unit];
  let value = 0;
  let before = 0;
  for (let m = 1; m <= horizon.months; m++) {
    const by = expectedPurchasesBy(m * month);
    value += ((by - before) * spend) / Math.pow(1 + horizon.monthlyDiscountRate, m);
    before = by;
  }
  return value;
}

/** Per customer, in the summaries' row order. */
export interface CustomerPredictions {
  probabilityAlive: Float64Array;
  /** Expected purchases in the next t, one column per asked horizon (in the summaries' unit). */
  expectedPurchases: Float64Array[];
  /** Expected amount per future purchase (Gamma-Gamma; the population mean for x = 0). */
  expectedSpend: Float64Array;
  /** discountedValue, one column per asked value horizon. */
  value: Float64Array[];
}

/**
 * BG/NBD and Gamma-Gamma predictions for every customer of `summaries`, computed once
 * per distinct (x, tₓ, T) (`options.groups`: the summaries' groups, when the caller has them). Throws FitNotConvergedError rather than give a non-finite number.
 *
 * @example predictCustomers(summaries, { bgnbd, gammaGamma }, { purchaseHorizons: [90 / 7], values: [{ months: 12, monthlyDiscountRate: 0.01 }] })
 */
export function predictCustomers(
  summaries: CustomerSummaries,
  models: { bgnbd: BgNbdParams; gammaGamma: GammaGammaParams },
  options: { purchaseHorizons: readonly number[]; values: readonly ValueHorizon[]; groups?: SummaryGroups },
): CustomerPredictions {
  const groups = options.groups ?? groupSummaries(summaries);
  const groupCount = groups.weight.length;
  const groupAlive = new Float64Array(groupCount);
  const groupPurchases = options.purchaseHorizons.map(() => new Float64Array(groupCount));
  // Value per unit of spend: spend differs within a group, discounted purchases do not.
  const groupDiscountedPurchases = options.values.map(() => new Float64Array(groupCount));
  // Value horizons share their months' expectations (one ₂F₁ each): computed once per group.
  const known = new Map<number, number>();
  for (let g = 0; g < groupCount; g++) {
    const history = { frequency: groups.frequency[g]!, recency: groups.recency[g]!, age: groups.age[g]! };
    known.clear();
    const expectedBy = (t: number): number => {
      let expected = known.get(t);
      if (expected === undefined) {
        expected = bgnbdConditionalExpectedPurchases(models.bgnbd, history, t);
        known.set(t, expected);
      }
      return expected;
    };
    groupAlive[g] = bgnbdProbabilityAlive(models.bgnbd, history);
    options.purchaseHorizons.forEach((horizon, k) => (groupPurchases[k]![g] = expectedBy(horizon)));
    options.values.forEach((value, k) => (groupDiscountedPurchases[k]![g] = discountedValue(expectedBy, 1, value, summaries.unit)));
  }

  const n = groups.customers;
  const predictions: CustomerPredictions = {
    probabilityAlive: new Float64Array(n),
    expectedPurchases: groupPurchases.map(() => new Float64Array(n)),
    expectedSpend: new Float64Array(n),
    value: groupDiscountedPurchases.map(() => new Float64Array(n)),
  };
  for (let i = 0; i < n; i++) {
    const g = groups.groupOfCustomer[i]!;
    const spend = gammaGammaExpectedSpend(models.gammaGamma, summaries.frequency[i]!, summaries.monetary[i]!);
    let finite = Number.isFinite(groupAlive[g]!) && Number.isFinite(spend);
    predictions.probabilityAlive[i] = groupAlive[g]!;
    predictions.expectedSpend[i] = spend;
    groupPurchases.forEach((column, k) => {
      predictions.expectedPurchases[k]![i] = column[g]!;
      finite &&= Number.isFinite(column[g]!);
    });
    groupDiscountedPurchases.forEach((column, k) => {
      predictions.value[k]![i] = column[g]! * spend;
      finite &&= Number.isFinite(column[g]! * spend);
    });
    if (!finite) {
      throw new FitNotConvergedError(`the fitted models give no finite prediction for customer ${summaries.customerIds[i]}`, {
        hint: 'fit the models again on a longer history; parameters at the edge of their range make the predictions diverge',
      });
    }
  }
  return predictions;
}
