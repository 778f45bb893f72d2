/**
 * PostgreSQL beside SQLite: the same custdb commands on the same generated
 * files, once into a SQLite file and once into a database on a throw-away
 * PostgreSQL cluster started on this machine (the tests' own, see
 * test/setup/postgres-server.ts), each command a separate process measured
 * by `/usr/bin/time`:
 *
 *   import    N customers (bench/generate-customer-csv.ts)
 *   merge     `dedupe --merge --yes`: the groups found at the merge threshold, merged
 *   export    the customers as CSV (and the two exports compared byte for byte)
 *   orders    5N order lines (bench/generate-orders.ts) into the same database
 *   segment   a segment-style count over every customer's metrics (one query)
 *
 * Target (DESIGN.md): the PostgreSQL import of 1M customers within 2× of SQLite's.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3-multiple-ciphers';
import pg from 'pg';
import { findServerBinaries, startThrowawayCluster } from '../test/setup/throwaway-postgres.js';
import { customerMetricsSql } from '../src/db/customer-metrics.js';
import { postgresDialect, sqliteDialect, type Dialect } from '../src/db/dialect.js';
import { ensureCustomerCsv } from './import-export.js';
import { ensureOrdersCsv } from './orders.js';

export interface DialectRun {
  importSeconds: number;
  importPeakRssMiB: number;
  mergeSeconds: number;
  merges: number;
  exportSeconds: number;
  ordersSeconds: number;
  ordersPeakRssMiB: number;
  segmentSeconds: number;
  segment: Record<string, number>;
  exportSha256: string;
}

export interface PostgresMeasurement {
  customers: number;
  orderRows: number;
  sqlite: DialectRun;
  postgres: DialectRun;
  serverVersion: string;
  targets: { target: string; met: boolean; detail: string }[];
  load: [number, number];
}

/** A count per bucket, spelt for both dialects (CASE, not SQLite's sum of booleans). */
function segmentSql(dialect: Dialect): string {
  const count = (condition: string) => `COALESCE(SUM(CASE WHEN ${condition} THEN 1 ELSE 0 END), 0)`;
  return `SELECT COUNT(*) AS customers,
      ${count('m.orders_count >= 5 AND m.days_since_last_order <= 365')} AS frequent_recent,
      ${count('m.orders_count >= 1 AND m.days_since_last_order > 365')} AS lapsed,
      ${count('m.total_spent_minor >= 50000')} AS big_spenders,
      ${count('m.orders_count = 0')} AS never_ordered,
      ${count('m.mixed_currencies = 1')} AS mixed_currencies
    FROM (${customerMetricsSql(dialect)}) m`;
}

