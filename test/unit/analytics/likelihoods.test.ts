import { describe, expect, it } from 'vitest';
import { bgnbdLogLikelihood, bgnbdLogLikelihoodGradient } from '../../../src/analytics/bg-nbd.js';
import { gammaGammaLogLikelihood } from '../../../src/analytics/gamma-gamma.js';
import { groupSummaries } from '../../../src/analytics/group-summaries.js';
import { logGamma } from '../../../src/analytics/log-gamma.js';
import { type ParetoNbdParams, paretoNbdLogLikelihood } from '../../../src/analytics/pareto-nbd.js';
import { readPublishedSummary } from './cdnow.js';

const one = (frequency: number, recency: number, age: number) => ({ frequency: [frequency], recency: [recency], age: [age] });

describe('BG/NBD log-likelihood', () => {
  it('matches the likelihood worked by hand for r = 1, α = 2, a = 1, b = 2', () => {
    // x = 2, tₓ = 3, T = 5:
    //   Γ(r+x)/Γ(r) α^r = Γ(3)/Γ(1) · 2 = 4;  B(a, b+x)/B(a, b) = B(1, 4)/B(1, 2) = (1/4)/(1/2) = 1/2
    //   (α+T)^−(r+x) = 7⁻³ = 1/343;  a/(b+x−1) (α+tₓ)^−(r+x) = (1/3) · 5⁻³ = 1/375
    //   L = 4 · 1/2 · (1/343 + 1/375) = 2 · 718/128625 = 1436/128625
    const params = { r: 1, alpha: 2, a: 1, b: 2 };
    expect(bgnbdLogLikelihood(params, one(2, 3, 5))).toBeCloseTo(Math.log(1436 / 128625), 13);
    // x = 0, T = 5: L = Γ(1)/Γ(1) · 2 · B(1, 2)/B(1, 2) · 7⁻¹ = 2/7 (no drop-out term without a repeat purchase)
    expect(bgnbdLogLikelihood(params, one(0, 0, 5))).toBeCloseTo(Math.log(2 / 7), 13);
  });

  it('sums over customers, and grouping identical customers changes nothing', () => {
    const params = { r: 0.7, alpha: 3, a: 0.9, b: 2.5 };
    const data = { frequency: [2, 0, 2, 2], recency: [3, 0, 3, 4], age: [5, 5, 5, 6] };
    const separately = [0, 1, 2, 3].map((i) => bgnbdLogLikelihood(params, one(data.frequency[i]!, data.recency[i]!, data.age[i]!)));
    expect(bgnbdLogLikelihood(params, data)).toBeCloseTo(separately.reduce((s, v) => s + v), 12);
    expect(bgnbdLogLikelihood(params, groupSummaries(data))).toBe(bgnbdLogLikelihood(params, data));
    expect(groupSummaries(data).weight).toHaveLength(3);
  });

  it('stays finite where the plain products under- or overflow', () => {
    const value = bgnbdLogLikelihood({ r: 50, alpha: 1e-3, a: 0.01, b: 500 }, one(400, 900, 1000));
    expect(Number.isFinite(value)).toBe(true);
    expect(bgnbdLogLikelihood({ r: -1, alpha: 1, a: 1, b: 1 }, one(0, 0, 1))).toBeNaN();
  });
});

/**
 * The Pareto/NBD likelihood from its definition, by Simpson's rule:
 *   Γ(r+x) α^r β^s / Γ(r) · [ (α+T)^−(r+x) (β+T)^−s + s ∫_{tₓ}^{T} (α+τ)^−(r+x) (β+τ)^−(s+1) dτ ]
 * (alive at T, or died at τ between the last purchase and T): no ₂F₁ involved.
 */
function paretoByQuadrature({ r, alpha, s, beta }: ParetoNbdParams, x: number, tx: number, T: number): number {
  const f = (tau: number) => Math.pow(alpha + tau, -(r + x)) * Math.pow(beta + tau, -(s + 1));
  const steps = 200_000;
  const h = (T - tx) / steps;
  let integral = f(tx) + f(T);
  for (let i = 1; i < steps; i++) integral += (i % 2 === 1 ? 4 : 2) * f(tx + i * h);
  integral *= h / 3;
  const front = Math.exp(logGamma(r + x) - logGamma(r)) * Math.pow(alpha, r) * Math.pow(beta, s);
  return Math.log(front * (Math.pow(alpha + T, -(r + x)) * Math.pow(beta + T, -s) + s * integral));
}

