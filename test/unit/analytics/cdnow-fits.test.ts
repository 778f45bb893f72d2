import { beforeAll, describe, expect, it } from 'vitest';
import {
  type BgNbdParams,
  bgnbdConditionalExpectedPurchases,
  bgnbdExpectedPurchases,
  bgnbdProbabilityAlive,
  bgnbdProbabilityOfPurchases,
  fitBgNbd,
} from '../../../src/analytics/bg-nbd.js';
import { predictCustomers } from '../../helpers/predict-customers.js';
import { fitGammaGamma, frequencySpendCorrelation, gammaGammaExpectedSpend } from '../../../src/analytics/gamma-gamma.js';
import { fitParetoNbd, paretoNbdConditionalExpectedPurchases, paretoNbdProbabilityAlive } from '../../../src/analytics/pareto-nbd.js';
import { type CustomerSummaries, summarizePurchases } from '../../../src/analytics/summarize-purchases.js';
import { CDNOW_AS_OF, readCdnowPurchases } from './cdnow.js';

/** Published values: Fader, Hardie & Lee 2005 (BG/NBD), their Pareto/NBD note, and the Gamma-Gamma note. */
const PUBLISHED_BGNBD: BgNbdParams = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };
// The maximum-likelihood estimates to six digits (data/cdnow README): E[X(t)] was published from these.
const MLE_BGNBD: BgNbdParams = { r: 0.242593, alpha: 4.413532, a: 0.792886, b: 2.425752 };
const CUSTOMER_1 = { frequency: 2, recency: 30.43, age: 38.86 };

function expectWithin(actual: number, expected: number, relative: number): void {
  expect(Math.abs(actual - expected) / Math.abs(expected)).toBeLessThanOrEqual(relative);
}

let summaries: CustomerSummaries;
beforeAll(() => {
  summaries = summarizePurchases(readCdnowPurchases(), { asOf: CDNOW_AS_OF, unit: 'weeks' });
});

describe('BG/NBD on the CDNOW sample as of 1997-09-30, in weeks', () => {
  it('reproduces the published r 0.243, α 4.414, a 0.793, b 2.426 and log-likelihood −9582.4 within 1 %', () => {
    const fit = fitBgNbd(summaries);
    expectWithin(fit.params.r, 0.243, 0.01);
    expectWithin(fit.params.alpha, 4.414, 0.01);
    expectWithin(fit.params.a, 0.793, 0.01);
    expectWithin(fit.params.b, 2.426, 0.01);
    expect(fit.logLikelihood).toBeCloseTo(-9582.4, 1);
    expect(fit).toMatchObject({ customers: 2357, converged: true });
    expect(fit.iterations).toBeGreaterThan(0);
  });

  it('expects 1.226 purchases in the next 39 weeks from customer 1 (x = 2, tₓ = 30.43, T = 38.86)', () => {
    expect(bgnbdConditionalExpectedPurchases(PUBLISHED_BGNBD, CUSTOMER_1, 39)).toBeCloseTo(1.226, 3);
    expect(bgnbdConditionalExpectedPurchases(MLE_BGNBD, CUSTOMER_1, 39)).toBeCloseTo(1.226, 3);
    expect(bgnbdConditionalExpectedPurchases(PUBLISHED_BGNBD, CUSTOMER_1, 0)).toBe(0);
  });

  it('expects 0.0532, 0.1506 and 1.8576 purchases in 1, 3 and 78 weeks of a new customer', () => {
    expect(bgnbdExpectedPurchases(MLE_BGNBD, 1)).toBeCloseTo(0.0532, 4);
    expect(bgnbdExpectedPurchases(MLE_BGNBD, 3)).toBeCloseTo(0.1506, 4);
    // 1.85797 here: the published 1.8576 is 0.02 % lower (a spreadsheet's rounding of the 2F1 series, presumably).
    expect(bgnbdExpectedPurchases(MLE_BGNBD, 78)).toBeCloseTo(1.8576, 3);
  });

  it('gives P(X(39) = 0) = 0.5737864, and P(X(39) = n) summing to 1 over n', () => {
    expect(bgnbdProbabilityOfPurchases(PUBLISHED_BGNBD, 39, 0)).toBeCloseTo(0.5737864, 7);
    let total = 0;
    for (let n = 0; n < 200; n++) total += bgnbdProbabilityOfPurchases(PUBLISHED_BGNBD, 39, n);
    expect(total).toBeCloseTo(1, 10);
  });

  it('calls a customer without repeat purchases alive, and one long silent after many purchases likely gone', () => {
    expect(bgnbdProbabilityAlive(PUBLISHED_BGNBD, { frequency: 0, recency: 0, age: 38 })).toBe(1);
    expect(bgnbdProbabilityAlive(PUBLISHED_BGNBD, { frequency: 10, recency: 5, age: 38 })).toBeLessThan(0.05);
    expect(bgnbdProbabilityAlive(PUBLISHED_BGNBD, { frequency: 10, recency: 38, age: 38 })).toBeGreaterThan(0.9);
  });
});

