/**
 * Report timing: `custdb report NAME` over the metrics bench's generated
 * database of N customers and 5N orders (bench/generate-metrics-db.ts, cached
 * in bench-data/, brought up to the build's schema by `custdb init`), each run
 * as the user runs it (bin/custdb.js, JSON to /dev/null) under /usr/bin/time.
 * Targets (DESIGN.md): report summary ≤ 5 s over 1M customers / 5M orders,
 * peak RSS ≤ 300 MiB.
 */
import { spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';
import path from 'node:path';
import { ensureMetricsDb, metricsDbName } from './generate-metrics-db.js';

const ORDERS_PER_CUSTOMER = 5;
/** The reports timed, with the options that make them comparable from run to run (a fixed as-of day). */
const REPORTS: readonly string[][] = [['summary'], ['top'], ['rfm'], ['cohorts']];

export interface ReportsBenchOptions {
  seed?: number;
  dataDir: string;
  custdbBin: string;
  log?: (line: string) => void;
}

export interface ReportRun {
  report: string;
  wallSeconds: number;
  cpuSeconds: number;
  peakRssMiB: number;
}

export interface ReportsMeasurement {
  customers: number;
  orders: number;
  runs: ReportRun[];
  targets: { target: string; met: boolean; detail: string }[];
  load: [number, number];
}

/** Builds (once) the database of `customers` customers and 5× as many orders, and times each report over it. */
export function measureReports(customers: number, options: ReportsBenchOptions): ReportsMeasurement {
  const log = options.log ?? ((line: string) => console.error(`[bench reports] ${line}`));
  const shape = { customers, ordersPerCustomer: ORDERS_PER_CUSTOMER, seed: options.seed ?? 1 };
  const file = path.join(options.dataDir, metricsDbName(shape));
  ensureMetricsDb(file, shape, options.custdbBin, log);
  const init = spawnSync(process.execPath, [options.custdbBin, 'init', '--db', file, '--quiet'], { encoding: 'utf8' });
  if (init.status !== 0) throw new Error(`custdb init --db ${file} failed: ${init.stderr}`);

  const loadBefore = loadavg()[0]!;
  const runs = REPORTS.map((args) => {
    log(`${customers} customers: report ${args.join(' ')}`);
    const run = spawnSync('/usr/bin/time', ['-f', '%e %U %S %M', process.execPath, options.custdbBin, '--db', file, 'report', ...args, '--format', 'json'], {
      encoding: 'utf8',
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    if (run.status !== 0) throw new Error(`custdb report ${args.join(' ')} failed: ${run.stderr}`);
    const [wall, user, system, rssKiB] = (run.stderr.trim().split('\n').pop() ?? '').split(' ').map(Number);
    return { report: args.join(' '), wallSeconds: wall!, cpuSeconds: user! + system!, peakRssMiB: rssKiB! / 1024 };
  });
  const summary = runs[0]!;
  const peak = Math.max(...runs.map((run) => run.peakRssMiB));
  return {
    customers,
    orders: customers * ORDERS_PER_CUSTOMER,
    runs,
    targets: [
      { target: `report summary over ${customers} customers, ${customers * ORDERS_PER_CUSTOMER} orders ≤ 5 s`, met: summary.wallSeconds <= 5, detail: `${summary.wallSeconds.toFixed(2)} s wall, ${summary.cpuSeconds.toFixed(2)} s CPU` },
      { target: 'peak RSS of every report ≤ 300 MiB', met: peak <= 300, detail: `${peak.toFixed(0)} MiB` },
    ],
    load: [loadBefore, loadavg()[0]!],
  };
}
