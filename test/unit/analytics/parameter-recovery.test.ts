import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bgnbdExpectedPurchases, bgnbdLogLikelihoodGradient, fitBgNbd } from '../../../src/analytics/bg-nbd.js';
import { groupSummaries } from '../../../src/analytics/group-summaries.js';
import { fuzzSettings } from '../../helpers/fuzz-settings.js';
import { simulateBgNbd } from './simulate-bg-nbd.js';

const settings = fuzzSettings({ sampleRuns: 4, sampleSeconds: 60, fullRuns: 40 });

describe('fitting BG/NBD data simulated from known parameters', () => {
  it('recovers them within a tolerance that shrinks with the sample size', () => {
    const customers = 20_000;
    // Standard errors scale as 1/√n; 30/√n (21 % at 20,000 customers) covers the weakly determined a and b too.
    const tolerance = 30 / Math.sqrt(customers);
    fc.assert(
      fc.property(
        fc.record({
          r: fc.double({ min: 0.3, max: 2, noNaN: true }),
          alpha: fc.double({ min: 1, max: 10, noNaN: true }),
          a: fc.double({ min: 0.4, max: 1.5, noNaN: true }),
          b: fc.double({ min: 1.5, max: 5, noNaN: true }),
        }),
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        (params, seed) => {
          const data = simulateBgNbd(params, { customers, minAge: 20, maxAge: 80, seed });
          const fit = fitBgNbd(data);
          // The quantities the model is used for: how fast people buy and how fast they leave…
          expect(Math.abs(fit.params.r / fit.params.alpha / (params.r / params.alpha) - 1)).toBeLessThan(tolerance);
          expect(Math.abs(fit.params.a / (fit.params.a + fit.params.b) / (params.a / (params.a + params.b)) - 1)).toBeLessThan(tolerance);
          expect(Math.abs(bgnbdExpectedPurchases(fit.params, 52) / bgnbdExpectedPurchases(params, 52) - 1)).toBeLessThan(tolerance / 2);
          // …and each parameter, more loosely: r with α, and a with b, trade off against each other.
          for (const key of ['r', 'alpha', 'a', 'b'] as const) {
            expect(Math.abs(Math.log(fit.params[key] / params[key]))).toBeLessThan(2 * tolerance);
          }
        },
      ),
      { seed: settings.firstSeed, numRuns: settings.runs, interruptAfterTimeLimit: settings.seconds * 1000 },
    );
  }, (settings.seconds + 60) * 1000);
});

describe('fitting more customers than the starts are tried on', () => {
  it('ends at the maximum of the full likelihood, not the sample\'s: its gradient there is ~0', () => {
    const data = simulateBgNbd({ r: 0.8, alpha: 6, a: 0.6, b: 2.5 }, { customers: 80_000, minAge: 10, maxAge: 90, seed: 7 });
    const fit = fitBgNbd(data);
    const { value, gradient } = bgnbdLogLikelihoodGradient(fit.params, groupSummaries(data));
    expect(value).toBeCloseTo(fit.logLikelihood, 6);
    const { r, alpha, a, b } = fit.params;
    // Per log-parameter, as the optimiser sees it: θ ∂ℓ/∂θ, against ℓ itself (~10⁵ here).
    [r, alpha, a, b].forEach((theta, k) => expect(Math.abs(theta * gradient[k]!)).toBeLessThan(1e-6 * Math.abs(value)));
  });
});
