/**
 * Customer metrics read timing: a segment-style count over every customer's
 * metrics (and a full stream of them) on a generated database of N customers
 * and 5N orders (bench/generate-metrics-db.ts, cached in bench-data/).
 * Target (DESIGN.md): an RFM / segment count over 1M customers, 5M orders in ≤ 3 s.
 *
 * Each read runs in a fresh process (bench/read-metrics.ts), so its peak RSS is
 * its own. Before reading, `custdb init` brings the cached database up to the
 * build's schema; when that applies migrations, their time is reported (it is
 * what an existing user's first command after upgrading costs).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureMetricsDb, metricsDbName } from './generate-metrics-db.js';
import type { MetricsReadMeasurement, SegmentCounts } from './read-metrics.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const ORDERS_PER_CUSTOMER = 5;

export interface MetricsBenchOptions {
  seed?: number;
  /** Reads per size; the figures are the median (default 1). */
  repeat?: number;
  dataDir?: string;
  custdbBin?: string;
  log?: (line: string) => void;
}

export interface MetricsMeasurement {
  customers: number;
  orders: number;
  /** Migrations `custdb init` applied to the cached database first, and how long that took (wall). */
  migrated: { names: string[]; wallSeconds: number };
  segment: { wallSeconds: number; cpuSeconds: number; counts: SegmentCounts };
  stream: { wallSeconds: number; cpuSeconds: number; rows: number };
  peakRssMiB: number;
  targets: { target: string; met: boolean; detail: string }[];
  load: [number, number];
}

/** Builds (once) and reads a database of `customers` customers and 5× as many orders. */
export function measureMetricsRead(customers: number, options: MetricsBenchOptions = {}): MetricsMeasurement {
  const log = options.log ?? ((line: string) => console.error(`[bench metrics] ${line}`));
  const dataDir = options.dataDir ?? path.join(ROOT, 'bench-data');
  const bin = options.custdbBin ?? path.join(ROOT, 'bin', 'custdb.js');
  const shape = { customers, ordersPerCustomer: ORDERS_PER_CUSTOMER, seed: options.seed ?? 1 };
  const file = path.join(dataDir, metricsDbName(shape));
  log(`${customers} customers: database ${path.basename(file)}`);
  ensureMetricsDb(file, shape, bin, log);

  const loadBefore = loadAverage();
  const started = performance.now();
  const init = spawnSync(process.execPath, [bin, 'init', '--db', file, '--json'], { encoding: 'utf8' });
  if (init.status !== 0) throw new Error(`custdb init --db ${file} failed: ${init.stderr}`);
  const migrated = { names: (JSON.parse(init.stdout) as { applied: string[] }).applied, wallSeconds: (performance.now() - started) / 1000 };
  if (migrated.names.length > 0) log(`${customers} customers: applied ${migrated.names.join(', ')} in ${migrated.wallSeconds.toFixed(1)} s`);

  const runs: MetricsReadMeasurement[] = [];
  for (let k = 0; k < (options.repeat ?? 1); k++) {
    log(`${customers} customers: read ${k + 1}`);
    const reader = fileURLToPath(new URL('./read-metrics.js', import.meta.url));
    const run = spawnSync(process.execPath, [reader, file], { encoding: 'utf8', maxBuffer: 16 << 20 });
    if (run.status !== 0) throw new Error(`read-metrics failed: ${run.stderr}`);
    runs.push(JSON.parse(run.stdout) as MetricsReadMeasurement);
  }
  const middle = <T>(values: T[], key: (v: T) => number): T => [...values].sort((a, b) => key(a) - key(b))[Math.floor(values.length / 2)] as T;
  const segment = middle(runs, (r) => r.segment.wallSeconds).segment;
  const stream = middle(runs, (r) => r.stream.wallSeconds).stream;
  const peakRssMiB = Math.max(...runs.map((r) => r.peakRssMiB));
  const orders = customers * ORDERS_PER_CUSTOMER;
  return {
    customers,
    orders,
    migrated,
    segment,
    stream,
    peakRssMiB,
    targets: [
      {
        target: `segment count over ${customers} customers, ${orders} orders ≤ 3 s`,
        met: segment.wallSeconds <= 3,
        detail: `${segment.wallSeconds.toFixed(2)} s wall, ${segment.cpuSeconds.toFixed(2)} s CPU`,
      },
    ],
    load: [loadBefore, loadAverage()],
  };
}

function loadAverage(): number {
  try {
    return Number(readFileSync('/proc/loadavg', 'utf8').split(' ')[0]);
  } catch {
    return Number.NaN;
  }
}
