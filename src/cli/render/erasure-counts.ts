import type { ErasureCounts } from '../../db/erase-customers.js';
import { formatCount } from './format-count.js';

/** The preview of an erasure, one kind a line; kinds with nothing to erase are left out. */
export function describeErasureCounts(counts: ErasureCounts): string[] {
  const lines: [number, string][] = [
    [counts.customers, 'customer records anonymised (the person and records merged into them)'],
    [counts.identities, 'ids from sources'],
    [counts.tags, 'tags'],
    [counts.attributes, 'custom fields'],
    [counts.changes, 'change records emptied of their values'],
    [counts.merges, 'merge records emptied of their snapshots'],
    [counts.interactions, "interactions' text"],
    [counts.duplicateFlags, 'duplicate flags and decisions'],
    [counts.importBatches, 'import batches cleaned of their values'],
    [counts.suppressions, 'identifiers kept as keyed hashes, so imports reject them'],
  ];
  const shown = lines.filter(([n]) => n > 0).map(([n, what]) => `  ${formatCount(n).padStart(6)}  ${what}`);
  shown.push(`  ${formatCount(counts.ordersKept).padStart(6)}  orders kept for the books (ids, dates, amounts, items), attached to the anonymised customer`);
  return shown;
}
