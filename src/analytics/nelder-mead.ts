export interface MinimizeResult {
  point: number[];
  value: number;
  iterations: number;
  converged: boolean;
}

export interface MinimizeOptions {
  /** Stop when the simplex's values differ by less than this (relative to 1 + |best|). */
  valueTolerance?: number;
  /** …and its vertices by less than this in every coordinate. */
  pointTolerance?: number;
  maxIterations?: number;
  /** Edge of the starting simplex along each axis. */
  step?: number;
}

/**
 * Minimises `f` from `start` by the Nelder–Mead simplex method (reflection 1,
 * expansion 2, contraction ½, shrink ½). A non-finite value counts as +∞, so `f`
 * may return NaN or ∞ where it is undefined. Never throws.
 */
export function minimizeNelderMead(f: (point: number[]) => number, start: number[], options: MinimizeOptions = {}): MinimizeResult {
  const valueTolerance = options.valueTolerance ?? 1e-12;
  const pointTolerance = options.pointTolerance ?? 1e-7;
  const maxIterations = options.maxIterations ?? 5000;
  const step = options.step ?? 0.5;
  const n = start.length;
  const value = (point: number[]): number => {
    const v = f(point);
    return Number.isFinite(v) ? v : Number.POSITIVE_INFINITY;
  };

  const simplex: number[][] = [start.slice()];
  for (let i = 0; i < n; i++) {
    const vertex = start.slice();
    vertex[i]! += step;
    simplex.push(vertex);
  }
  let values = simplex.map(value);

  for (let iteration = 0; iteration < maxIterations; iteration++) {
    const order = values.map((_, i) => i).sort((i, j) => values[i]! - values[j]!);
    const sortedSimplex = order.map((i) => simplex[i]!);
    values = order.map((i) => values[i]!);
    simplex.splice(0, simplex.length, ...sortedSimplex);
    const best = simplex[0]!;
    const worst = simplex[n]!;

    if (hasSettled(simplex, values, valueTolerance, pointTolerance)) {
      return { point: best, value: values[0]!, iterations: iteration, converged: true };
    }

    const centroid = new Array<number>(n).fill(0);
    for (let i = 0; i < n; i++) for (let k = 0; k < n; k++) centroid[k]! += simplex[i]![k]! / n;
    const along = (t: number): number[] => centroid.map((c, k) => c + t * (worst[k]! - c));

    const reflected = along(-1);
    const reflectedValue = value(reflected);
    if (reflectedValue < values[0]!) {
      const expanded = along(-2);
      const expandedValue = value(expanded);
      replaceWorst(expandedValue < reflectedValue ? expanded : reflected, Math.min(expandedValue, reflectedValue));
      continue;
    }
    if (reflectedValue < values[n - 1]!) {
      replaceWorst(reflected, reflectedValue);
      continue;
    }
    const outside = reflectedValue < values[n]!;
    const contracted = along(outside ? -0.5 : 0.5);
    const contractedValue = value(contracted);
    if (contractedValue < (outside ? reflectedValue : values[n]!)) {
      replaceWorst(contracted, contractedValue);
      continue;
    }
    for (let i = 1; i <= n; i++) {
      simplex[i] = simplex[i]!.map((x, k) => best[k]! + 0.5 * (x - best[k]!));
      values[i] = value(simplex[i]!);
    }
  }
  const bestIndex = values.indexOf(Math.min(...values));
  return { point: simplex[bestIndex]!, value: values[bestIndex]!, iterations: maxIterations, converged: false };

  function replaceWorst(point: number[], pointValue: number): void {
    simplex[n] = point;
    values[n] = pointValue;
  }
}

function hasSettled(simplex: number[][], values: number[], valueTolerance: number, pointTolerance: number): boolean {
  const best = values[0]!;
  if (!Number.isFinite(best)) return false;
  const spread = values[values.length - 1]! - best;
  if (!(spread <= valueTolerance * (1 + Math.abs(best)))) return false;
  return simplex.every((vertex) => vertex.every((x, k) => Math.abs(x - simplex[0]![k]!) <= pointTolerance));
}
