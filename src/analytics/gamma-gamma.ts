import { ThinDataError } from './analytics-errors.js';
import { type FitOptions, type FitResult, maximizeSmoothLikelihood, sampleRows, MIN_REPEAT_CUSTOMERS, requireEnoughCustomers } from './fit-model.js';
import { digamma, logGamma } from './log-gamma.js';

/**
 * Gamma-Gamma (Fader & Hardie, "The Gamma-Gamma model of monetary value"): each
 * purchase's amount ~ Gamma(p, ν), and ν ~ Gamma(q, v) across customers. v is in money.
 */
export interface GammaGammaParams {
  p: number;
  q: number;
  v: number;
}

/** Repeat customers' spend: x ≥ 1 repeat purchases with mean amount z̄ > 0, in columns. */
export interface RepeatSpend {
  frequency: ArrayLike<number>;
  monetary: ArrayLike<number>;
}

/**
 * Repeat customers' spend prepared for the likelihood: customers with x ≥ 1 and z̄ > 0,
 * with ln z̄ and x·z̄ computed once, and each customer pointing at its x in the distinct values.
 */
interface SpendColumns {
  customers: number;
  frequencyIndex: Uint32Array;
  distinctFrequencies: Float64Array;
  logMean: Float64Array;
  total: Float64Array;
}

/**
 * The Gamma-Gamma log-likelihood of repeat customers' mean spend (x ≥ 1; others are skipped):
 *   ln f(z̄ | x) = ln Γ(px+q) − ln Γ(px) − ln Γ(q) + q ln v + px ln x + (px−1) ln z̄ − (px+q) ln(v + x z̄).
 * Never throws; NaN where parameters are not positive.
 */
export function gammaGammaLogLikelihood(params: GammaGammaParams, data: RepeatSpend): number {
  return spendLogLikelihoodGradient(params, spendColumns(data)).value;
}

/**
 * The Gamma-Gamma log-likelihood and its gradient in (p, q, v), with K = v + x z̄:
 *   ∂p = Σ x [ψ(px+q) − ψ(px) + ln x + ln z̄ − ln K],  ∂q = Σ ψ(px+q) − ψ(q) + ln v − ln K,
 *   ∂v = Σ q/v − (px+q)/K.
 */
function spendLogLikelihoodGradient(params: GammaGammaParams, columns: SpendColumns): { value: number; gradient: number[] } {
  const { p, q, v } = params;
  if (!(p > 0 && q > 0 && v > 0)) return { value: Number.NaN, gradient: [Number.NaN, Number.NaN, Number.NaN] };
  const xs = columns.distinctFrequencies;
  const byFrequency = new Float64Array(xs.length);
  const dpByFrequency = new Float64Array(xs.length);
  const dqByFrequency = new Float64Array(xs.length);
  const logGammaQ = logGamma(q);
  const psiQ = digamma(q);
  const logV = Math.log(v);
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i]!;
    const px = p * x;
    const psiPXQ = digamma(px + q);
    byFrequency[i] = logGamma(px + q) - logGamma(px) - logGammaQ + q * logV + px * Math.log(x);
    dpByFrequency[i] = x * (psiPXQ - digamma(px) + Math.log(x));
    dqByFrequency[i] = psiPXQ - psiQ + logV;
  }
  let value = 0;
  let gp = 0;
  let gq = 0;
  let gv = 0;
  for (let c = 0; c < columns.customers; c++) {
    const xi = columns.frequencyIndex[c]!;
    const x = xs[xi]!;
    const px = p * x;
    const k = v + columns.total[c]!;
    const logK = Math.log(k);
    const logMean = columns.logMean[c]!;
    value += byFrequency[xi]! + (px - 1) * logMean - (px + q) * logK;
    gp += dpByFrequency[xi]! + x * (logMean - logK);
    gq += dqByFrequency[xi]! - logK;
    gv += q / v - (px + q) / k;
  }
  return { value, gradient: [gp, gq, gv] };
}

/**
 * Fits Gamma-Gamma on repeat customers' mean spend. Throws ThinDataError under 100 repeat
 * customers with spend or when the fit gives q ≤ 1 (mean spend without bound: a few huge
 * orders among few customers), FitNotConvergedError when the optimiser does not settle.
 */
