/** Scored links between rows: parallel arrays, one entry per pair. */
export interface ScoredLinks {
  readonly left: ArrayLike<number>;
  readonly right: ArrayLike<number>;
  readonly weights: ArrayLike<number>;
  readonly count: number;
}

export interface ClusterOptions {
  /** Links with a match weight at or above this join clusters. */
  thresholdWeight: number;
  /**
   * Two clusters (one with 2+ members) only join when the average match
   * probability over all their cross pairs is at least this (default 0.5):
   * a single weak bridge cannot chain unrelated people together.
   */
  cohesion?: number;
  /** Match weight of any two rows, for cross pairs that were never candidates. */
  weightOf: (i: number, j: number) => number;
}

/**
 * Groups rows into clusters of the same person. Links at or above the
 * threshold are taken strongest first; singletons join on one link, but two
 * clusters join only if their members agree on average (see `cohesion`), so
 * A–B–C–D linked only through weak consecutive pairs does not become one
 * person. Returns clusters of two or more rows (row numbers ascending, clusters
 * ordered by their first row). Never throws.
 */
export function clusterPairs(links: ScoredLinks, options: ClusterOptions): number[][] {
  const cohesion = options.cohesion ?? 0.5;
  const strong: number[] = [];
  for (let p = 0; p < links.count; p++) if ((links.weights[p] ?? -Infinity) >= options.thresholdWeight) strong.push(p);
  strong.sort((a, b) => (links.weights[b] ?? 0) - (links.weights[a] ?? 0));

  const clusterOf = new Map<number, number[]>();
  const membersOf = (row: number): number[] => {
    let members = clusterOf.get(row);
    if (members === undefined) {
      members = [row];
      clusterOf.set(row, members);
    }
    return members;
  };
  for (const p of strong) {
    const a = membersOf(links.left[p] ?? 0);
    const b = membersOf(links.right[p] ?? 0);
    if (a === b) continue;
    if (a.length > 1 || b.length > 1) {
      let sum = 0;
      for (const x of a) for (const y of b) sum += 1 / (1 + 2 ** -options.weightOf(x, y));
      if (sum / (a.length * b.length) < cohesion) continue;
    }
    const [big, small] = a.length >= b.length ? [a, b] : [b, a];
    for (const row of small) {
      big.push(row);
      clusterOf.set(row, big);
    }
  }
  const seen = new Set<number[]>();
  const clusters: number[][] = [];
  for (const members of clusterOf.values()) {
    if (members.length < 2 || seen.has(members)) continue;
    seen.add(members);
    clusters.push(members.slice().sort((x, y) => x - y));
  }
  return clusters.sort((x, y) => (x[0] ?? 0) - (y[0] ?? 0));
}
