import type { MinimizeResult } from './nelder-mead.js';

/** A function's value and gradient at one point. */
export interface ValueAndGradient {
  value: number;
  gradient: number[];
}

export interface BfgsOptions {
  /** Stop when every gradient component is below this times 1 + |value|… */
  gradientTolerance?: number;
  /** …or when a step lowers the value by less than this times 1 + |value|: on a flat ridge the value is settled though the point is not. */
  valueTolerance?: number;
  maxIterations?: number;
  /** The longest step along any coordinate: the variables are logarithms, so 1 is a factor of e. */
  maxStep?: number;
}

/**
 * Minimises `f` from `start` by BFGS (Broyden–Fletcher–Goldfarb–Shanno, the inverse
 * Hessian updated from each step) with a backtracking (Armijo) line search. A
 * non-finite value counts as +∞, so the search backs off from where `f` is undefined.
 * Never throws; `converged` is false when the gradient did not get small.
 */
export function minimizeBfgs(f: (point: number[]) => ValueAndGradient, start: number[], options: BfgsOptions = {}): MinimizeResult & { evaluations: number } {
  const tolerance = options.gradientTolerance ?? 1e-7;
  const valueTolerance = options.valueTolerance ?? 1e-12;
  const maxIterations = options.maxIterations ?? 200;
  const maxStep = options.maxStep ?? 1;
  const n = start.length;
  let evaluations = 0;
  const evaluate = (point: number[]): ValueAndGradient => {
    evaluations += 1;
    const result = f(point);
    return Number.isFinite(result.value) && result.gradient.every(Number.isFinite) ? result : { value: Number.POSITIVE_INFINITY, gradient: result.gradient };
  };
  let point = start.slice();
  let here = evaluate(point);
  let inverse = identity(n);
  let scaled = false;
  for (let iteration = 0; iteration < maxIterations; iteration++) {
    if (!Number.isFinite(here.value)) return { point, value: here.value, iterations: iteration, converged: false, evaluations };
    if (here.gradient.every((g) => Math.abs(g) <= tolerance * (1 + Math.abs(here.value)))) {
      return { point, value: here.value, iterations: iteration, converged: true, evaluations };
    }
    let direction = multiply(inverse, here.gradient).map((d) => -d);
    let slope = dot(direction, here.gradient);
    if (!(slope < 0)) {
      // Not a descent direction (curvature information gone wrong): start again from steepest descent.
      inverse = identity(n);
      scaled = false;
      direction = here.gradient.map((g) => -g);
      slope = dot(direction, here.gradient);
    }
    const longest = Math.max(...direction.map(Math.abs));
    let step = longest > maxStep ? maxStep / longest : 1;
    let next: ValueAndGradient | undefined;
    let nextPoint: number[] = point;
    for (let halving = 0; halving < 50; halving++) {
      nextPoint = point.map((x, k) => x + step * direction[k]!);
      const trial = evaluate(nextPoint);
      if (trial.value <= here.value + 1e-4 * step * slope) {
        next = trial;
        break;
      }
      step /= 2;
    }
    // No step lowers the value: as close to the minimum as the arithmetic allows.
    if (next === undefined) {
      const small = here.gradient.every((g) => Math.abs(g) <= Math.sqrt(tolerance) * (1 + Math.abs(here.value)));
      return { point, value: here.value, iterations: iteration, converged: small, evaluations };
    }
    const s = nextPoint.map((x, k) => x - point[k]!);
    const y = next.gradient.map((g, k) => g - here.gradient[k]!);
    const sy = dot(s, y);
    if (sy > 1e-12 * Math.sqrt(dot(s, s) * dot(y, y))) {
      if (!scaled) {
        // The first step tells the scale of the Hessian: start the approximation there, not at the identity.
        inverse = identity(n).map((row) => row.map((v) => (v * sy) / dot(y, y)));
        scaled = true;
      }
      inverse = updateInverse(inverse, s, y, sy);
    }
    const improvement = here.value - next.value;
    point = nextPoint;
    here = next;
    if (improvement <= valueTolerance * (1 + Math.abs(here.value))) return { point, value: here.value, iterations: iteration + 1, converged: true, evaluations };
  }
  return { point, value: here.value, iterations: maxIterations, converged: false, evaluations };
}

/** H ← (I − ρ s yᵀ) H (I − ρ y sᵀ) + ρ s sᵀ, ρ = 1 / yᵀs. */
function updateInverse(h: number[][], s: number[], y: number[], sy: number): number[][] {
  const rho = 1 / sy;
  const hy = multiply(h, y);
  const yhy = dot(y, hy);
  return h.map((row, i) => row.map((v, j) => v - rho * (hy[i]! * s[j]! + s[i]! * hy[j]!) + (rho * rho * yhy + rho) * s[i]! * s[j]!));
}

function identity(n: number): number[][] {
  return Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)));
}

function multiply(m: number[][], v: number[]): number[] {
  return m.map((row) => dot(row, v));
}

function dot(u: number[], v: number[]): number {
  let sum = 0;
  for (let k = 0; k < u.length; k++) sum += u[k]! * v[k]!;
  return sum;
}
