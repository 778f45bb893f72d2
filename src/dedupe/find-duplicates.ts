import type { BlockingKey, BlockingOptions } from './block-candidates.js';
import { DEFAULT_BLOCKING_KEYS, blockCandidates } from './block-candidates.js';
import type { RecordTable } from './build-record-table.js';
import { buildRecordTable } from './build-record-table.js';
import { clusterPairs } from './cluster-pairs.js';
import { compareCandidates } from './compare-candidates.js';
import type { DedupeRecord } from './dedupe-record.js';
import type { MatchModel } from './estimate-parameters.js';
import { estimateParameters } from './estimate-parameters.js';
import type { Scorer } from './score-pairs.js';
import { createScorer, probabilityOfWeight, scorePairs, weightOfPair, weightOfProbability } from './score-pairs.js';

/**
 * Default match probability at or above which two records are proposed as the
 * same person (and merged by `dedupe --merge`). 0.9: a proposed merge is at
 * least nine times as likely to be right as wrong under the fitted model.
 */
export const DEFAULT_MATCH_THRESHOLD = 0.9;

/** Default average cross-pair probability two clusters need to join (see clusterPairs). */
export const DEFAULT_CLUSTER_COHESION = 0.5;

export interface FindDuplicatesOptions extends BlockingOptions {
  /** Match probability threshold (default DEFAULT_MATCH_THRESHOLD). */
  threshold?: number;
  cohesion?: number;
  keys?: readonly BlockingKey[];
  uSampleSize?: number;
  seed?: number;
}

/** A proposed duplicate pair, by record id. */
export interface MatchedPair {
  a: number;
  b: number;
  weight: number;
  probability: number;
}

export interface DedupeResult {
  table: RecordTable;
  model: MatchModel;
  scorer: Scorer;
  candidatePairs: number;
  /** Candidate pairs at or above the threshold, strongest first. */
  matches: MatchedPair[];
  /** Groups of record ids judged to be one person (two or more each). */
  clusters: number[][];
  /** Seconds spent per stage. */
  timings: { prepare: number; block: number; compare: number; estimate: number; score: number; cluster: number };
}

/**
 * The whole engine: table → blocking → comparisons → unsupervised model →
 * scores → guarded clusters. Pure (no I/O) and deterministic for a given seed;
 * never throws for odd data (blank fields are simply missing).
 * @example findDuplicates(customers).clusters // [[12, 40], [7, 8, 91]]
 */
export function findDuplicates(records: readonly DedupeRecord[], options: FindDuplicatesOptions = {}): DedupeResult {
  const threshold = options.threshold ?? DEFAULT_MATCH_THRESHOLD;
  let t = performance.now();
  const lap = (): number => {
    const now = performance.now();
    const s = (now - t) / 1000;
    t = now;
    return s;
  };
  const table = buildRecordTable(records);
  const prepare = lap();
  const pairs = blockCandidates(table, options.keys ?? DEFAULT_BLOCKING_KEYS, options);
  const block = lap();
  const vectors = compareCandidates(table, pairs);
  const compare = lap();
  const model = estimateParameters(table, vectors, {
    ...(options.uSampleSize === undefined ? {} : { uSampleSize: options.uSampleSize }),
    ...(options.seed === undefined ? {} : { seed: options.seed }),
  });
  const scorer = createScorer(table, model);
  const estimate = lap();
  const weights = scorePairs(scorer, pairs, vectors);
  const score = lap();
  const thresholdWeight = weightOfProbability(threshold);
  const rows = clusterPairs(
    { left: pairs.left, right: pairs.right, weights, count: pairs.count },
    {
      thresholdWeight,
      cohesion: options.cohesion ?? DEFAULT_CLUSTER_COHESION,
      weightOf: (i, j) => weightOfPair(scorer, i, j),
    },
  );
  const matches: MatchedPair[] = [];
  for (let p = 0; p < pairs.count; p++) {
    const w = weights[p] ?? -Infinity;
    if (w < thresholdWeight) continue;
    matches.push({
      a: table.ids[pairs.left[p] ?? 0] ?? 0,
      b: table.ids[pairs.right[p] ?? 0] ?? 0,
      weight: w,
      probability: probabilityOfWeight(w),
    });
  }
  matches.sort((x, y) => y.weight - x.weight);
  const clusters = rows.map((members) => members.map((r) => table.ids[r] ?? 0));
  const cluster = lap();
  return {
    table,
    model,
    scorer,
    candidatePairs: pairs.count,
    matches,
    clusters,
    timings: { prepare, block, compare, estimate, score, cluster },
  };
}
