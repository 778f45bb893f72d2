import type { CustomerDuplicates, DuplicatePair } from './find-customer-duplicates.js';

export interface ReviewItem {
  ids: number[];
  probability: number;
  pairs: DuplicatePair[];
  /** Why the importer flagged some pair of the group, when it did. */
  flagged: string | null;
}

/** Orders what --review shows: possible duplicates flagged at import first, then the rest; most certain first within each. Pure. */
export function orderForReview(found: CustomerDuplicates): ReviewItem[] {
  const items: ReviewItem[] = [
    ...found.clusters.map((c) => ({ ids: c.ids, probability: c.probability, pairs: c.pairs, flagged: c.pairs.find((p) => p.flaggedAtImport !== null)?.flaggedAtImport ?? null })),
    ...found.possible.map((p) => ({ ids: [p.left, p.right], probability: p.probability, pairs: [p], flagged: p.flaggedAtImport })),
  ];
  return items.sort((x, y) => Number(y.flagged !== null) - Number(x.flagged !== null) || y.probability - x.probability || (x.ids[0] ?? 0) - (y.ids[0] ?? 0));
}
