import type { CustomerDuplicates, DuplicatePair } from '../../dedupe-run/find-customer-duplicates.js';
import { createChunkedWriter, type ChunkedWriter } from './chunked-writer.js';
import { roundTo } from './numbers.js';

/** A pair as `dedupe --json` gives it. */
export function describePair(pair: DuplicatePair) {
  return {
    left: pair.left,
    right: pair.right,
    probability: roundTo(pair.probability, 6),
    weight: roundTo(pair.weight, 3),
    decision: pair.decision,
    flaggedAtImport: pair.flaggedAtImport,
    reasons: pair.reasons.map((r) => ({ field: r.field, level: r.level, weight: roundTo(r.weight, 3), words: r.words, text: r.text })),
  };
}

/**
 * Writes the `dedupe --json` document to `out` piece by piece: the same text
 * JSON.stringify(document, null, 2) would give, without ever holding it whole
 * (a large result runs to gigabytes, past the longest string V8 allows).
 */
export async function writeDedupeJson(out: NodeJS.WritableStream, found: CustomerDuplicates): Promise<void> {
  const writer = createChunkedWriter(out);
  await writer.write('{\n');
  const scalars = {
    threshold: found.threshold,
    customers: found.customers,
    candidatePairs: found.candidatePairs,
    skippedDistinct: found.skippedDistinct,
    seconds: roundTo(found.seconds, 3),
  };
  for (const [key, value] of Object.entries(scalars)) await writer.write(`  ${JSON.stringify(key)}: ${JSON.stringify(value)},\n`);
  await writeArray(writer, 'clusters', found.clusters, (c) => c.ids);
  await writer.write(',\n');
  await writeArray(writer, 'clusterDetails', found.clusters, (c) => ({
    ids: c.ids,
    probability: roundTo(c.probability, 6),
    flaggedAtImport: c.flaggedAtImport,
    survivor: c.ids.reduce((a, b) => Math.min(a, b)),
  }));
  await writer.write(',\n');
  await writeArray(writer, 'pairs', found.pairs, describePair);
  await writer.write('\n}\n');
  await writer.flush();
}

/** One member of the top-level object holding an array, each item indented as JSON.stringify(…, null, 2) would at depth 2. */
async function writeArray<T>(writer: ChunkedWriter, key: string, items: readonly T[], toJson: (item: T) => unknown): Promise<void> {
  if (items.length === 0) {
    await writer.write(`  ${JSON.stringify(key)}: []`);
    return;
  }
  await writer.write(`  ${JSON.stringify(key)}: [\n`);
  let separator = '';
  for (const item of items) {
    await writer.write(`${separator}    ${JSON.stringify(toJson(item), null, 2).replaceAll('\n', '\n    ')}`);
    separator = ',\n';
  }
  await writer.write('\n  ]');
}