describe('Pareto/NBD on the CDNOW sample', () => {
  it('reproduces the published r 0.553, α 10.58, s 0.606 within 1 % and β 11.67 within 2 %', () => {
    const fit = fitParetoNbd(summaries);
    expectWithin(fit.params.r, 0.553, 0.01);
    expectWithin(fit.params.alpha, 10.58, 0.01);
    expectWithin(fit.params.s, 0.606, 0.01);
    expectWithin(fit.params.beta, 11.67, 0.02);
    expect(fit.converged).toBe(true);

    const p = fit.params;
    const alive = paretoNbdProbabilityAlive(p, CUSTOMER_1);
    expect(alive).toBeGreaterThan(0.5);
    expect(alive).toBeLessThan(1);
    // Pareto/NBD lets customers die between purchases too, and expects more of this recent buyer than BG/NBD's 1.226.
    const expected = paretoNbdConditionalExpectedPurchases(p, CUSTOMER_1, 39);
    expect(expected).toBeGreaterThan(1.226);
    expect(expected).toBeLessThan(2);
    // s = 1 is the limit of the lifetime factor, not a division by zero.
    const atOne = paretoNbdConditionalExpectedPurchases({ ...p, s: 1 }, CUSTOMER_1, 39);
    const nearOne = paretoNbdConditionalExpectedPurchases({ ...p, s: 1 + 1e-9 }, CUSTOMER_1, 39);
    expect(atOne).toBeCloseTo(nearOne, 6);
  });
});

describe('Gamma-Gamma on the CDNOW sample’s 946 repeat customers', () => {
  it('reproduces the published p 6.25, q 3.74, v 15.44 within 1 %, and customer 1’s expected spend 24.66', () => {
    const fit = fitGammaGamma(summaries);
    expect(fit.customers).toBe(946);
    expectWithin(fit.params.p, 6.25, 0.01);
    expectWithin(fit.params.q, 3.74, 0.01);
    expectWithin(fit.params.v, 15.44, 0.01);
    expect(gammaGammaExpectedSpend({ p: 6.25, q: 3.74, v: 15.44 }, 2, 22.35)).toBeCloseTo(24.66, 2);
    // The model's assumption holds on CDNOW: frequency and spend are nearly uncorrelated (lifetimes reports 0.11).
    expect(frequencySpendCorrelation(summaries)).toBeCloseTo(0.11, 2);
  });
});

describe('predictions for every customer', () => {
  it('agree with the single-customer functions and discount value by month', () => {
    const gammaGamma = { p: 6.25, q: 3.74, v: 15.44 };
    const horizon = { months: 12, monthlyDiscountRate: 0.01 };
    const undiscountedYear = { months: 12, monthlyDiscountRate: 0 };
    const predictions = predictCustomers(summaries, { bgnbd: PUBLISHED_BGNBD, gammaGamma }, { purchaseHorizons: [39], values: [horizon, undiscountedYear] });
    const first = summaries.customerIds.indexOf(1);
    const history = { frequency: summaries.frequency[first]!, recency: summaries.recency[first]!, age: summaries.age[first]! };
    expect(predictions.expectedPurchases[0]![first]).toBeCloseTo(bgnbdConditionalExpectedPurchases(PUBLISHED_BGNBD, history, 39), 12);
    expect(predictions.probabilityAlive[first]).toBeCloseTo(bgnbdProbabilityAlive(PUBLISHED_BGNBD, history), 12);
    expect(predictions.expectedSpend[first]).toBeCloseTo(24.66, 1);
    // 12 months of 365.25/12 days = 52.18 weeks: undiscounted, the value is spend × E[purchases in 52.18 weeks].
    const [value, undiscounted] = predictions.value as [Float64Array, Float64Array];
    const yearPurchases = bgnbdConditionalExpectedPurchases(PUBLISHED_BGNBD, history, 365.25 / 7);
    expect(undiscounted[first]).toBeCloseTo(yearPurchases * predictions.expectedSpend[first]!, 9);
    expect(value[first]).toBeLessThan(undiscounted[first]!);
    expect(value[first]).toBeGreaterThan(undiscounted[first]! / 1.01 ** 12);
    for (const column of [predictions.probabilityAlive, predictions.expectedSpend, ...predictions.expectedPurchases, ...predictions.value]) {
      expect(column.every(Number.isFinite)).toBe(true);
    }
  });
});
