/**
 * Orders import timing: `custdb import --as orders` of a generated
 * Shopify-shaped file beside `sqlite3 .import` of the same file, each a
 * separate process measured by `/usr/bin/time` (wall seconds, peak RSS).
 * Target (DESIGN.md): within 5× of sqlite3, peak RSS ≤ 300 MiB.
 *
 *   npx tsc -p tsconfig.bench.json && node dist-bench/bench/orders.js 1000000
 *
 * `measureOrdersImport(rows)` is what `npm run bench` calls.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { orderCsvLines, ORDER_GENERATOR_VERSION } from './generate-orders.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface OrdersImportMeasurement {
  rows: number;
  fileMiB: number;
  custdb: { wallSeconds: number; cpuSeconds: number; peakRssMiB: number };
  sqlite3: { wallSeconds: number; cpuSeconds: number; peakRssMiB: number };
  /** custdb wall time over sqlite3's. */
  ratio: number;
  /** What custdb reported: orders, items, customers created, rejected rows. */
  counts: Record<string, number> | null;
  targets: { target: string; met: boolean; detail: string }[];
  /** 1-minute load average when the measurement started and ended (the machine may be shared). */
  load: [number, number];
}

export interface OrdersBenchOptions {
  seed?: number;
  /** Where generated files are cached and scratch databases live (default bench-data/). */
  dataDir?: string;
  /** bin/custdb.js (default: this checkout's, run with the current node). */
  custdbBin?: string;
  log?: (line: string) => void;
}

/**
 * Generates (or reuses) an orders CSV of `rows` line items, times custdb's
 * import and sqlite3's raw `.import` of it, and judges the targets. Removes
 * its scratch databases; keeps the generated CSV for the next run.
 */
export function measureOrdersImport(rows: number, options: OrdersBenchOptions = {}): OrdersImportMeasurement {
  const log = options.log ?? ((line: string) => console.error(`[bench orders] ${line}`));
  const dataDir = options.dataDir ?? path.join(ROOT, 'bench-data');
  const bin = options.custdbBin ?? path.join(ROOT, 'bin', 'custdb.js');
  const csv = ensureOrdersCsv(dataDir, rows, options.seed ?? 1, log);
  const scratch = path.join(dataDir, `orders-run-${process.pid}`);
  mkdirSync(scratch, { recursive: true });
  const loadBefore = loadAverage();
  try {
    const custdbDb = path.join(scratch, 'custdb.db');
    log(`${rows}: custdb import`);
    const custdb = timed(scratch, [
      process.execPath, bin, 'import', csv, '--as', 'orders', '--db', custdbDb, '--rejects', path.join(scratch, 'rejects.csv'), '--max-rejects', '100%', '--json',
    ]);
    let counts: Record<string, number> | null = null;
    try {
      counts = (JSON.parse(custdb.stdout) as { counts: Record<string, number> }).counts;
    } catch {
      counts = null;
    }
    log(`${rows}: sqlite3 .import`);
    const sqliteDb = path.join(scratch, 'sqlite3.db');
    const sqlite3 = timed(scratch, ['sqlite3', sqliteDb, '-cmd', '.mode csv', `.import "${csv}" t`]);
    const ratio = custdb.wallSeconds / sqlite3.wallSeconds;
    return {
      rows,
      fileMiB: statSync(csv).size / (1 << 20),
      custdb: { wallSeconds: custdb.wallSeconds, cpuSeconds: custdb.cpuSeconds, peakRssMiB: custdb.peakRssMiB },
      sqlite3: { wallSeconds: sqlite3.wallSeconds, cpuSeconds: sqlite3.cpuSeconds, peakRssMiB: sqlite3.peakRssMiB },
      ratio,
      counts,
      targets: [
        { target: 'orders import ≤ 5× sqlite3 .import', met: ratio <= 5, detail: `${custdb.wallSeconds.toFixed(1)} s vs ${sqlite3.wallSeconds.toFixed(1)} s (${ratio.toFixed(1)}×)` },
        { target: 'peak RSS ≤ 300 MiB', met: custdb.peakRssMiB <= 300, detail: `${custdb.peakRssMiB.toFixed(0)} MiB` },
      ],
      load: [loadBefore, loadAverage()],
    };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** Writes the generated CSV unless one from the same generator version and seed is cached; returns its path. */
export function ensureOrdersCsv(dataDir: string, rows: number, seed: number, log: (line: string) => void): string {
  const file = path.join(dataDir, `orders-g${ORDER_GENERATOR_VERSION}-s${seed}-${rows}.csv`);
  if (existsSync(file)) return file;
  mkdirSync(dataDir, { recursive: true });
  const started = performance.now();
  const partial = `${file}.partial`;
  const fd = openSync(partial, 'w');
  try {
    let chunk = '';
    for (const line of orderCsvLines({ rows, seed })) {
      chunk += `${line}\n`;
      if (chunk.length > 1 << 20) {
        writeSync(fd, chunk);
        chunk = '';
      }
    }
    writeSync(fd, chunk);
  } finally {
    closeSync(fd);
  }
  renameSync(partial, file);
  log(`generated ${path.basename(file)} (${(statSync(file).size / (1 << 20)).toFixed(0)} MiB) in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return file;
}

/**
 * Wall seconds, CPU seconds (user + system: what the process itself used, whatever else the machine was doing) and peak RSS.
 * An exit status outside `okStatuses` is a failure (validate exits 1 when it finds errors).
 */
export function timed(scratch: string, command: readonly string[], okStatuses: readonly number[] = [0]): { wallSeconds: number; cpuSeconds: number; peakRssMiB: number; stdout: string } {
  const timeFile = path.join(scratch, 'time.txt');
  const run = spawnSync('/usr/bin/time', ['-f', '%e %U %S %M', '-o', timeFile, ...command], { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (run.error) throw run.error;
  if (run.status === null || !okStatuses.includes(run.status)) throw new Error(`${command.join(' ')} exited with ${run.status}: ${(run.stderr ?? '').trim().split('\n').slice(-5).join('\n')}`);
  const figures = readFileSync(timeFile, 'utf8').trim().split('\n').pop() ?? '';
  const match = /^(\d+(?:\.\d+)?) (\d+(?:\.\d+)?) (\d+(?:\.\d+)?) (\d+)$/.exec(figures);
  if (!match) throw new Error(`cannot read /usr/bin/time output: ${figures}`);
  return { wallSeconds: Number(match[1]), cpuSeconds: Number(match[2]) + Number(match[3]), peakRssMiB: Number(match[4]) / 1024, stdout: run.stdout ?? '' };
}

function loadAverage(): number {
  try {
    return Number(readFileSync('/proc/loadavg', 'utf8').split(' ')[0]);
  } catch {
    return Number.NaN;
  }
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const rows = Number((process.argv[2] ?? '1000000').replace(/_/g, ''));
  if (!Number.isInteger(rows) || rows < 1) throw new Error('usage: node dist-bench/bench/orders.js ROWS');
  console.log(JSON.stringify(measureOrdersImport(rows), null, 2));
}
