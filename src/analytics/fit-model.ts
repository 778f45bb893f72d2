import { FitNotConvergedError, ThinDataError } from './analytics-errors.js';
import { minimizeBfgs, type ValueAndGradient } from './bfgs.js';
import { minimizeNelderMead } from './nelder-mead.js';

/** What a maximum-likelihood fit gives back: never NaN (a fit that would is a FitNotConvergedError). */
export interface FitResult<Params> {
  params: Params;
  logLikelihood: number;
  /** Customers the likelihood was summed over. */
  customers: number;
  /** Optimiser iterations over all starts and restarts. */
  iterations: number;
  converged: boolean;
}

export interface FitOptions {
  /** Return a fit whose optimiser did not settle (converged: false) instead of throwing. */
  allowUnconverged?: boolean;
}

/** Repeat customers below which the models' parameters are not determined well enough to use. */
export const MIN_REPEAT_CUSTOMERS = 100;

// Restarting from the best point rebuilds the simplex, which Nelder–Mead needs
// to get out of a collapsed one; a restart that still moves the optimum means it had not settled.
const MAX_RESTARTS = 4;
const RESTART_IMPROVEMENT = 1e-9;
// A parameter beyond e^±30 (1e13) means the likelihood keeps rising towards a boundary
// of the model (b → ∞: nobody ever leaves; q, v → ∞: everyone spends alike), not that it has a maximum.
const MAX_LOG_PARAMETER = 30;
// Each gradient component (per log-parameter) below 1e-8 × (1 + |ln L|): the parameters are then
// settled far below the published fits' precision. A step improving ln L by less than RESTART_IMPROVEMENT
// (relative) settles it too, as a Nelder–Mead restart that no longer moves it does.
const GRADIENT_TOLERANCE = 1e-8;

/** Outside this box of log-parameters the likelihood is taken as 0: a fit running off to a boundary stops at the box's edge. */
function inBox(logParams: number[]): boolean {
  return logParams.every((x) => Math.abs(x) <= MAX_LOG_PARAMETER);
}

/** Customers from which a fit's starts are tried on a sample of them first. */
const SAMPLE_FROM = 50_000;

/**
 * Every k-th of `n` customers, about SAMPLE_FROM / 2 of them, in order (a fixed
 * choice: the same data give the same fit); undefined when there are too few to sample.
 */
export function sampleRows(n: number): Uint32Array | undefined {
  if (n < SAMPLE_FROM) return undefined;
  const every = Math.floor(n / (SAMPLE_FROM / 2));
  return Uint32Array.from({ length: Math.floor(n / every) }, (_, i) => i * every);
}

/**
 * Maximises a likelihood that gives its gradient too, over positive parameters:
 * BFGS on their logarithms from each start (a few dozen evaluations, where
 * Nelder–Mead takes thousands). With `onSample`, the same likelihood over a sample
 * of the customers, the starts are tried on it and only the best one is taken on
 * to the full data, where it needs a few steps more. Throws as maximizeLikelihood does.
 */
export function maximizeSmoothLikelihood(
  model: string,
  logLikelihood: (params: number[]) => ValueAndGradient,
  starts: number[][],
  options: FitOptions,
  onSample?: (params: number[]) => ValueAndGradient,
): { params: number[]; logLikelihood: number; iterations: number; converged: boolean } {
  let iterations = 0;
  const fromEach = (f: (params: number[]) => ValueAndGradient, points: number[][]) => {
    let best: { point: number[]; value: number; converged: boolean } | undefined;
    for (const point of points) {
      const run = minimizeBfgs(onLogScale(f), point, { gradientTolerance: GRADIENT_TOLERANCE, valueTolerance: RESTART_IMPROVEMENT });
      iterations += run.iterations;
      if (best === undefined || run.value < best.value) best = run;
    }
    return best;
  };
  const logStarts = starts.map((start) => start.map(Math.log));
  const sampled = onSample === undefined ? undefined : fromEach(onSample, logStarts);
  // A sample whose fit has no finite optimum says nothing of the full data's: all starts are tried there.
  const best = fromEach(logLikelihood, sampled !== undefined && Number.isFinite(sampled.value) && inBox(sampled.point) ? [sampled.point] : logStarts);
  return settle(model, best, iterations, options);
}

