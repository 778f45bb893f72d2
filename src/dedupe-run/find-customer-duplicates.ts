import { loadActiveSuspects, loadDedupeRecords, loadDistinctPairs, pairKey } from '../db/dedupe-records.js';
import type { Store } from '../db/store.js';
import { explainPair, type PairExplanation } from '../dedupe/explain-pair.js';
import { DEFAULT_MATCH_THRESHOLD, findDuplicates, type DedupeResult, type MatchedPair } from '../dedupe/find-duplicates.js';
import { probabilityOfWeight, weightOfPair } from '../dedupe/score-pairs.js';
import { splitClusterByDecisions } from './split-cluster-by-decisions.js';

/** One field's part in a pair's score. */
export interface PairReason {
  field: string;
  /** Comparison level, e.g. 'exact', 'nickname', 'different', 'missing' (stable, for machines). */
  level: string;
  /** Bits this field added to (or took from) the match weight. */
  weight: number;
  /** The level in words a shop owner reads, e.g. "same name before the @". */
  words: string;
  /** `words` with the weight, e.g. "same name before the @ (+6.6)". */
  text: string;
}

export interface DuplicatePair {
  left: number;
  right: number;
  probability: number;
  weight: number;
  /** 'match': at or above the threshold; 'possible': flagged at import, below the threshold. */
  decision: 'match' | 'possible';
  /** Why the importer flagged the pair, when it did. */
  flaggedAtImport: string | null;
  /** Every compared field's part in the weight; worded when read, so read it once and keep the result. */
  reasons: PairReason[];
}

export interface DuplicateCluster {
  /** Customer ids, ascending. */
  ids: number[];
  /** Weakest link that holds the cluster together (1.0 = certain). */
  probability: number;
  /** True when the importer flagged some pair of it as a possible duplicate. */
  flaggedAtImport: boolean;
  /** Every pair of members, strongest first. */
  pairs: DuplicatePair[];
}

export interface CustomerDuplicates {
  threshold: number;
  /** Active customers compared. */
  customers: number;
  candidatePairs: number;
  /** Pairs at or above the threshold, strongest first, then possible duplicates flagged at import. */
  pairs: DuplicatePair[];
  /** Groups judged to be one person, most certain first. */
  clusters: DuplicateCluster[];
  /** Import-flagged pairs below the threshold (not in any cluster), most likely first. */
  possible: DuplicatePair[];
  /** Pairs left out because someone said they are not the same person. */
  skippedDistinct: number;
  /** Explains any two active customers by id (undefined when either is not active). */
  explain: (idA: number, idB: number) => PairExplanation | undefined;
  seconds: number;
}

export interface FindCustomerDuplicatesOptions {
  threshold?: number;
  seed?: number;
}

/**
 * Loads every active customer, runs the dedupe engine, and leaves out pairs
 * recorded as "not the same person": clusters that would hold such a pair are
 * split. Returns pairs and clusters with field-by-field reasons; changes nothing.
 */
