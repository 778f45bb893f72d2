/**
 * Computed-fields query timing (src/db/customer-fields-query.ts) on the metrics
 * bench's generated database of N customers and 5N orders (built once by
 * bench/generate-metrics-db.ts, cached in bench-data/, migrated by `custdb init`):
 * a count over computed fields, every customer's RFM fields streamed, and
 * customers per RFM segment. Targets (issue #14): the count ≤ 1 s, the RFM
 * reads ≤ 3 s, peak RSS ≤ 300 MiB. The reads run in a process of their own
 * (bench/read-customer-fields.ts), so the peak RSS is theirs.
 */
import { spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import BetterSqlite3 from 'better-sqlite3-multiple-ciphers';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { findServerBinaries, startThrowawayCluster } from '../test/setup/throwaway-postgres.js';
import { ensureMetricsDb, metricsDbName } from './generate-metrics-db.js';
import type { CustomerFieldsReadMeasurement } from './read-customer-fields.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const ORDERS_PER_CUSTOMER = 5;

export interface CustomerFieldsBenchOptions {
  seed?: number;
  dataDir?: string;
  custdbBin?: string;
  log?: (line: string) => void;
}

export interface CustomerFieldsMeasurement extends CustomerFieldsReadMeasurement {
  customers: number;
  orders: number;
  targets: { target: string; met: boolean; detail: string }[];
}

/** Builds (once) the database of `customers` customers and 5× as many orders, and reads it. */
export function measureCustomerFields(customers: number, options: CustomerFieldsBenchOptions = {}): CustomerFieldsMeasurement {
  const log = options.log ?? ((line: string) => console.error(`[bench fields] ${line}`));
  const bin = options.custdbBin ?? path.join(ROOT, 'bin', 'custdb.js');
  const shape = { customers, ordersPerCustomer: ORDERS_PER_CUSTOMER, seed: options.seed ?? 1 };
  const location = path.join(options.dataDir ?? path.join(ROOT, 'bench-data'), metricsDbName(shape));
  ensureMetricsDb(location, shape, bin, log);
  const init = spawnSync(process.execPath, [bin, 'init', '--db', location, '--json'], { encoding: 'utf8' });
  if (init.status !== 0) throw new Error(`custdb init --db ${location} failed: ${init.stderr}`);
  log(`${customers} customers: reading computed fields`);
  const reader = fileURLToPath(new URL('./read-customer-fields.js', import.meta.url));
  const run = spawnSync(process.execPath, [reader, location], { encoding: 'utf8', maxBuffer: 16 << 20 });
  if (run.status !== 0) throw new Error(`read-customer-fields failed: ${run.stderr}`);
  const read = JSON.parse(run.stdout) as CustomerFieldsReadMeasurement;
  const seconds = (t: { wallSeconds: number; cpuSeconds: number }) => `${t.wallSeconds.toFixed(2)} s wall, ${t.cpuSeconds.toFixed(2)} s CPU`;
  // The cut points are kept between reads; the first RFM read after a write recomputes them.
  const afterWrite = `; the first after a write adds ${seconds(read.refresh)} (load ${loadavg().map((n) => n.toFixed(1)).join(' ')})`;
  return {
    customers,
    orders: customers * ORDERS_PER_CUSTOMER,
    ...read,
    targets: [
      { target: `count over computed fields, ${customers} customers ≤ 1 s`, met: read.count.wallSeconds <= 1, detail: seconds(read.count) },
      { target: `every customer's RFM fields streamed ≤ 3 s`, met: read.rfm.wallSeconds <= 3, detail: `${seconds(read.rfm)}${afterWrite}` },
      { target: `customers per RFM segment ≤ 3 s`, met: read.segments.wallSeconds <= 3, detail: `${seconds(read.segments)}${afterWrite}` },
      { target: 'peak RSS ≤ 300 MiB', met: read.peakRssMiB <= 300, detail: `${read.peakRssMiB.toFixed(0)} MiB` },
    ],
  };
}

/**
 * The same reads on PostgreSQL: the generated SQLite database's customers, orders and
 * stored metrics copied (COPY) into a database that `custdb init` made on a
 * throw-away cluster (test/setup/throwaway-postgres.ts), then read as above.
 */
export async function measureCustomerFieldsOnPostgres(customers: number, options: CustomerFieldsBenchOptions = {}): Promise<CustomerFieldsReadMeasurement & { serverVersion: string }> {
  const log = options.log ?? ((line: string) => console.error(`[bench fields pg] ${line}`));
  const bin = options.custdbBin ?? path.join(ROOT, 'bin', 'custdb.js');
  const shape = { customers, ordersPerCustomer: ORDERS_PER_CUSTOMER, seed: options.seed ?? 1 };
  const location = path.join(options.dataDir ?? path.join(ROOT, 'bench-data'), metricsDbName(shape));
  ensureMetricsDb(location, shape, bin, log);
  const binDir = findServerBinaries();
  if (binDir === undefined) throw new Error('No PostgreSQL server binaries (initdb, pg_ctl): apt-get install postgresql');
  const cluster = await startThrowawayCluster(binDir);
  try {
    const admin = new pg.Client({ connectionString: cluster.url });
    await admin.connect();
    await admin.query(`CREATE DATABASE fields_${customers}`);
    await admin.end();
    const url = new URL(cluster.url);
    url.pathname = `/fields_${customers}`;
    const init = spawnSync(process.execPath, [bin, 'init', '--db', url.toString(), '--json'], { encoding: 'utf8' });
    if (init.status !== 0) throw new Error(`custdb init on PostgreSQL failed: ${init.stderr}`);
    const client = new pg.Client({ connectionString: url.toString() });
    await client.connect();
    const sqlite = new BetterSqlite3(location, { readonly: true });
    try {
      for (const table of ['customers', 'orders', 'customer_metrics']) {
        log(`copying ${table}`);
        await copyTable(sqlite, client, table);
      }
      await client.query('ANALYZE');
    } finally {
      sqlite.close();
      await client.end();
    }
    log(`${customers} customers on PostgreSQL: reading computed fields`);
    const reader = fileURLToPath(new URL('./read-customer-fields.js', import.meta.url));
    const run = spawnSync(process.execPath, [reader, url.toString()], { encoding: 'utf8', maxBuffer: 16 << 20 });
    if (run.status !== 0) throw new Error(`read-customer-fields failed: ${run.stderr}`);
    return { ...(JSON.parse(run.stdout) as CustomerFieldsReadMeasurement), serverVersion: cluster.version };
  } finally {
    cluster.stop();
  }
}

/** Copies every row of `table` (the columns both databases have) in COPY's text format. */
async function copyTable(sqlite: BetterSqlite3.Database, client: pg.Client, table: string): Promise<void> {
  const target = await client.query<{ column_name: string }>('SELECT column_name FROM information_schema.columns WHERE table_name = $1', [table]);
  const wanted = new Set(target.rows.map((row) => row.column_name));
  const columns = (sqlite.pragma(`table_info(${table})`) as { name: string }[]).map((column) => column.name).filter((name) => wanted.has(name));
  const escape = (value: unknown) => (value === null ? '\\N' : String(value).replace(/[\\\t\n\r]/g, (c) => ({ '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' })[c]!));
  const rows = sqlite.prepare(`SELECT ${columns.join(', ')} FROM ${table} ORDER BY rowid`).raw();
  async function* lines(): AsyncGenerator<string> {
    let text = '';
    for (const row of rows.iterate() as Iterable<unknown[]>) {
      text += row.map(escape).join('\t') + '\n';
      if (text.length >= 1 << 20) {
        yield text;
        text = '';
      }
    }
    if (text !== '') yield text;
  }
  await pipeline(Readable.from(lines()), client.query(copyFrom(`COPY ${table} (${columns.join(', ')}) FROM STDIN`)));
}

// node dist-bench/bench/customer-fields.js --postgres N: the PostgreSQL figures alone, as JSON.
if (process.argv[1] === fileURLToPath(import.meta.url) && process.argv[2] === '--postgres') {
  console.log(JSON.stringify(await measureCustomerFieldsOnPostgres(Number(process.argv[3] ?? 1_000_000))));
}
