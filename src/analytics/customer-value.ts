import { FitNotConvergedError } from './analytics-errors.js';
import { type BgNbdParams, bgnbdProbabilityAlive, bgnbdPurchasesIfAlive } from './bg-nbd.js';
import { type GammaGammaParams, gammaGammaExpectedSpend, type RepeatSpend } from './gamma-gamma.js';
import { groupSummaries, type SummaryGroups } from './group-summaries.js';
import { type CustomerSummaries, DAYS_PER_UNIT, repeatSpendOf, type TimeUnit } from './summarize-purchases.js';

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

/** One customer's predictions. */
export interface CustomerPrediction {
  probabilityAlive: number;
  /** Expected purchases in the next t, one per asked horizon (in the summaries' unit). */
  expectedPurchases: number[];
  /** Expected amount per future purchase (Gamma-Gamma; the population mean without repeat spend). */
  expectedSpend: number;
  /** discountedValue, one per asked value horizon. */
  value: number[];
}

export interface PredictionOptions {
  /** Horizons of expected purchases, in the summaries' unit. */
  purchaseHorizons: readonly number[];
  values: readonly ValueHorizon[];
  /** The summaries' groups, when the caller has them. */
  groups?: SummaryGroups;
}

/**
 * BG/NBD and Gamma-Gamma predictions of the customers of `summaries`, one customer at a
 * time, so that a million of them need not sit in memory at once. Expected purchases factor
 * into P(alive | x, tₓ, T), computed once per group, times the purchases of a customer still
 * alive, which needs the ₂F₁ and depends on x and T alone: computed once per distinct (x, T),
 * for every horizon and month at once.
 *
 * @example new CustomerPredictor(summaries, { bgnbd, gammaGamma }, { purchaseHorizons: [90 / 7], values: [{ months: 12, monthlyDiscountRate: 0.01 }] }).predict(0)
 */
export class CustomerPredictor {
  readonly customers: number;
  private readonly groupOfCustomer: Uint32Array;
  private readonly pairOfGroup: Uint32Array;
  private readonly groupAlive: Float64Array;
  private readonly pairPurchases: Float64Array[];
  /** Value per unit of spend: spend differs between customers of a pair, discounted purchases do not. */
  private readonly pairDiscountedPurchases: Float64Array[];
  private readonly spend: RepeatSpend;

  constructor(
    private readonly summaries: CustomerSummaries,
    private readonly models: { bgnbd: BgNbdParams; gammaGamma: GammaGammaParams },
    options: PredictionOptions,
  ) {
    const groups = options.groups ?? groupSummaries(summaries);
    this.customers = groups.customers;
    this.spend = repeatSpendOf(summaries);
    this.groupOfCustomer = groups.groupOfCustomer;
    const pairs = frequencyAgePairs(groups);
    this.pairOfGroup = pairs.pairOfGroup;
    const pairCount = pairs.frequency.length;
    this.pairPurchases = options.purchaseHorizons.map(() => new Float64Array(pairCount));
    this.pairDiscountedPurchases = options.values.map(() => new Float64Array(pairCount));
    // Value horizons share their months' expectations: each t is computed once per pair.
    const known = new Map<number, number>();
    for (let k = 0; k < pairCount; k++) {
      const history = { frequency: pairs.frequency[k]!, age: pairs.age[k]! };
      known.clear();
      const purchasesBy = (t: number): number => {
        let expected = known.get(t);
        if (expected === undefined) {
          expected = bgnbdPurchasesIfAlive(models.bgnbd, history, t);
          known.set(t, expected);
        }
        return expected;
      };
      options.purchaseHorizons.forEach((horizon, h) => (this.pairPurchases[h]![k] = purchasesBy(horizon)));
      options.values.forEach((value, v) => (this.pairDiscountedPurchases[v]![k] = discountedValue(purchasesBy, 1, value, summaries.unit)));
    }
    this.groupAlive = new Float64Array(groups.weight.length);
    for (let g = 0; g < this.groupAlive.length; g++) {
      this.groupAlive[g] = bgnbdProbabilityAlive(models.bgnbd, { frequency: groups.frequency[g]!, recency: groups.recency[g]!, age: groups.age[g]! });
    }
  }

  /**
   * The predictions of the summaries' row `i`, written into `into` when given (one object
   * refilled for every customer). Throws FitNotConvergedError rather than give a non-finite number.
   */
  predict(i: number, into?: CustomerPrediction): CustomerPrediction {
    const prediction = into ?? emptyPrediction();
    const g = this.groupOfCustomer[i]!;
    const k = this.pairOfGroup[g]!;
    const alive = this.groupAlive[g]!;
    const spend = gammaGammaExpectedSpend(this.models.gammaGamma, this.spend.frequency[i]!, this.spend.monetary[i]!);
    prediction.probabilityAlive = alive;
    prediction.expectedSpend = spend;
    let finite = Number.isFinite(alive) && Number.isFinite(spend);
    for (let h = 0; h < this.pairPurchases.length; h++) {
      const expected = this.pairPurchases[h]![k]! * alive;
      prediction.expectedPurchases[h] = expected;
      finite &&= Number.isFinite(expected);
    }
    for (let v = 0; v < this.pairDiscountedPurchases.length; v++) {
      const value = this.pairDiscountedPurchases[v]![k]! * alive * spend;
      prediction.value[v] = value;
      finite &&= Number.isFinite(value);
    }
    if (!finite) {
      throw new FitNotConvergedError(`the fitted models give no finite prediction for customer ${this.summaries.customerIds[i]}`, {
        hint: 'fit the models again on a longer history; parameters at the edge of their range make the predictions diverge',
      });
    }
    return prediction;
  }
}

/** A prediction to fill (CustomerPredictor.predict's `into`). */
export function emptyPrediction(): CustomerPrediction {
  return { probabilityAlive: 0, expectedPurchases: [], expectedSpend: 0, value: [] };
}

/** The distinct (x, T) of the groups, and each group's index among them. */
function frequencyAgePairs(groups: SummaryGroups): { frequency: number[]; age: number[]; pairOfGroup: Uint32Array } {
  const ageCount = groups.distinctAges.length;
  const pairOfKey = new Map<number, number>();
  const frequency: number[] = [];
  const age: number[] = [];
  const pairOfGroup = new Uint32Array(groups.weight.length);
  for (let g = 0; g < pairOfGroup.length; g++) {
    const key = groups.frequencyIndex[g]! * ageCount + groups.ageIndex[g]!;
    let pair = pairOfKey.get(key);
    if (pair === undefined) {
      pair = frequency.length;
      pairOfKey.set(key, pair);
      frequency.push(groups.frequency[g]!);
      age.push(groups.age[g]!);
    }
    pairOfGroup[g] = pair;
  }
  return { frequency, age, pairOfGroup };
}
