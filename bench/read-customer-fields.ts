/**
 * The timed part of the customer-fields bench, run by bench/customer-fields.ts
 * in a process of its own (so its peak RSS is its own): opens a custdb
 * database through the store, as custdb does, and times three reads of the
 * `cf` query (src/db/customer-fields-query.ts, as built in dist/) as of today:
 *
 *   refresh   the RFM cut points recomputed, as the first RFM read after a write does (src/db/rfm-cut-points.ts)
 *   count     customers with total_spent ≥ 100 and days_since_last_order > 90 (a `segment count`)
 *   rfm       every active customer's RFM fields, streamed row by row (a `query` or export of them)
 *   segments  customers per rfm_segment (a report's group counts)
 *
 *   node dist-bench/bench/read-customer-fields.js DB|URL   → one JSON document on stdout
 */
import { sql } from 'kysely';
import type * as FieldsQuery from '../src/db/customer-fields-query.js';
import type * as OpenStore from '../src/db/open-store.js';
import type * as CutPoints from '../src/db/rfm-cut-points.js';

// The built package (dist/, what bin/custdb.js runs), as the other benches time it; it also finds schema/ from there.
const DIST = new URL('../../dist/db/', import.meta.url);
const { selectCustomerFields } = (await import(new URL('customer-fields-query.js', DIST).href)) as typeof FieldsQuery;
const { openStore } = (await import(new URL('open-store.js', DIST).href)) as typeof OpenStore;
const { refreshRfmCutPoints } = (await import(new URL('rfm-cut-points.js', DIST).href)) as typeof CutPoints;

export interface TimedFieldsRead {
  wallSeconds: number;
  cpuSeconds: number;
}

export interface CustomerFieldsReadMeasurement {
  refresh: TimedFieldsRead;
  count: TimedFieldsRead & { customers: number };
  rfm: TimedFieldsRead & { rows: number; scored: number };
  segments: TimedFieldsRead & { bySegment: Record<string, number> };
  peakRssMiB: number;
}

async function time<T>(body: () => Promise<T>): Promise<TimedFieldsRead & { value: T }> {
  const cpu = process.cpuUsage();
  const started = performance.now();
  const value = await body();
  const used = process.cpuUsage(cpu);
  return { wallSeconds: (performance.now() - started) / 1000, cpuSeconds: (used.user + used.system) / 1e6, value };
}

export async function readCustomerFields(location: string): Promise<CustomerFieldsReadMeasurement> {
  const { store } = await openStore({ location, create: false, migrations: 'check' });
  try {
    const asOf = new Date().toISOString().slice(0, 10);
    // What any write of metrics does: the next RFM read finds the kept cut points stale.
    await sql`UPDATE rfm_cut_points SET metrics_version = metrics_version + 1`.execute(store.db);
    const refresh = await time(() => refreshRfmCutPoints(store, { asOf }));
    const count = await time(async () => {
      const query = selectCustomerFields(store, { asOf, fields: new Set(['total_spent', 'days_since_last_order']) })
        .where('total_spent', '>=', 100)
        .where('days_since_last_order', '>', 90)
        .select((eb) => eb.fn.countAll<number>().as('customers'));
      return Number((await query.executeTakeFirstOrThrow()).customers);
    });
    const rfm = await time(async () => {
      const options = { asOf, fields: new Set(['rfm_score', 'rfm_segment']) };
      await refreshRfmCutPoints(store, options);
      const query = selectCustomerFields(store, options).select([
        'id', 'rfm_recency', 'rfm_frequency', 'rfm_monetary', 'rfm_score', 'rfm_segment',
      ]);
      let rows = 0;
      let scored = 0;
      for await (const row of query.stream(1000)) {
        rows += 1;
        if (row.rfm_score !== null) scored += 1;
      }
      return { rows, scored };
    });
    const segments = await time(async () => {
      const options = { asOf, fields: new Set(['rfm_segment']) };
      await refreshRfmCutPoints(store, options);
      const query = selectCustomerFields(store, options)
        .select((eb) => ['rfm_segment', eb.fn.countAll<number>().as('customers')])
        .groupBy('rfm_segment');
      const rows = await query.execute();
      return Object.fromEntries(rows.map((row) => [row.rfm_segment ?? '(no orders)', Number(row.customers)]));
    });
    return {
      refresh: { wallSeconds: refresh.wallSeconds, cpuSeconds: refresh.cpuSeconds },
      count: { wallSeconds: count.wallSeconds, cpuSeconds: count.cpuSeconds, customers: count.value },
      rfm: { wallSeconds: rfm.wallSeconds, cpuSeconds: rfm.cpuSeconds, ...rfm.value },
      segments: { wallSeconds: segments.wallSeconds, cpuSeconds: segments.cpuSeconds, bySegment: segments.value },
      peakRssMiB: process.resourceUsage().maxRSS / 1024,
    };
  } finally {
    await store.close();
  }
}

const location = process.argv[2];
if (location === undefined) throw new Error('usage: node dist-bench/bench/read-customer-fields.js DB|URL');
console.log(JSON.stringify(await readCustomerFields(location)));
