import { copyFileSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../src/db/open-store.js';
import { buildCohortsReport } from '../../src/reports/build-cohorts-report.js';
import { buildSummaryReport } from '../../src/reports/build-summary-report.js';
import { buildTopReport } from '../../src/reports/build-top-report.js';
import type { FiguresSection, MatrixSection, SeriesSection, TableSection } from '../../src/reports/report-document.js';
import { freshLocation, TEST_DIALECTS } from '../helpers/dialects.js';
import { runCliInProcess } from '../helpers/run-cli-in-process.js';
import { FIXTURES } from '../helpers/run-cli.js';

/*
 * The CDNOW 1/10 sample (fixtures/orders/cdnow_sample.csv: 6,919 purchases by 2,357 customers, January 1997 to
 * June 1998, no currency) imported as orders; the reports' numbers are checked against the same numbers worked
 * out here from the file itself, one row being one order.
 */
interface Purchase {
  customer: string;
  month: string;
  cents: number;
}

const purchases: Purchase[] = readFileSync(path.join(FIXTURES, 'orders', 'cdnow_sample.csv'), 'utf8')
  .trim()
  .split('\n')
  .slice(1)
  .map((line) => {
    const [customer, yyyymmdd, , dollars] = line.split(',');
    return { customer: customer!, month: `${yyyymmdd!.slice(0, 4)}-${yyyymmdd!.slice(4, 6)}`, cents: Math.round(Number(dollars) * 100) };
  });

/** The 18 months of the sample, oldest first. */
const MONTHS = Array.from({ length: 18 }, (_, i) => `${1997 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`);
const monthIndex = (month: string) => MONTHS.indexOf(month);

function perMonth(value: (p: Purchase) => number): number[] {
  const totals = MONTHS.map(() => 0);
  for (const p of purchases) totals[monthIndex(p.month)]! += value(p);
  return totals;
}

function ordersByCustomer(): Map<string, Purchase[]> {
  const byCustomer = new Map<string, Purchase[]>();
  for (const p of purchases) byCustomer.set(p.customer, [...(byCustomer.get(p.customer) ?? []), p]);
  return byCustomer;
}

/** Retention: for each first-order month, the % of its customers with an order k months later (null after June 1998). */
function retention(): { label: string; size: number; cells: (number | null)[] }[] {
  const cohorts = MONTHS.map(() => ({ members: 0, active: MONTHS.map(() => new Set<string>()) }));
  for (const [customer, orders] of ordersByCustomer()) {
    const first = Math.min(...orders.map((o) => monthIndex(o.month)));
    cohorts[first]!.members += 1;
    for (const o of orders) cohorts[first]!.active[monthIndex(o.month) - first]!.add(customer);
  }
  return cohorts.map((cohort, c) => ({
    label: MONTHS[c]!,
    size: cohort.members,
    cells: MONTHS.map((_, k) => (cohort.members === 0 || c + k >= MONTHS.length ? null : Math.round((cohort.active[k]!.size / cohort.members) * 1000) / 10)),
  }));
}

describe.each(TEST_DIALECTS)('reports over the CDNOW sample on %s', (dialect) => {
  it('revenue and orders per month, repeat rate, cohort retention and the top customers agree with the file', { timeout: 120_000 }, async () => {
    const { location, dir } = await freshLocation(dialect, 'custdb-report-cdnow-');
    copyFileSync(path.join(FIXTURES, 'orders', 'cdnow_sample.csv'), path.join(dir, 'cdnow_sample.csv'));
    const imported = await runCliInProcess(['import', 'cdnow_sample.csv', '--source', 'cdnow', '--db', location, '--json'], { cwd: dir });
    expect(imported.code, imported.stderr).toBe(0);
    const { store } = await openStore({ location, create: false, migrations: 'apply' });
    try {
      const asOf = '1998-06-30';
      const summary = await buildSummaryReport(store, { asOf, months: 18 });
      const series = (title: string) => (summary.sections.find((s) => s.title === title) as SeriesSection).points;
      expect(series('Orders per month').map((p) => p.period)).toEqual(MONTHS);
      expect(series('Orders per month').map((p) => p.value)).toEqual(perMonth(() => 1));
      expect(series('Revenue per month').map((p) => Math.round(p.value * 100))).toEqual(perMonth((p) => p.cents));

      const customers = ordersByCustomer();
      const repeaters = [...customers.values()].filter((orders) => orders.length >= 2).length;
      const figures = Object.fromEntries(summary.sections.flatMap((s) => (s.kind === 'figures' ? (s as FiguresSection).figures.map((f) => [f.label, f.value]) : [])));
      const cents = purchases.reduce((sum, p) => sum + p.cents, 0);
      expect(figures).toMatchObject({
        Customers: customers.size,
        'Ordered at least once': customers.size,
        'Repeat-customer rate (2+ orders)': Math.round((repeaters / customers.size) * 1000) / 10,
        Orders: purchases.length,
        'Average order value': Math.round(cents / purchases.length) / 100,
      });
      expect(Math.round((figures.Revenue as number) * 100)).toBe(cents);

      const cohorts = await buildCohortsReport(store, { asOf, months: 18 });
      expect((cohorts.sections.find((s) => s.kind === 'matrix') as MatrixSection).rows).toEqual(retention());

      const top = await buildTopReport(store, { asOf, by: 'revenue', limit: 5 });
      const spend = [...customers.values()].map((orders) => ({ orders: orders.length, cents: orders.reduce((sum, o) => sum + o.cents, 0) })).sort((a, b) => b.cents - a.cents);
      const rows = (top.sections[0] as TableSection).rows;
      expect(rows.map((row) => [row.orders, Math.round((row.revenue as number) * 100)])).toEqual(spend.slice(0, 5).map((s) => [s.orders, s.cents]));
    } finally {
      await store.close();
    }
  });
});
