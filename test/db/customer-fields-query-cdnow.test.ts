import { copyFileSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { selectCustomerFields } from '../../src/db/customer-fields-query.js';
import { openStore } from '../../src/db/open-store.js';
import { DEFAULT_RFM_TABLE } from '../../src/db/rfm-table.js';
import { freshLocation, TEST_DIALECTS } from '../helpers/dialects.js';
import { runCliInProcess } from '../helpers/run-cli-in-process.js';
import { FIXTURES } from '../helpers/run-cli.js';

/*
 * The CDNOW 1/10 sample (fixtures/orders/cdnow_sample.csv: 6,919 purchases by 2,357 customers, 1997–98; MIT, see
 * fixtures/orders/SOURCES.md) imported as orders, checked customer by customer against RFM worked out here in
 * plain TypeScript straight from its definition: every row is one order (the file has no order ids); a score is
 * ceil(5 × k / n), k being how many of the n customers with orders have a value at or below theirs.
 */
interface Expected {
  orders: number;
  minor: number;
  lastDay: string;
}

function purchases(until: string): Map<string, Expected> {
  const rows = readFileSync(path.join(FIXTURES, 'orders', 'cdnow_sample.csv'), 'utf8').trim().split('\n').slice(1);
  const customers = new Map<string, Expected>();
  for (const row of rows) {
    const [id, yyyymmdd, , dollars] = row.split(',');
    const day = `${yyyymmdd!.slice(0, 4)}-${yyyymmdd!.slice(4, 6)}-${yyyymmdd!.slice(6, 8)}`;
    if (day > until) continue;
    const seen = customers.get(id!) ?? { orders: 0, minor: 0, lastDay: '' };
    seen.orders += 1;
    seen.minor += Math.round(Number(dollars) * 100);
    if (day > seen.lastDay) seen.lastDay = day;
    customers.set(id!, seen);
  }
  return customers;
}

/** ceil(5 × cume_dist) of every value, by counting (values sorted once, k found by binary search for the last equal value). */
function scores<T extends string | number>(values: readonly T[]): number[] {
  const sorted = [...values].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const atOrBelow = (v: T) => {
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (sorted[mid]! <= v) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  return values.map((v) => Math.ceil((5 * atOrBelow(v)) / values.length));
}

function expectedRfm(customers: Map<string, Expected>): Map<string, string> {
  const ids = [...customers.keys()];
  const all = ids.map((id) => customers.get(id)!);
  const r = scores(all.map((c) => c.lastDay));
  const f = scores(all.map((c) => c.orders));
  const m = scores(all.map((c) => c.minor));
  return new Map(ids.map((id, k) => [id, `${r[k]}${f[k]}${m[k]} ${DEFAULT_RFM_TABLE[r[k]! - 1]![f[k]! - 1]}`]));
}

describe.each(TEST_DIALECTS)('the CDNOW sample imported as orders on %s', (dialect) => {
  it('gives every customer the orders_count, total_spent and RFM worked out independently, today and as of 1997-09-30', { timeout: 120_000 }, async () => {
    const { location, dir } = await freshLocation(dialect, 'custdb-cdnow-');
    copyFileSync(path.join(FIXTURES, 'orders', 'cdnow_sample.csv'), path.join(dir, 'cdnow_sample.csv'));
    const imported = await runCliInProcess(['import', 'cdnow_sample.csv', '--source', 'cdnow', '--db', location, '--json'], { cwd: dir });
    expect(imported.code, imported.stderr).toBe(0);
    const { store } = await openStore({ location, create: false, migrations: 'apply' });
    try {
      // Today (the stored metrics), then the end of the sample's calibration period (regrouped from the orders).
      for (const asOf of [new Date().toISOString().slice(0, 10), '1997-09-30']) {
        const customers = purchases(asOf);
        const rfm = expectedRfm(customers);
        const rows = await selectCustomerFields(store, { asOf })
          .innerJoin('customer_identities as ci', 'ci.customer_id', 'cf.id')
          .where('ci.source', '=', 'cdnow')
          .select(['ci.external_id', 'cf.orders_count', 'cf.total_spent', 'cf.rfm_score', 'cf.rfm_segment'])
          .execute();
        expect(rows).toHaveLength(2357);
        const withOrders = rows.filter((row) => row.orders_count > 0);
        expect(withOrders).toHaveLength(customers.size);
        const mismatches = withOrders.filter((row) => {
          const want = customers.get(row.external_id);
          return want === undefined || row.orders_count !== want.orders || row.total_spent !== want.minor / 100 || `${row.rfm_score} ${row.rfm_segment}` !== rfm.get(row.external_id);
        });
        expect(mismatches.slice(0, 5), `as of ${asOf}`).toEqual([]);
        expect(rows.filter((row) => row.orders_count === 0).every((row) => row.rfm_score === null && row.total_spent === 0)).toBe(true);
      }
    } finally {
      await store.close();
    }
  });
});
