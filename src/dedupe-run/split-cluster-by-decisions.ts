export interface ClusterLink {
  a: number;
  b: number;
  probability: number;
}

export interface SplitOptions {
  /** Links below this probability never join members. */
  threshold: number;
  /** Probability that any two members are the same person (for the cohesion check). */
  probabilityOf: (a: number, b: number) => number;
  /** Average cross probability two groups need to join (default 0.5, as the engine). */
  cohesion?: number;
}

/**
 * Re-forms one cluster from its links, strongest first, never putting two
 * customers someone marked "not the same person" in one group. Two groups join
 * only if no pair across them is distinct and their members agree on average.
 * Returns the groups of two or more ids (ascending). Pure.
 * @example splitClusterByDecisions([{a:1,b:2,probability:.99},{a:2,b:3,probability:.95}], (x,y)=>x===1&&y===3, …) // [[1, 2]]
 */
export function splitClusterByDecisions(links: readonly ClusterLink[], isDistinct: (a: number, b: number) => boolean, options: SplitOptions): number[][] {
  const cohesion = options.cohesion ?? 0.5;
  const groupOf = new Map<number, number[]>();
  const membersOf = (id: number): number[] => {
    let members = groupOf.get(id);
    if (!members) {
      members = [id];
      groupOf.set(id, members);
    }
    return members;
  };
  const sorted = links.filter((l) => l.probability >= options.threshold).sort((x, y) => y.probability - x.probability);
  for (const link of sorted) {
    const a = membersOf(link.a);
    const b = membersOf(link.b);
    if (a === b) continue;
    let blocked = false;
    let sum = 0;
    for (const x of a) {
      for (const y of b) {
        if (isDistinct(Math.min(x, y), Math.max(x, y))) blocked = true;
        else if (a.length > 1 || b.length > 1) sum += options.probabilityOf(x, y);
      }
    }
    if (blocked) continue;
    if ((a.length > 1 || b.length > 1) && sum / (a.length * b.length) < cohesion) continue;
    const [big, small] = a.length >= b.length ? [a, b] : [b, a];
    for (const id of small) {
      big.push(id);
      groupOf.set(id, big);
    }
  }
  const seen = new Set<number[]>();
  const groups: number[][] = [];
  for (const members of groupOf.values()) {
    if (members.length < 2 || seen.has(members)) continue;
    seen.add(members);
    groups.push(members.slice().sort((x, y) => x - y));
  }
  return groups.sort((x, y) => (x[0] ?? 0) - (y[0] ?? 0));
}
