import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FitNotConvergedError, ModelFitError, ThinDataError } from '../../../src/analytics/analytics-errors.js';
import { fitBgNbd } from '../../../src/analytics/bg-nbd.js';
import { predictCustomers } from '../../helpers/predict-customers.js';
import { maximizeLikelihood } from '../../../src/analytics/fit-model.js';
import { fitGammaGamma } from '../../../src/analytics/gamma-gamma.js';
import { fitParetoNbd } from '../../../src/analytics/pareto-nbd.js';
import { type Purchase, summarizePurchases } from '../../../src/analytics/summarize-purchases.js';
import { CustdbError } from '../../../src/errors.js';
import { fuzzSettings } from '../../helpers/fuzz-settings.js';

const settings = fuzzSettings({ sampleRuns: 15, sampleSeconds: 60, fullRuns: 300 });

/** `repeat` customers who bought twice (a week apart) and `once` who bought once, first purchases spread over `spreadDays`. */
function purchases(repeat: number, once: number, spreadDays: number): Purchase[] {
  const out: Purchase[] = [];
  for (let i = 0; i < repeat + once; i++) {
    const first = new Date(Date.UTC(2024, 0, 1 + (i % spreadDays)));
    out.push({ customerId: i, date: first.toISOString(), amount: 10 + (i % 7) });
    if (i < repeat) out.push({ customerId: i, date: new Date(first.getTime() + 7 * 86_400_000 * (1 + (i % 5))).toISOString(), amount: 12 + (i % 11) });
  }
  return out;
}

function expectThin(fit: () => unknown, message: RegExp): void {
  let thrown: unknown;
  try {
    fit();
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(ThinDataError);
  expect(thrown).toBeInstanceOf(CustdbError);
  const error = thrown as ThinDataError;
  expect(error.exitCode).toBe(1);
  expect(error.message).toMatch(message);
  expect(error.hint).toMatch(/\w/);
}

describe('too little data is a typed error, never a NaN', () => {
  const asOf = { asOf: '2024-12-31', unit: 'weeks' as const };

  it('refuses fewer than 100 repeat customers for every model, naming the count', () => {
    const summaries = summarizePurchases(purchases(99, 2000, 60), asOf);
    expectThin(() => fitBgNbd(summaries), /99, it needs at least 100/);
    expectThin(() => fitParetoNbd(summaries), /Pareto\/NBD/);
    expectThin(() => fitGammaGamma(summaries), /Gamma-Gamma/);
    expect(() => fitBgNbd(summarizePurchases(purchases(100, 2000, 60), asOf))).not.toThrow();
  });

  it('refuses a history whose first purchases are all on one day', () => {
    const summaries = summarizePurchases(purchases(500, 500, 1), asOf);
    expectThin(() => fitBgNbd(summaries), /same day/);
    expectThin(() => fitParetoNbd(summaries), /same day/);
  });

  it('refuses an empty history', () => {
    expectThin(() => fitBgNbd(summarizePurchases([], asOf)), /0, it needs/);
  });

  it('reports a likelihood with no finite value, or one that never settles, as FitNotConvergedError (exit 1)', () => {
    expect(() => maximizeLikelihood('test', () => Number.NaN, [[1, 1]], {})).toThrow(FitNotConvergedError);
    // Increases without bound: the optimiser runs off towards infinity.
    const unbounded = (p: number[]) => Math.log(p[0]!) - (p[1]! - 1) ** 2;
    expect(() => maximizeLikelihood('test', unbounded, [[1, 1]], {})).toThrow(FitNotConvergedError);
    expect(maximizeLikelihood('test', unbounded, [[1, 1]], { allowUnconverged: true }).converged).toBe(false);
  });

  it('never gives a NaN: on random small shops a fit either throws a ModelFitError or is finite throughout', () => {
    const purchase = fc.record({
      customerId: fc.integer({ min: 1, max: 250 }),
      date: fc.integer({ min: 0, max: 700 }).map((d) => new Date(Date.UTC(2023, 0, 1 + d)).toISOString().slice(0, 10)),
      amount: fc.double({ min: 0.01, max: 500, noNaN: true }),
    });
    fc.assert(
      fc.property(fc.array(purchase, { minLength: 200, maxLength: 2000 }), fc.constantFrom('days' as const, 'weeks' as const), (records, unit) => {
        const summaries = summarizePurchases(records, { asOf: '2024-12-31', unit });
        try {
          const bgnbd = fitBgNbd(summaries, { allowUnconverged: true }).params;
          const gammaGamma = fitGammaGamma(summaries, { allowUnconverged: true }).params;
          const predictions = predictCustomers(summaries, { bgnbd, gammaGamma }, { purchaseHorizons: [13], values: [{ months: 12, monthlyDiscountRate: 0.01 }] });
          for (const value of [...Object.values(bgnbd), ...Object.values(gammaGamma)]) expect(Number.isFinite(value)).toBe(true);
          for (const column of [predictions.probabilityAlive, predictions.expectedSpend, ...predictions.expectedPurchases, ...predictions.value]) {
            expect(column.every(Number.isFinite)).toBe(true);
          }
        } catch (error) {
          if (!(error instanceof ModelFitError)) throw error;
        }
      }),
      { seed: settings.firstSeed, numRuns: settings.runs, interruptAfterTimeLimit: settings.seconds * 1000 },
    );
  });
});
