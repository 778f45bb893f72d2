/**
 * Time and peak memory of the dedupe engine on N synthetic customers.
 * Run: node /tmp/dd-out/bench/dedupe-speed.js 100000 1000000
 */
import { pathToFileURL } from 'node:url';
import { findDuplicates } from '../src/dedupe/find-duplicates.js';
import { generateCustomers } from './generate-customers.js';

export interface SpeedRow {
  records: number;
  candidatePairs: number;
  seconds: number;
  /** CPU seconds (user + system) of the run: the honest figure on a shared machine. */
  cpuSeconds: number;
  stages: Record<string, number>;
  peakRssMiB: number;
  precision: number;
  recall: number;
  f1: number;
}

/** Runs the engine once on `n` generated customers; reports time, peak RSS and pairwise accuracy against the generator's truth. */
export function measureDedupeSpeed(n: number, seed = 42): SpeedRow {
  const { records, entities } = generateCustomers(n, seed);
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  const result = findDuplicates(records);
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const peakRssMiB = process.resourceUsage().maxRSS / 1024;
  const entityOfId = (id: number): number => entities[id - 1] ?? -1;
  const perEntity = new Map<number, number>();
  for (const e of entities) perEntity.set(e, (perEntity.get(e) ?? 0) + 1);
  let truePairs = 0;
  for (const c of perEntity.values()) truePairs += (c * (c - 1)) / 2;
  let predicted = 0;
  let correct = 0;
  for (const cluster of result.clusters) {
    for (let x = 0; x < cluster.length; x++) {
      for (let y = x + 1; y < cluster.length; y++) {
        predicted++;
        if (entityOfId(cluster[x] ?? 0) === entityOfId(cluster[y] ?? 0)) correct++;
      }
    }
  }
  const precision = predicted === 0 ? 0 : correct / predicted;
  const recall = truePairs === 0 ? 0 : correct / truePairs;
  return {
    records: n,
    candidatePairs: result.candidatePairs,
    seconds,
    cpuSeconds,
    stages: result.timings,
    peakRssMiB,
    precision,
    recall,
    f1: precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall),
  };
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const sizes = process.argv.slice(2).map(Number);
  for (const n of sizes.length > 0 ? sizes : [100_000]) {
    const row = measureDedupeSpeed(n);
    const stages = Object.entries(row.stages).map(([k, v]) => `${k} ${v.toFixed(1)}s`).join(', ');
    console.log(
      `${row.records} records: ${row.seconds.toFixed(1)} s wall, ${row.cpuSeconds.toFixed(1)} s CPU (${stages}), ${row.candidatePairs} candidate pairs, ` +
        `peak RSS ${row.peakRssMiB.toFixed(0)} MiB, P ${row.precision.toFixed(4)} R ${row.recall.toFixed(4)} F1 ${row.f1.toFixed(4)}`,
    );
  }
}
