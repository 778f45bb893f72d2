import { type FitOptions, type FitResult, maximizeSmoothLikelihood, sampleRows, requireEnoughCustomers } from './fit-model.js';
import { groupSummaries, meanAge, type RecencyFrequency, type SummaryGroups } from './group-summaries.js';
import { hyp2f1 } from './hyp2f1.js';
import { digamma, logBeta, logGamma } from './log-gamma.js';
import { logSumExp } from './log-space.js';

/**
 * BG/NBD (Fader, Hardie & Lee 2005): while alive a customer buys at rate λ ~ Gamma(r, α);
 * after each purchase they drop out with probability p ~ Beta(a, b). α is in the
 * summaries' time unit.
 */
export interface BgNbdParams {
  r: number;
  alpha: number;
  a: number;
  b: number;
}

/** A customer's history: x repeat purchases, the last at tₓ, observed for T (one time unit throughout). */
export interface CustomerHistory {
  frequency: number;
  recency: number;
  age: number;
}

/**
 * The BG/NBD log-likelihood summed over customers (grouped or not):
 *   ln L = ln Γ(r+x) − ln Γ(r) + r ln α + ln B(a, b+x) − ln B(a, b)
 *        + ln[ (α+T)^−(r+x) + [x > 0] a/(b+x−1) (α+tₓ)^−(r+x) ],
 * the last term by log-sum-exp. Never throws; −∞ or NaN where parameters are not positive.
 */
export function bgnbdLogLikelihood(params: BgNbdParams, data: SummaryGroups | RecencyFrequency): number {
  return bgnbdLogLikelihoodGradient(params, 'weight' in data ? data : groupSummaries(data)).value;
}

/**
 * bgnbdLogLikelihood and its gradient in (r, α, a, b), in one pass over the groups.
 * With w_S and w_D the shares of surviving and having dropped out in the last term:
 *   ∂r = ψ(r+x) − ψ(r) + ln α − w_S ln(α+T) − w_D ln(α+tₓ)
 *   ∂α = r/α − (r+x)(w_S/(α+T) + w_D/(α+tₓ))
 *   ∂a = ψ(a+b) − ψ(a+b+x) + w_D/a
 *   ∂b = ψ(b+x) − ψ(b) + ψ(a+b) − ψ(a+b+x) − w_D/(b+x−1).
 * Never throws; a NaN value where parameters are not positive.
 */
export function bgnbdLogLikelihoodGradient(params: BgNbdParams, groups: SummaryGroups): { value: number; gradient: number[] } {
  const { r, alpha, a, b } = params;
  if (!(r > 0 && alpha > 0 && a > 0 && b > 0)) return { value: Number.NaN, gradient: [Number.NaN, Number.NaN, Number.NaN, Number.NaN] };
  const xs = groups.distinctFrequencies;
  const byFrequency = new Float64Array(xs.length);
  const dropoutByFrequency = new Float64Array(xs.length);
  const dR = new Float64Array(xs.length);
  const dA = new Float64Array(xs.length);
  const dB = new Float64Array(xs.length);
  const logGammaR = logGamma(r);
  const logBetaAB = logBeta(a, b);
  const psiR = digamma(r);
  const psiB = digamma(b);
  const psiAB = digamma(a + b);
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i]!;
    const psiABX = digamma(a + b + x);
    byFrequency[i] = logGamma(r + x) - logGammaR + logBeta(a, b + x) - logBetaAB;
    dropoutByFrequency[i] = x > 0 ? Math.log(a / (b + x - 1)) : Number.NEGATIVE_INFINITY;
    dR[i] = digamma(r + x) - psiR;
    dA[i] = psiAB - psiABX;
    dB[i] = digamma(b + x) - psiB + psiAB - psiABX;
  }
  const logAlphaPlusAge = logShifted(alpha, groups.distinctAges);
  const logAlphaPlusRecency = logShifted(alpha, groups.distinctRecencies);
  const inverseAlphaPlusAge = Float64Array.from(groups.distinctAges, (t) => 1 / (alpha + t));
  const inverseAlphaPlusRecency = Float64Array.from(groups.distinctRecencies, (t) => 1 / (alpha + t));
  const { weight, frequencyIndex, ageIndex, recencyIndex } = groups;
  const logAlpha = Math.log(alpha);
  let value = 0;
  let gr = 0;
  let galpha = 0;
  let ga = 0;
  let gb = 0;
  for (let g = 0; g < weight.length; g++) {
    const xi = frequencyIndex[g]!;
    const x = xs[xi]!;
    const exponent = r + x;
    const ai = ageIndex[g]!;
    const ri = recencyIndex[g]!;
    const logAge = logAlphaPlusAge[ai]!;
    const logRecency = logAlphaPlusRecency[ri]!;
    const survived = -exponent * logAge;
    const droppedOut = dropoutByFrequency[xi]! - exponent * logRecency;
    const last = logSumExp(survived, droppedOut);
    const wS = Math.exp(survived - last);
    const wD = x > 0 ? Math.exp(droppedOut - last) : 0;
    const w = weight[g]!;
    value += w * (byFrequency[xi]! + r * logAlpha + last);
    gr += w * (dR[xi]! + logAlpha - wS * logAge - wD * logRecency);
    galpha += w * (r / alpha - exponent * (wS * inverseAlphaPlusAge[ai]! + wD * inverseAlphaPlusRecency[ri]!));
    ga += w * (dA[xi]! + wD / a);
    gb += w * (dB[xi]! - (x > 0 ? wD / (b + x - 1) : 0));
  }
  return { value, gradient: [gr, galpha, ga, gb] };
}

