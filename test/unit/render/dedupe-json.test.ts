import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { CustomerDuplicates, DuplicateCluster, DuplicatePair } from '../../../src/dedupe-run/find-customer-duplicates.js';
import { describePair, writeDedupeJson } from '../../../src/cli/render/dedupe-json.js';
import { roundTo } from '../../../src/cli/render/numbers.js';

function makePair(left: number, right: number): DuplicatePair {
  return {
    left,
    right,
    probability: 0.9912345678,
    weight: 12.34567,
    decision: 'match',
    flaggedAtImport: left % 7 === 0 ? 'looks like customer "x"' : null,
    reasons: ['firstName', 'lastName', 'email', 'birthDate', 'postalCode'].map((field) => ({ field, level: 'exact', weight: 3.21, words: `same ${field}`, text: `same ${field} (+3.2)` })),
  };
}

function makeResult(groups: number): CustomerDuplicates {
  const clusters: DuplicateCluster[] = [];
  for (let k = 0; k < groups; k++) clusters.push({ ids: [2 * k + 1, 2 * k + 2], probability: 0.99, flaggedAtImport: false, pairs: [makePair(2 * k + 1, 2 * k + 2)] });
  return {
    threshold: 0.9,
    customers: 2 * groups,
    candidatePairs: 3 * groups,
    pairs: clusters.flatMap((c) => c.pairs),
    clusters,
    possible: [],
    skippedDistinct: 0,
    explain: () => undefined,
    seconds: 1.23456,
  };
}

/** The document `dedupe --json` printed before it was streamed, built whole. */
function wholeDocument(found: CustomerDuplicates): string {
  const document = {
    threshold: found.threshold,
    customers: found.customers,
    candidatePairs: found.candidatePairs,
    skippedDistinct: found.skippedDistinct,
    seconds: roundTo(found.seconds, 3),
    clusters: found.clusters.map((c) => c.ids),
    clusterDetails: found.clusters.map((c) => ({ ids: c.ids, probability: roundTo(c.probability, 6), flaggedAtImport: c.flaggedAtImport, survivor: Math.min(...c.ids) })),
    pairs: found.pairs.map(describePair),
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}

/** A stdout stand-in that keeps every write and, like a slow pipe, asks the writer to wait now and then. */
function recordingStream(): { stream: Writable; writes: string[] } {
  const writes: string[] = [];
  let calls = 0;
  const stream = new Writable({
    highWaterMark: 1 << 14,
    write(chunk: Buffer, _encoding, done) {
      writes.push(chunk.toString());
      if (++calls % 3 === 0) setImmediate(done);
      else done();
    },
  });
  return { stream, writes };
}

describe('writeDedupeJson', () => {
  it('writes exactly the document JSON.stringify(…, null, 2) gives, empty lists included', async () => {
    for (const found of [makeResult(3), makeResult(0)]) {
      const { stream, writes } = recordingStream();
      await writeDedupeJson(stream, found);
      expect(writes.join('')).toBe(wholeDocument(found));
    }
  });

  it('streams a large result in pieces of about 64 KiB, never one giant string, and the whole stays valid JSON', async () => {
    const groups = 40_000;
    const { stream, writes } = recordingStream();
    await writeDedupeJson(stream, makeResult(groups));
    const text = writes.join('');
    expect(text.length).toBeGreaterThan(40_000_000);
    expect(Math.max(...writes.map((w) => w.length))).toBeLessThan(80_000);
    const parsed = JSON.parse(text) as { clusters: number[][]; pairs: unknown[] };
    expect(parsed.clusters).toHaveLength(groups);
    expect(parsed.pairs).toHaveLength(groups);
  });
});