export async function measurePostgres(
  customers: number,
  options: { seed: number; dataDir: string; custdbBin: string; log: (line: string) => void },
): Promise<PostgresMeasurement> {
  const { log } = options;
  const binDir = findServerBinaries();
  if (binDir === undefined) throw new Error('No PostgreSQL server binaries (initdb, pg_ctl): apt-get install postgresql');
  const customersCsv = ensureCustomerCsv(options.dataDir, customers, options.seed, log);
  const orderRows = customers * 5;
  const ordersCsv = ensureOrdersCsv(options.dataDir, orderRows, options.seed, log);
  const scratch = path.join(options.dataDir, `postgres-run-${process.pid}`);
  mkdirSync(scratch, { recursive: true });
  const loadBefore = loadAverage();
  const cluster = await startThrowawayCluster(binDir);
  try {
    const database = `bench_${customers}`;
    const admin = new pg.Client({ connectionString: cluster.url });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${database}`);
    await admin.end();
    const url = new URL(cluster.url);
    url.pathname = `/${database}`;

    const runs: Record<'sqlite' | 'postgres', DialectRun> = {} as Record<'sqlite' | 'postgres', DialectRun>;
    for (const [name, db] of [['sqlite', path.join(scratch, 'custdb.db')], ['postgres', url.toString()]] as const) {
      const custdb = (...args: string[]) => [process.execPath, options.custdbBin, ...args, '--db', db];
      log(`${customers} customers on ${name}: import`);
      const imported = timed(scratch, custdb('import', customersCsv, '--quiet', '--rejects', path.join(scratch, 'rejects.csv'), '--max-rejects', '100%'));
      log(`${customers} customers on ${name}: dedupe --merge`);
      const merged = timed(scratch, custdb('dedupe', '--merge', '--yes', '--json'));
      const merges = (JSON.parse(merged.stdout) as { merges: unknown[] }).merges.length;
      log(`${customers} customers on ${name}: export`);
      const exportFile = path.join(scratch, `export-${name}.csv`);
      const exported = timed(scratch, custdb('export', 'customers', '-o', exportFile, '--quiet'));
      log(`${orderRows} order lines on ${name}: import`);
      const orders = timed(scratch, custdb('import', ordersCsv, '--as', 'orders', '--quiet', '--rejects', path.join(scratch, 'rejects.csv'), '--max-rejects', '100%'));
      log(`${name}: segment count`);
      const segment = name === 'sqlite' ? segmentOnSqlite(db) : await segmentOnPostgres(db);
      runs[name] = {
        importSeconds: imported.wallSeconds,
        importPeakRssMiB: imported.peakRssMiB,
        mergeSeconds: merged.wallSeconds,
        merges,
        exportSeconds: exported.wallSeconds,
        ordersSeconds: orders.wallSeconds,
        ordersPeakRssMiB: orders.peakRssMiB,
        segmentSeconds: segment.seconds,
        segment: segment.counts,
        exportSha256: createHash('sha256').update(readFileSync(exportFile)).digest('hex'),
      };
    }
    const ratio = runs.postgres.importSeconds / runs.sqlite.importSeconds;
    return {
      customers,
      orderRows,
      sqlite: runs.sqlite,
      postgres: runs.postgres,
      serverVersion: cluster.version,
      targets: [
        { target: 'PostgreSQL import ≤ 2× SQLite', met: ratio <= 2, detail: `${runs.postgres.importSeconds.toFixed(1)} s vs ${runs.sqlite.importSeconds.toFixed(1)} s (${ratio.toFixed(2)}×)` },
        { target: 'the same merges from both', met: runs.postgres.merges === runs.sqlite.merges, detail: `${runs.sqlite.merges} / ${runs.postgres.merges}` },
        { target: 'the same export from both (after the merges)', met: runs.postgres.exportSha256 === runs.sqlite.exportSha256, detail: `sha256 ${runs.sqlite.exportSha256.slice(0, 12)}… / ${runs.postgres.exportSha256.slice(0, 12)}…` },
        {
          target: 'the same segment counts from both',
          met: JSON.stringify(runs.postgres.segment) === JSON.stringify(runs.sqlite.segment),
          detail: JSON.stringify(runs.postgres.segment),
        },
      ],
      load: [loadBefore, loadAverage()],
    };
  } finally {
    cluster.stop();
    rmSync(scratch, { recursive: true, force: true });
  }
}

function segmentOnSqlite(file: string): { seconds: number; counts: Record<string, number> } {
  const db = new BetterSqlite3(file, { fileMustExist: true, readonly: true });
  try {
    const started = performance.now();
    const counts = db.prepare(segmentSql(sqliteDialect)).get() as Record<string, number>;
    return { seconds: (performance.now() - started) / 1000, counts };
  } finally {
    db.close();
  }
}

async function segmentOnPostgres(url: string): Promise<{ seconds: number; counts: Record<string, number> }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const started = performance.now();
    const { rows } = await client.query<Record<string, string>>(segmentSql(postgresDialect));
    const counts = Object.fromEntries(Object.entries(rows[0] ?? {}).map(([key, value]) => [key, Number(value)]));
    return { seconds: (performance.now() - started) / 1000, counts };
  } finally {
    await client.end();
  }
}

function timed(scratch: string, command: readonly string[]): { wallSeconds: number; peakRssMiB: number; stdout: string } {
  const timeFile = path.join(scratch, 'time.txt');
  const run = spawnSync('/usr/bin/time', ['-f', '%e %M', '-o', timeFile, ...command], { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (run.error) throw run.error;
  if (run.status !== 0) throw new Error(`${command.join(' ')} exited with ${run.status}: ${(run.stderr ?? '').trim().split('\n').slice(-5).join('\n')}`);
  const figures = readFileSync(timeFile, 'utf8').trim().split('\n').pop() ?? '';
  const match = /^(\d+(?:\.\d+)?) (\d+)$/.exec(figures);
  if (!match) throw new Error(`cannot read /usr/bin/time output: ${figures}`);
  return { wallSeconds: Number(match[1]), peakRssMiB: Number(match[2]) / 1024, stdout: run.stdout ?? '' };
}

function loadAverage(): number {
  try {
    return Number(readFileSync('/proc/loadavg', 'utf8').split(' ')[0]);
  } catch {
    return Number.NaN;
  }
}
