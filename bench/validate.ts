/**
 * `custdb validate` timing on the metrics bench's generated database of N
 * customers and 5N orders (bench/generate-metrics-db.ts, cached in
 * bench-data/, migrated by `custdb init`), run as a user runs it: the built
 * binary, `--json`, under /usr/bin/time. Target (DESIGN.md): ≤ 5 s at 1M
 * customers / 5M orders, peak RSS ≤ 300 MiB.
 */
import { spawnSync } from 'node:child_process';
import { loadavg, tmpdir } from 'node:os';
import { mkdtempSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureMetricsDb, metricsDbName } from './generate-metrics-db.js';
import { timed } from './orders.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const ORDERS_PER_CUSTOMER = 5;

export interface ValidateBenchOptions {
  seed?: number;
  /** Runs per size; the figures are the median by wall time (default 1). */
  repeat?: number;
  dataDir?: string;
  custdbBin?: string;
  log?: (line: string) => void;
}

export interface ValidateMeasurement {
  customers: number;
  orders: number;
  wallSeconds: number;
  cpuSeconds: number;
  peakRssMiB: number;
  /** Findings that found something, as `code count`. */
  found: string[];
  targets: { target: string; met: boolean; detail: string }[];
  load: [number, number];
}

/** Builds (once) the database of `customers` customers and 5× as many orders, and validates it. */
export function measureValidate(customers: number, options: ValidateBenchOptions = {}): ValidateMeasurement {
  const log = options.log ?? ((line: string) => console.error(`[bench validate] ${line}`));
  const bin = options.custdbBin ?? path.join(ROOT, 'bin', 'custdb.js');
  const shape = { customers, ordersPerCustomer: ORDERS_PER_CUSTOMER, seed: options.seed ?? 1 };
  const file = path.join(options.dataDir ?? path.join(ROOT, 'bench-data'), metricsDbName(shape));
  ensureMetricsDb(file, shape, bin, log);
  const init = spawnSync(process.execPath, [bin, 'init', '--db', file, '--quiet'], { encoding: 'utf8' });
  if (init.status !== 0) throw new Error(`custdb init --db ${file} failed: ${init.stderr}`);

  const scratch = mkdtempSync(path.join(tmpdir(), 'custdb-bench-validate-'));
  try {
    const loadBefore = loadavg()[0] ?? 0;
    const runs = [];
    for (let k = 0; k < (options.repeat ?? 1); k++) {
      log(`${customers} customers: validate ${k + 1}`);
      // Exit 1 means it found errors, which is a result, not a failure.
      runs.push(timed(scratch, [process.execPath, bin, 'validate', '--db', file, '--json'], [0, 1]));
    }
    const run = [...runs].sort((a, b) => a.wallSeconds - b.wallSeconds)[Math.floor(runs.length / 2)]!;
    const result = JSON.parse(run.stdout) as { findings: { code: string; count: number }[] };
    const peakRssMiB = Math.max(...runs.map((r) => r.peakRssMiB));
    return {
      customers,
      orders: customers * ORDERS_PER_CUSTOMER,
      wallSeconds: run.wallSeconds,
      cpuSeconds: run.cpuSeconds,
      peakRssMiB,
      found: result.findings.filter((f) => f.count > 0).map((f) => `${f.code} ${f.count}`),
      targets: [
        { target: `validate, ${customers} customers ≤ 5 s`, met: run.wallSeconds <= 5, detail: `${run.wallSeconds.toFixed(2)} s wall, ${run.cpuSeconds.toFixed(2)} s CPU` },
        { target: 'peak RSS ≤ 300 MiB', met: peakRssMiB <= 300, detail: `${peakRssMiB.toFixed(0)} MiB` },
      ],
      load: [loadBefore, loadavg()[0] ?? 0],
    };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
