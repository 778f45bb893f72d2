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
import path from 'node:path';
import { fileURLToPath } from 'node:url';
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
  return {
    customers,
    orders: customers * ORDERS_PER_CUSTOMER,
    ...read,
    targets: [
      { target: `count over computed fields, ${customers} customers ≤ 1 s`, met: read.count.wallSeconds <= 1, detail: seconds(read.count) },
      { target: `every customer's RFM fields streamed ≤ 3 s`, met: read.rfm.wallSeconds <= 3, detail: seconds(read.rfm) },
      { target: `customers per RFM segment ≤ 3 s`, met: read.segments.wallSeconds <= 3, detail: seconds(read.segments) },
      { target: 'peak RSS ≤ 300 MiB', met: read.peakRssMiB <= 300, detail: `${read.peakRssMiB.toFixed(0)} MiB` },
    ],
  };
}
