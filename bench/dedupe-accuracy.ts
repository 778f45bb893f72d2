/**
 * Accuracy of the dedupe engine on public labelled sets (FEBRL 1 and 2 without
 * soc_sec_id, Splink's fake_1000). Predicted pairs are all pairs inside the
 * clusters the engine would merge at its default threshold; true pairs are all
 * pairs of records of the same entity.
 *
 * Run: npx tsc -p tsconfig.json --outDir /tmp/dd-out && node /tmp/dd-out/bench/dedupe-accuracy.js [dataDir]
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { DedupeRecord } from '../src/dedupe/dedupe-record.js';
import { findDuplicates } from '../src/dedupe/find-duplicates.js';

export interface AccuracyRow {
  dataset: string;
  records: number;
  truePairs: number;
  predictedPairs: number;
  precision: number;
  recall: number;
  f1: number;
  seconds: number;
}

interface LabelledSet {
  name: string;
  records: DedupeRecord[];
  /** Entity label per record, same order. */
  entities: string[];
}

function blankToUndefined(s: string | undefined): string | undefined {
  const t = (s ?? '').trim();
  return t === '' ? undefined : t;
}

/** FEBRL YYYYMMDD → YYYY-MM-DD; anything else (blank, wrong length) → undefined. */
function febrlDate(raw: string | undefined): string | undefined {
  const s = (raw ?? '').trim();
  if (!/^\d{8}$/.test(s)) return undefined;
  return `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}`;
}

export function readFebrl(path: string, name: string): LabelledSet {
  const lines = readFileSync(path, 'utf8').split(/\r?\n/).filter((l) => l.trim() !== '');
  const header = (lines.shift() ?? '').split(',').map((h) => h.trim());
  const col = (field: string): number => header.indexOf(field);
  const records: DedupeRecord[] = [];
  const entities: string[] = [];
  lines.forEach((line, k) => {
    const v = line.split(', ');
    const get = (field: string): string | undefined => blankToUndefined(v[col(field)]);
    const recId = get('rec_id') ?? '';
    entities.push(/^rec-(\d+)-/.exec(recId)?.[1] ?? recId);
    const street = [get('street_number'), get('address_1')].filter((x) => x !== undefined).join(' ');
    // soc_sec_id is deliberately dropped: it is a near-unique id that would make the task trivial.
    records.push({
      id: k + 1,
      firstName: get('given_name'),
      lastName: get('surname'),
      addressLine1: street === '' ? undefined : street,
      addressLine2: get('address_2'),
      city: get('suburb'),
      postalCode: get('postcode'),
      region: get('state'),
      birthDate: febrlDate(get('date_of_birth')),
    });
  });
  return { name, records, entities };
}

export function readFake1000(path: string): LabelledSet {
  const lines = readFileSync(path, 'utf8').split(/\r?\n/).filter((l) => l.trim() !== '');
  const header = (lines.shift() ?? '').split(',');
  const col = (field: string): number => header.indexOf(field);
  const records: DedupeRecord[] = [];
  const entities: string[] = [];
  lines.forEach((line, k) => {
    const v = line.split(',');
    const get = (field: string): string | undefined => blankToUndefined(v[col(field)]);
    entities.push(get('cluster') ?? `none-${k}`);
    records.push({
      id: k + 1,
      firstName: get('first_name'),
      lastName: get('surname'),
      birthDate: get('dob'),
      city: get('city'),
      email: get('email')?.toLowerCase(),
    });
  });
  return { name: 'fake_1000', records, entities };
}

function pairKey(a: number, b: number): string {
  return a < b ? `${a}:${b}` : `${b}:${a}`;
}

/** Runs the engine at its defaults on one labelled set and scores it pairwise. */
export function measureSet(set: LabelledSet): AccuracyRow {
  const started = performance.now();
  const result = findDuplicates(set.records);
  const seconds = (performance.now() - started) / 1000;
  const entityOf = new Map<number, string>();
  set.records.forEach((r, k) => entityOf.set(r.id, set.entities[k] ?? ''));
  const byEntity = new Map<string, number[]>();
  set.records.forEach((r, k) => {
    const e = set.entities[k] ?? '';
    const list = byEntity.get(e);
    if (list === undefined) byEntity.set(e, [r.id]);
    else list.push(r.id);
  });
  let truePairs = 0;
  for (const ids of byEntity.values()) truePairs += (ids.length * (ids.length - 1)) / 2;
  const predicted = new Set<string>();
  for (const cluster of result.clusters) {
    for (let x = 0; x < cluster.length; x++) {
      for (let y = x + 1; y < cluster.length; y++) predicted.add(pairKey(cluster[x] ?? 0, cluster[y] ?? 0));
    }
  }
  let correct = 0;
  for (const key of predicted) {
    const [a, b] = key.split(':').map(Number);
    if (entityOf.get(a ?? -1) === entityOf.get(b ?? -2)) correct++;
  }
  const precision = predicted.size === 0 ? 0 : correct / predicted.size;
  const recall = truePairs === 0 ? 0 : correct / truePairs;
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { dataset: set.name, records: set.records.length, truePairs, predictedPairs: predicted.size, precision, recall, f1, seconds };
}

/** Precision / recall / F1 on FEBRL 1, FEBRL 2 (no soc_sec_id) and fake_1000 under `dataDir`. */
export function measureDedupeAccuracy(dataDir: string): AccuracyRow[] {
  return [
    readFebrl(join(dataDir, 'febrl', 'dataset1.csv'), 'FEBRL 1'),
    readFebrl(join(dataDir, 'febrl', 'dataset2.csv'), 'FEBRL 2'),
    readFake1000(join(dataDir, 'splink', 'fake_1000.csv')),
  ].map(measureSet);
}

function printTable(rows: AccuracyRow[]): void {
  const head = ['dataset', 'records', 'true pairs', 'predicted', 'precision', 'recall', 'F1', 'seconds'];
  const body = rows.map((r) => [
    r.dataset,
    String(r.records),
    String(r.truePairs),
    String(r.predictedPairs),
    r.precision.toFixed(4),
    r.recall.toFixed(4),
    r.f1.toFixed(4),
    r.seconds.toFixed(2),
  ]);
  const widths = head.map((h, c) => Math.max(h.length, ...body.map((row) => (row[c] ?? '').length)));
  for (const row of [head, ...body]) console.log(row.map((cell, c) => cell.padEnd(widths[c] ?? 0)).join('  '));
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  printTable(measureDedupeAccuracy(process.argv[2] ?? '/work/shared/data'));
}