export function fitGammaGamma(data: RepeatSpend, options: FitOptions = {}): FitResult<GammaGammaParams> {
  const columns = spendColumns(data);
  requireEnoughCustomers('Gamma-Gamma', { repeatCustomers: columns.customers });
  let meanSpend = 0;
  for (let c = 0; c < columns.customers; c++) meanSpend += Math.exp(columns.logMean[c]!) / columns.customers;
  const starts = [
    [1, 2, meanSpend],
    [5, 3, meanSpend * 2],
    [0.5, 5, meanSpend / 2],
  ];
  const rows = sampleRows(columns.customers);
  const sample: SpendColumns | undefined =
    rows === undefined
      ? undefined
      : {
          customers: rows.length,
          frequencyIndex: Uint32Array.from(rows, (row) => columns.frequencyIndex[row]!),
          distinctFrequencies: columns.distinctFrequencies,
          logMean: Float64Array.from(rows, (row) => columns.logMean[row]!),
          total: Float64Array.from(rows, (row) => columns.total[row]!),
        };
  const fit = maximizeSmoothLikelihood(
    'Gamma-Gamma',
    (x) => spendLogLikelihoodGradient(toParams(x), columns),
    starts,
    options,
    sample === undefined ? undefined : (x) => spendLogLikelihoodGradient(toParams(x), sample),
  );
  const params = toParams(fit.params);
  if (params.q <= 1) {
    throw new ThinDataError(`the Gamma-Gamma fit gives q = ${params.q.toPrecision(3)} ≤ 1: average spend without bound`, {
      hint: `fit on more repeat customers (at least ${MIN_REPEAT_CUSTOMERS}; a few very large orders dominate now)`,
    });
  }
  return { ...fit, params, customers: columns.customers };
}

function toParams([p, q, v]: number[]): GammaGammaParams {
  return { p: p!, q: q!, v: v! };
}

/**
 * Expected mean spend per purchase given x repeat purchases of mean z̄:
 *   p(v + x z̄) / (px + q − 1), a weighted average of the population mean pv/(q−1) and z̄.
 * With x = 0 it is the population mean.
 */
export function gammaGammaExpectedSpend(params: GammaGammaParams, frequency: number, monetary: number): number {
  const { p, q, v } = params;
  return (p * (v + frequency * monetary)) / (p * frequency + q - 1);
}

/**
 * Pearson correlation between x and z̄ among repeat customers: the model assumes
 * spend is independent of frequency, so a value far from 0 (|ρ| above ~0.3) says not to trust it.
 * 0 when either has no spread.
 */
export function frequencySpendCorrelation(data: RepeatSpend): number {
  const columns = spendColumns(data);
  const n = columns.customers;
  let sumX = 0;
  let sumZ = 0;
  for (let c = 0; c < n; c++) {
    sumX += columns.distinctFrequencies[columns.frequencyIndex[c]!]!;
    sumZ += Math.exp(columns.logMean[c]!);
  }
  const meanX = sumX / n;
  const meanZ = sumZ / n;
  let cross = 0;
  let squaresX = 0;
  let squaresZ = 0;
  for (let c = 0; c < n; c++) {
    const dx = columns.distinctFrequencies[columns.frequencyIndex[c]!]! - meanX;
    const dz = Math.exp(columns.logMean[c]!) - meanZ;
    cross += dx * dz;
    squaresX += dx * dx;
    squaresZ += dz * dz;
  }
  return squaresX > 0 && squaresZ > 0 ? cross / Math.sqrt(squaresX * squaresZ) : 0;
}

function spendColumns(data: RepeatSpend): SpendColumns {
  if (data.frequency.length !== data.monetary.length) throw new RangeError('frequency and monetary differ in length');
  // Refunds can leave a repeat customer with nothing spent: the model has no gamma for that.
  const counted = (i: number) => data.frequency[i]! >= 1 && data.monetary[i]! > 0 && Number.isFinite(data.monetary[i]!);
  // Counted first, then filled: typed columns of the exact length, where growing arrays of a million numbers doubled the fit's peak memory.
  let customers = 0;
  for (let i = 0; i < data.frequency.length; i++) if (counted(i)) customers += 1;
  const index = new Map<number, number>();
  const distinct: number[] = [];
  const frequencyIndex = new Uint32Array(customers);
  const logMean = new Float64Array(customers);
  const total = new Float64Array(customers);
  let c = 0;
  for (let i = 0; i < data.frequency.length; i++) {
    if (!counted(i)) continue;
    const x = data.frequency[i]!;
    const z = data.monetary[i]!;
    let xi = index.get(x);
    if (xi === undefined) {
      xi = distinct.length;
      index.set(x, xi);
      distinct.push(x);
    }
    frequencyIndex[c] = xi;
    logMean[c] = Math.log(z);
    total[c] = x * z;
    c += 1;
  }
  return { customers, frequencyIndex, distinctFrequencies: Float64Array.from(distinct), logMean, total };
}
