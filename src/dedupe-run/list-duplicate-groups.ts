import type { CustomerDuplicates, DuplicatePair } from './find-customer-duplicates.js';

/** One group as the list shows it: a cluster, or a pair the importer flagged that scores below the threshold. */
export interface DuplicateGroup {
  /** Position in the list, from 1: clusters most certain first, then the possible duplicates. */
  number: number;
  /** Customer ids, ascending. */
  ids: number[];
  probability: number;
  flaggedAtImport: boolean;
  /** True for an import-flagged pair below the threshold (a possible duplicate, not a match). */
  possible: boolean;
  /** The pair with the highest weight, whose reasons say why the group is one person. */
  strongest: DuplicatePair | undefined;
}

/**
 * Every group `dedupe` lists, in list order: the clusters (most certain first),
 * then the possible duplicates flagged at import (most likely first). Pure.
 */
export function listDuplicateGroups(found: CustomerDuplicates): DuplicateGroup[] {
  const groups: DuplicateGroup[] = found.clusters.map((c, k) => ({
    number: k + 1,
    ids: c.ids,
    probability: c.probability,
    flaggedAtImport: c.flaggedAtImport,
    possible: false,
    strongest: c.pairs[0],
  }));
  found.possible.forEach((p, k) =>
    groups.push({ number: found.clusters.length + k + 1, ids: [p.left, p.right], probability: p.probability, flaggedAtImport: true, possible: true, strongest: p }),
  );
  return groups;
}
