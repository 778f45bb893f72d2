import type { CustomerHistory } from './bg-nbd.js';
import { type FitOptions, type FitResult, maximizeLikelihood, requireEnoughCustomers } from './fit-model.js';
import { groupSummaries, meanAge, type RecencyFrequency, type SummaryGroups } from './group-summaries.js';
import { hyp2f1 } from './hyp2f1.js';
import { logGamma } from './log-gamma.js';
import { logDiffExp, logSumExp } from './log-space.js';

/**
 * Pareto/NBD (Schmittlein, Morrison & Colombo 1987): while alive a customer buys at
 * rate λ ~ Gamma(r, α) and dies at rate μ ~ Gamma(s, β), at any time rather than
 * only after a purchase. α and β are in the summaries' time unit.
 */
export interface ParetoNbdParams {
  r: number;
  alpha: number;
  s: number;
  beta: number;
}

/**
 * The Pareto/NBD log-likelihood summed over customers, in the form of Fader & Hardie's
 * note on implementing the model:
 *   L = Γ(r+x) α^r β^s / Γ(r) · [ (α+T)^−(r+x) (β+T)^−s + s/(r+s+x) · A₀ ],
 *   A₀ = F(tₓ) − F(T),  F(y) = ₂F₁(r+s+x, q; r+s+x+1; |α−β|/(m+y)) / (m+y)^(r+s+x),
 * with m = α, q = s+1 when α ≥ β, and m = β, q = r+x otherwise: choosing the larger
 * of α, β keeps the ₂F₁ argument in [0, 1). A₀ is the probability mass of dying
 * between tₓ and T, so it is taken as a difference of logs (F(tₓ) ≥ F(T)).
 * Never throws; NaN where parameters are not positive.
 */
export function paretoNbdLogLikelihood(params: ParetoNbdParams, data: SummaryGroups | RecencyFrequency): number {
  const groups = 'weight' in data ? data : groupSummaries(data);
  const { r, alpha, s, beta } = params;
  if (!(r > 0 && alpha > 0 && s > 0 && beta > 0)) return Number.NaN;
  const constant = -logGamma(r) + r * Math.log(alpha) + s * Math.log(beta);
  let sum = 0;
  for (let g = 0; g < groups.weight.length; g++) {
    const x = groups.frequency[g]!;
    const { logAliveAtAge, logDiedBetween } = logLikelihoodParts(params, x, groups.recency[g]!, groups.age[g]!);
    sum += groups.weight[g]! * (logGamma(r + x) + constant + logSumExp(logAliveAtAge, logDiedBetween));
  }
  return sum;
}

/**
 * Fits Pareto/NBD by maximum likelihood. Throws ThinDataError under 100 repeat customers
 * or when all first purchases are on one day, FitNotConvergedError when the optimiser does not settle.
 */
export function fitParetoNbd(data: RecencyFrequency, options: FitOptions = {}): FitResult<ParetoNbdParams> {
  const groups = groupSummaries(data);
  requireEnoughCustomers('Pareto/NBD', { repeatCustomers: groups.repeatCustomers, distinctAges: groups.distinctAges.length });
  const age = meanAge(groups);
  const starts = [
    [1, age, 1, age],
    [0.5, age / 4, 0.5, age / 4],
    [2, age * 2, 2, age * 2],
  ];
  const fit = maximizeLikelihood('Pareto/NBD', (p) => paretoNbdLogLikelihood(toParams(p), groups), starts, options);
  return { ...fit, params: toParams(fit.params), customers: groups.customers };
}

/**
 * ln of the likelihood's two cases without the factor Γ(r+x) α^r β^s / Γ(r):
 * alive at T, (α+T)^−(r+x) (β+T)^−s, and died between tₓ and T, s/(r+s+x) · A₀.
 */
function logLikelihoodParts(params: ParetoNbdParams, x: number, tx: number, T: number): { logAliveAtAge: number; logDiedBetween: number } {
  const { r, alpha, s, beta } = params;
  const rsx = r + s + x;
  const larger = Math.max(alpha, beta);
  const q = alpha >= beta ? s + 1 : r + x;
  const gap = Math.abs(alpha - beta);
  const logF = (y: number): number => Math.log(hyp2f1(rsx, q, rsx + 1, gap / (larger + y))) - rsx * Math.log(larger + y);
  return {
    logAliveAtAge: -(r + x) * Math.log(alpha + T) - s * Math.log(beta + T),
    logDiedBetween: Math.log(s / rsx) + logDiffExp(logF(tx), logF(T)),
  };
}

function toParams([r, alpha, s, beta]: number[]): ParetoNbdParams {
  return { r: r!, alpha: alpha!, s: s!, beta: beta! };
}

/** P(alive | x, tₓ, T) = 1 / (1 + s/(r+s+x) · (α+T)^(r+x) (β+T)^s · A₀): alive over alive-or-died-since-tₓ. */
export function paretoNbdProbabilityAlive(params: ParetoNbdParams, customer: CustomerHistory): number {
  const { frequency: x, recency: tx, age: T } = customer;
  const { logAliveAtAge, logDiedBetween } = logLikelihoodParts(params, x, tx, T);
  const logOdds = logDiedBetween - logAliveAtAge;
  return 1 / (1 + Math.exp(logOdds));
}

/**
 * Expected purchases in the next `t` given the history:
 *   (r+x)(β+T) / ((α+T)(s−1)) · [1 − ((β+T)/(β+T+t))^(s−1)] · P(alive),
 * with the bracket over (s−1) taken to its limit ln((β+T+t)/(β+T)) at s = 1.
 */
export function paretoNbdConditionalExpectedPurchases(params: ParetoNbdParams, customer: CustomerHistory, t: number): number {
  const { frequency: x, age: T } = customer;
  const { r, alpha, s, beta } = params;
  const logRatio = Math.log1p(t / (beta + T));
  const lifetimeShare = s === 1 ? logRatio : -Math.expm1(-(s - 1) * logRatio) / (s - 1);
  return (((r + x) * (beta + T)) / (alpha + T)) * lifetimeShare * paretoNbdProbabilityAlive(params, customer);
}
