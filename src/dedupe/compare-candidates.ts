import type { CandidatePairs } from './block-candidates.js';
import type { RecordTable } from './build-record-table.js';
import { compareFields } from './compare-fields.js';

/** The comparison vector of every candidate pair, in pair order. Never throws. */
export function compareCandidates(table: RecordTable, pairs: CandidatePairs): Uint32Array {
  const vectors = new Uint32Array(pairs.count);
  for (let p = 0; p < pairs.count; p++) vectors[p] = compareFields(table, pairs.left[p] ?? 0, pairs.right[p] ?? 0);
  return vectors;
}