describe('Pareto/NBD log-likelihood', () => {
  it('matches the likelihood worked by hand for r = s = 1, α = β = 2 (the ₂F₁ argument is 0)', () => {
    // x = 2, tₓ = 3, T = 5: Γ(3)/Γ(1) · 2 · 2 = 8; alive at T: 7⁻³ · 7⁻¹ = 1/2401;
    // A₀ = (2+3)^−(r+s+x) − (2+5)^−(r+s+x) = 1/625 − 1/2401, weighted by s/(r+s+x) = 1/4.
    const expected = 8 * (1 / 2401 + (1 / 4) * (1 / 625 - 1 / 2401));
    expect(paretoNbdLogLikelihood({ r: 1, alpha: 2, s: 1, beta: 2 }, one(2, 3, 5))).toBeCloseTo(Math.log(expected), 13);
  });

  it.each([
    ['α > β', { r: 0.55, alpha: 10.58, s: 0.61, beta: 3.2 }],
    ['α < β', { r: 0.55, alpha: 10.58, s: 0.61, beta: 11.67 }],
    ['α ≫ β (₂F₁ argument near 1)', { r: 0.3, alpha: 400, s: 1.7, beta: 0.5 }],
    ['α ≪ β', { r: 2.5, alpha: 0.2, s: 0.4, beta: 300 }],
  ])('agrees with the integral of its definition, %s', (_, params) => {
    for (const [x, tx, T] of [
      [0, 0, 38],
      [2, 30.43, 38.86],
      [7, 1, 52],
      [1, 10, 10],
    ] as const) {
      expect(paretoNbdLogLikelihood(params, one(x, tx, T))).toBeCloseTo(paretoByQuadrature(params, x, tx, T), 9);
    }
  });
});

describe('Gamma-Gamma log-likelihood', () => {
  it('matches the density worked by hand for p = 2, q = 3, v = 4', () => {
    // x = 2 repeat purchases of mean z̄ = 5:
    //   f = Γ(px+q)/(Γ(px)Γ(q)) · v^q x^(px) z̄^(px−1) / (v + x z̄)^(px+q)
    //     = Γ(7)/(Γ(4)Γ(3)) · 4³ · 2⁴ · 5³ / 14⁷ = 60 · 64 · 16 · 125 / 105413504 = 7680000/105413504
    const params = { p: 2, q: 3, v: 4 };
    expect(gammaGammaLogLikelihood(params, { frequency: [2], monetary: [5] })).toBeCloseTo(Math.log(7680000 / 105413504), 13);
    // Customers without repeat purchases (or nothing spent) carry no spend information and are skipped.
    expect(gammaGammaLogLikelihood(params, { frequency: [2, 0, 3], monetary: [5, 0, 0] })).toBe(
      gammaGammaLogLikelihood(params, { frequency: [2], monetary: [5] }),
    );
  });
});

describe('the gradients the fits follow', () => {
  const published = readPublishedSummary();
  const cdnowSummaries = { frequency: published.map((c) => c.x), recency: published.map((c) => c.tx), age: published.map((c) => c.T) };

  /** Central differences of ln L in each parameter, relative step 1e-6. */
  function numericGradient<P extends Record<string, number>>(logLikelihood: (params: P) => number, params: P): number[] {
    return Object.keys(params).map((key) => {
      const h = 1e-6 * params[key]!;
      return (logLikelihood({ ...params, [key]: params[key]! + h }) - logLikelihood({ ...params, [key]: params[key]! - h })) / (2 * h);
    });
  }

  it.each([
    { r: 0.2426, alpha: 4.414, a: 0.7929, b: 2.426 },
    { r: 2, alpha: 0.5, a: 3, b: 0.2 },
  ])('BG/NBD: the analytic gradient agrees with central differences on the CDNOW summaries at %o', (params) => {
    const groups = groupSummaries(cdnowSummaries);
    const analytic = bgnbdLogLikelihoodGradient(params, groups);
    expect(analytic.value).toBeCloseTo(bgnbdLogLikelihood(params, groups), 9);
    numericGradient((p) => bgnbdLogLikelihood(p, groups), params).forEach((numeric, k) => {
      // Central differences of a sum near 10⁴ carry ~1e-4 of rounding; the analytic gradient is exact.
      expect(Math.abs(analytic.gradient[k]! - numeric)).toBeLessThan(1e-3 + 1e-6 * Math.abs(numeric));
    });
  });
});