/** −ℓ over log-parameters, with its gradient d(−ℓ)/d ln θ = −θ ∂ℓ/∂θ; +∞ outside the box. */
function onLogScale(logLikelihood: (params: number[]) => ValueAndGradient): (logParams: number[]) => ValueAndGradient {
  return (logParams) => {
    if (!inBox(logParams)) return { value: Number.POSITIVE_INFINITY, gradient: logParams.map(() => 0) };
    const params = logParams.map(Math.exp);
    const result = logLikelihood(params);
    return { value: -result.value, gradient: result.gradient.map((g, k) => -g * params[k]!) };
  };
}

/**
 * Maximises `logLikelihood` over positive parameters: Nelder–Mead on their logarithms
 * from each start, then restarts from the best until it stops moving. Throws
 * FitNotConvergedError when no start gives a finite likelihood, or (unless allowed)
 * when the optimiser does not settle.
 */
export function maximizeLikelihood(
  model: string,
  logLikelihood: (params: number[]) => number,
  starts: number[][],
  options: FitOptions,
): { params: number[]; logLikelihood: number; iterations: number; converged: boolean } {
  const negative = (logParams: number[]): number => (inBox(logParams) ? -logLikelihood(logParams.map(Math.exp)) : Number.POSITIVE_INFINITY);
  let iterations = 0;
  let best: { point: number[]; value: number; converged: boolean } | undefined;
  for (const start of starts) {
    // Only the best start is refined to full precision below.
    const run = minimizeNelderMead(negative, start.map(Math.log), { valueTolerance: 1e-7, pointTolerance: 1e-3, maxIterations: 2000 });
    iterations += run.iterations;
    if (best === undefined || run.value < best.value) best = run;
  }
  let converged = false;
  for (let restart = 0; best !== undefined && Number.isFinite(best.value) && restart < MAX_RESTARTS; restart++) {
    const run = minimizeNelderMead(negative, best.point, { step: 0.1, maxIterations: 1500 });
    iterations += run.iterations;
    const improvement = best.value - run.value;
    if (run.value < best.value) best = run;
    if (run.converged && improvement <= RESTART_IMPROVEMENT * (1 + Math.abs(best.value))) {
      converged = true;
      break;
    }
  }
  return settle(model, best === undefined ? undefined : { ...best, converged }, iterations, options);
}

/** The best run as a fit: checked to be finite, and (unless allowed) converged away from the box's edge. */
function settle(
  model: string,
  best: { point: number[]; value: number; converged: boolean } | undefined,
  iterations: number,
  options: FitOptions,
): { params: number[]; logLikelihood: number; iterations: number; converged: boolean } {
  let converged = best?.converged ?? false;
  const params = best === undefined ? [] : best.point.map(Math.exp);
  const value = best === undefined ? Number.NaN : -best.value;
  if (best === undefined || !Number.isFinite(value) || !params.every((p) => Number.isFinite(p) && p > 0)) {
    throw new FitNotConvergedError(`the ${model} model found no finite likelihood on these data`, {
      hint: 'check the purchases for one customer holding most of them or amounts of 0, then fit again',
    });
  }
  if (best.point.some((x) => Math.abs(x) > MAX_LOG_PARAMETER - 1)) converged = false;
  if (!converged && options.allowUnconverged !== true) {
    throw new FitNotConvergedError(`the ${model} fit did not converge (after ${iterations} iterations, at ${describe(params)})`, {
      hint: 'fit on a longer history (an earlier first purchase or a later --as-of), or try another --unit',
    });
  }
  return { params, logLikelihood: value, iterations, converged };
}

/** Throws ThinDataError when the data cannot determine a model's parameters. */
export function requireEnoughCustomers(model: string, counts: { repeatCustomers: number; distinctAges?: number }): void {
  if (counts.repeatCustomers < MIN_REPEAT_CUSTOMERS) {
    throw new ThinDataError(
      `too few repeat customers to fit the ${model} model: ${counts.repeatCustomers}, it needs at least ${MIN_REPEAT_CUSTOMERS}`,
      { hint: 'fit as of a later date (--as-of), once more customers have bought a second time' },
    );
  }
  if (counts.distinctAges === 1) {
    throw new ThinDataError(`every customer's first purchase is on the same day: too short a history to fit the ${model} model`, {
      hint: 'import the order history from further back, so first purchases spread over more than one day',
    });
  }
}

function describe(params: number[]): string {
  return params.map((p) => p.toPrecision(3)).join(', ');
}