/**
 * Fits BG/NBD by maximum likelihood, on customers' summaries or their groups (a caller
 * that predicts afterwards groups them once for both). Throws ThinDataError under 100 repeat customers
 * or when all first purchases are on one day, FitNotConvergedError when the optimiser
 * does not settle.
 *
 * @example fitBgNbd(summarizePurchases(purchases, { asOf: '1997-09-30', unit: 'weeks' })).params
 */
export function fitBgNbd(data: RecencyFrequency | SummaryGroups, options: FitOptions = {}): FitResult<BgNbdParams> {
  const groups = 'weight' in data ? data : groupSummaries(data);
  requireEnoughCustomers('BG/NBD', { repeatCustomers: groups.repeatCustomers, distinctAges: groups.distinctAges.length });
  const age = meanAge(groups);
  const starts = [
    [1, age, 1, 1],
    [0.5, age / 4, 0.5, 2],
    [2, age * 2, 2, 5],
  ];
  const rows = sampleRows(groups.customers);
  const sample = rows === undefined ? undefined : groupSummaries({ frequency: pick(groups, groups.frequency, rows), recency: pick(groups, groups.recency, rows), age: pick(groups, groups.age, rows) });
  const fit = maximizeSmoothLikelihood(
    'BG/NBD',
    (p) => bgnbdLogLikelihoodGradient(toParams(p), groups),
    starts,
    options,
    sample === undefined ? undefined : (p) => bgnbdLogLikelihoodGradient(toParams(p), sample),
  );
  return { ...fit, params: toParams(fit.params), customers: groups.customers };
}

/** A per-group column's value for each of `rows` (customers, by their group). */
function pick(groups: SummaryGroups, column: Float64Array, rows: Uint32Array): Float64Array {
  return Float64Array.from(rows, (row) => column[groups.groupOfCustomer[row]!]!);
}

function toParams([r, alpha, a, b]: number[]): BgNbdParams {
  return { r: r!, alpha: alpha!, a: a!, b: b! };
}

/** P(alive | x, tₓ, T) = 1 / (1 + [x > 0] a/(b+x−1) ((α+T)/(α+tₓ))^(r+x)). */
export function bgnbdProbabilityAlive(params: BgNbdParams, customer: CustomerHistory): number {
  const { frequency: x, recency: tx, age: T } = customer;
  if (x === 0) return 1;
  const { r, alpha, a, b } = params;
  const logOdds = Math.log(a / (b + x - 1)) + (r + x) * Math.log((alpha + T) / (alpha + tx));
  return 1 / (1 + Math.exp(logOdds));
}

/**
 * Expected purchases in the next `t` given the history (FHL 2005, eq. 10):
 *   (a+b+x−1)/(a−1) · [1 − ((α+T)/(α+T+t))^(r+x) ₂F₁(r+x, b+x; a+b+x−1; t/(α+T+t))] · P(alive).
 */
export function bgnbdConditionalExpectedPurchases(params: BgNbdParams, customer: CustomerHistory, t: number): number {
  return bgnbdPurchasesIfAlive(params, customer, t) * bgnbdProbabilityAlive(params, customer);
}

/**
 * Expected purchases in the next `t` of a customer still alive: eq. 10 without its P(alive)
 * factor. It does not depend on tₓ, so a caller predicting many customers computes it (and its
 * ₂F₁) once per distinct (x, T), not once per customer.
 */
export function bgnbdPurchasesIfAlive(params: BgNbdParams, customer: Pick<CustomerHistory, 'frequency' | 'age'>, t: number): number {
  if (t === 0) return 0;
  const { frequency: x, age: T } = customer;
  const { r, alpha, a, b } = params;
  const z = t / (alpha + T + t);
  const hyper = hyp2f1(r + x, b + x, a + b + x - 1, z);
  const bracket = 1 - Math.exp((r + x) * Math.log1p(-z)) * hyper;
  return ((a + b + x - 1) / (a - 1)) * bracket;
}

/**
 * Expected purchases in (0, t] of a customer just acquired (FHL 2005, eq. 9):
 *   (a+b−1)/(a−1) · [1 − (α/(α+t))^r ₂F₁(r, b; a+b−1; t/(α+t))].
 */
export function bgnbdExpectedPurchases(params: BgNbdParams, t: number): number {
  if (t === 0) return 0;
  const { r, alpha, a, b } = params;
  const z = t / (alpha + t);
  return ((a + b - 1) / (a - 1)) * (1 - Math.exp(r * Math.log1p(-z)) * hyp2f1(r, b, a + b - 1, z));
}

/**
 * P(X(t) = n) for a customer just acquired (FHL 2005, eq. 8):
 *   B(a, b+n)/B(a, b) · Γ(r+n)/(Γ(r) n!) · (α/(α+t))^r (t/(α+t))^n
 *   + [n > 0] B(a+1, b+n−1)/B(a, b) · [1 − (α/(α+t))^r Σ_{j<n} Γ(r+j)/(Γ(r) j!) (t/(α+t))^j].
 */
export function bgnbdProbabilityOfPurchases(params: BgNbdParams, t: number, n: number): number {
  const { r, alpha, a, b } = params;
  const logStay = Math.log(alpha / (alpha + t));
  const logGo = Math.log(t / (alpha + t));
  const logNbd = (j: number): number => logGamma(r + j) - logGamma(r) - logGamma(j + 1) + r * logStay + (j === 0 ? 0 : j * logGo);
  const alive = Math.exp(logBeta(a, b + n) - logBeta(a, b) + logNbd(n));
  if (n === 0) return alive;
  let below = 0;
  for (let j = 0; j < n; j++) below += Math.exp(logNbd(j));
  return alive + Math.exp(logBeta(a + 1, b + n - 1) - logBeta(a, b)) * (1 - below);
}

function logShifted(shift: number, values: Float64Array): Float64Array {
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = Math.log(shift + values[i]!);
  return out;
}