export async function findCustomerDuplicates(store: Store, options: FindCustomerDuplicatesOptions = {}): Promise<CustomerDuplicates> {
  const started = performance.now();
  const threshold = options.threshold ?? DEFAULT_MATCH_THRESHOLD;
  const records = await loadDedupeRecords(store);
  const distinct = await loadDistinctPairs(store);
  const result = findDuplicates(records, { threshold, seed: options.seed ?? 1 });
  const rowOf = new Map<number, number>();
  result.table.ids.forEach((id, row) => rowOf.set(id, row));

  const describe = (a: number, b: number, decision: DuplicatePair['decision'], flagged: string | null): DuplicatePair | undefined => {
    const i = rowOf.get(a);
    const j = rowOf.get(b);
    if (i === undefined || j === undefined) return undefined;
    const { probability, weight } = explainPair(result.scorer, i, j);
    return toPair(a, b, probability, weight, decision, flagged, () => explainPair(result.scorer, i, j));
  };

  const suspects = new Map<string, string>();
  for (const s of await loadActiveSuspects(store)) suspects.set(pairKey(s.customerId, s.otherId), s.reason);

  const matches = result.matches.filter((m) => !distinct.has(pairKey(m.a, m.b)));
  const skippedDistinct = result.matches.length - matches.length;
  // Described once and shared by `pairs` and the clusters: on a large result each description is held only once.
  const matchPairs = new Map<string, DuplicatePair>();
  for (const m of matches) {
    const key = pairKey(m.a, m.b);
    const pair = describe(m.a, m.b, 'match', suspects.get(key) ?? null);
    if (pair) matchPairs.set(key, pair);
  }
  const clusters = buildClusters(result, matches, distinct, rowOf, threshold)
    .map((ids): DuplicateCluster => {
      const pairs: DuplicatePair[] = [];
      for (let x = 0; x < ids.length; x++) {
        for (let y = x + 1; y < ids.length; y++) {
          const a = ids[x] ?? 0;
          const b = ids[y] ?? 0;
          const key = pairKey(a, b);
          const pair = matchPairs.get(key) ?? describe(a, b, 'match', suspects.get(key) ?? null);
          if (pair) pairs.push(pair);
        }
      }
      pairs.sort((p, q) => q.weight - p.weight);
      return { ids, probability: weakestLink(ids, pairs), flaggedAtImport: pairs.some((p) => p.flaggedAtImport !== null), pairs };
    })
    .sort((c, d) => d.probability - c.probability || (c.ids[0] ?? 0) - (d.ids[0] ?? 0));

  const inCluster = new Map<number, number>();
  clusters.forEach((c, k) => c.ids.forEach((id) => inCluster.set(id, k)));
  const possible: DuplicatePair[] = [];
  for (const [key, reason] of suspects) {
    if (distinct.has(key)) continue;
    const [a, b] = key.split(':').map(Number) as [number, number];
    const clusterA = inCluster.get(a);
    if (clusterA !== undefined && clusterA === inCluster.get(b)) continue;
    const pair = describe(a, b, 'possible', reason);
    if (pair) possible.push(pair);
  }
  possible.sort((p, q) => q.weight - p.weight);

  return {
    threshold,
    customers: records.length,
    candidatePairs: result.candidatePairs,
    pairs: [...matchPairs.values(), ...possible],
    clusters,
    possible,
    skippedDistinct,
    explain: (idA, idB) => {
      const i = rowOf.get(idA);
      const j = rowOf.get(idB);
      return i === undefined || j === undefined ? undefined : explainPair(result.scorer, i, j);
    },
    seconds: (performance.now() - started) / 1000,
  };
}

function toPair(
  a: number,
  b: number,
  probability: number,
  weight: number,
  decision: DuplicatePair['decision'],
  flagged: string | null,
  explain: () => PairExplanation,
): DuplicatePair {
  const [left, right] = a < b ? [a, b] : [b, a];
  return {
    left,
    right,
    probability,
    weight,
    decision,
    flaggedAtImport: flagged,
    // Worded again on each read instead of kept: held for every pair, the reasons of a large result outweigh the pairs.
    get reasons() {
      return explain().fields.map((f) => ({ field: f.field, level: f.level, weight: f.weight, words: f.words, text: f.text }));
    },
  };
}

/** The engine's clusters, with any cluster that holds a "not the same" pair split apart. */
function buildClusters(result: DedupeResult, matches: MatchedPair[], distinct: Set<string>, rowOf: Map<number, number>, threshold: number): number[][] {
  if (distinct.size === 0) return result.clusters;
  const out: number[][] = [];
  for (const ids of result.clusters) {
    let clean = true;
    for (let x = 0; x < ids.length && clean; x++) for (let y = x + 1; y < ids.length; y++) if (distinct.has(pairKey(ids[x] ?? 0, ids[y] ?? 0))) clean = false;
    if (clean) {
      out.push(ids);
      continue;
    }
    const members = new Set(ids);
    const links = matches
      .filter((m) => members.has(m.a) && members.has(m.b))
      .map((m) => ({ a: m.a, b: m.b, probability: m.probability }));
    const probabilityOf = (a: number, b: number): number => probabilityOfWeight(weightOfPair(result.scorer, rowOf.get(a) ?? 0, rowOf.get(b) ?? 0));
    out.push(...splitClusterByDecisions(links, (a, b) => distinct.has(pairKey(a, b)), { threshold, probabilityOf }));
  }
  return out;
}

/** The weakest link of the strongest tree joining the members (for two members: their probability). */
function weakestLink(ids: number[], pairs: DuplicatePair[]): number {
  const group = new Map<number, number>(ids.map((id) => [id, id]));
  const find = (x: number): number => {
    let r = x;
    while (group.get(r) !== r) r = group.get(r) ?? r;
    return r;
  };
  let weakest = 1;
  let joined = 1;
  for (const pair of pairs) {
    const a = find(pair.left);
    const b = find(pair.right);
    if (a === b) continue;
    group.set(a, b);
    weakest = Math.min(weakest, pair.probability);
    if (++joined === ids.length) break;
  }
  return weakest;
}

/**
 * Default threshold of `dedupe --merge`: merges run without a person looking at
 * each group, so only groups the model is 99% sure of are merged unless told otherwise.
 */
export const DEFAULT_MERGE_THRESHOLD = 0.99;
export { DEFAULT_MATCH_THRESHOLD };
