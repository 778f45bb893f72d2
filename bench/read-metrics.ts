/**
 * The timed part of the metrics bench, run by bench/metrics.ts in a process of
 * its own (so its peak RSS is the read's alone): opens a custdb database as
 * custdb does (same connection pragmas) and reads every active customer's
 * metrics through `customerMetricsSql`, the derived table queries, segments
 * and reports stand on, twice over:
 *
 *   segment  one row of RFM-ish bucket counts (a `segment count`)
 *   stream   every customer's metrics, row by row (what an export or report reads)
 *
 *   node dist-bench/bench/read-metrics.js DB   → one JSON document on stdout
 */
import BetterSqlite3 from 'better-sqlite3-multiple-ciphers';
import { customerMetricsSql } from '../src/db/customer-metrics.js';
import { sqliteDialect } from '../src/db/dialect.js';
import { SQLITE_CONNECTION_PRAGMAS } from '../src/db/sqlite/connection-settings.js';

export interface TimedRead {
  wallSeconds: number;
  cpuSeconds: number;
}

export interface MetricsReadMeasurement {
  segment: TimedRead & { counts: SegmentCounts };
  stream: TimedRead & { rows: number };
  peakRssMiB: number;
}

/** Customers per bucket; spend in minor units (cents). */
export interface SegmentCounts {
  customers: number;
  /** orders_count ≥ 5 and last order within 365 days. */
  frequent_recent: number;
  /** Ordered before, but not within 365 days. */
  lapsed: number;
  /** total_spent ≥ 500.00 (in the database's one currency). */
  big_spenders: number;
  never_ordered: number;
  mixed_currencies: number;
}

export const SEGMENT_SQL = `SELECT COUNT(*) AS customers,
    COALESCE(SUM(m.orders_count >= 5 AND m.days_since_last_order <= 365), 0) AS frequent_recent,
    COALESCE(SUM(m.orders_count >= 1 AND m.days_since_last_order > 365), 0) AS lapsed,
    COALESCE(SUM(m.total_spent_minor >= 50000), 0) AS big_spenders,
    COALESCE(SUM(m.orders_count = 0), 0) AS never_ordered,
    COALESCE(SUM(m.mixed_currencies), 0) AS mixed_currencies
  FROM (${customerMetricsSql(sqliteDialect)}) m`;

function time<T>(body: () => T): TimedRead & { value: T } {
  const cpu = process.cpuUsage();
  const started = performance.now();
  const value = body();
  const used = process.cpuUsage(cpu);
  return { wallSeconds: (performance.now() - started) / 1000, cpuSeconds: (used.user + used.system) / 1e6, value };
}

export function readMetrics(file: string): MetricsReadMeasurement {
  const db = new BetterSqlite3(file, { fileMustExist: true });
  try {
    for (const pragma of SQLITE_CONNECTION_PRAGMAS) db.pragma(pragma);
    const segment = time(() => db.prepare(SEGMENT_SQL).get() as SegmentCounts);
    const stream = time(() => {
      let rows = 0;
      for (const _row of db.prepare(`${customerMetricsSql(sqliteDialect)} ORDER BY c.id`).iterate()) rows += 1;
      return rows;
    });
    return {
      segment: { wallSeconds: segment.wallSeconds, cpuSeconds: segment.cpuSeconds, counts: segment.value },
      stream: { wallSeconds: stream.wallSeconds, cpuSeconds: stream.cpuSeconds, rows: stream.value },
      peakRssMiB: process.resourceUsage().maxRSS / 1024,
    };
  } finally {
    db.close();
  }
}

const file = process.argv[2];
if (file === undefined) throw new Error('usage: node dist-bench/bench/read-metrics.js DB');
console.log(JSON.stringify(readMetrics(file)));
