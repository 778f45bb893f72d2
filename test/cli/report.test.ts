import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import type { FiguresSection, MatrixSection, ReportDocument, SeriesSection, TableSection } from '../../src/reports/report-document.js';
import { NO_DATABASE } from '../helpers/cli-database.js';
import { makeWorkdir, runCli } from '../helpers/run-cli.js';
import { runCliInProcess } from '../helpers/run-cli-in-process.js';

/*
 * A shop worked out by hand (main currency USD, reports as of 2026-03-31 unless said):
 *   K1 Ann (US, consent)  O1 2025-11-03 100 USD, O2 2026-01-15 50 USD, O3 2026-03-02 30 USD
 *   K2 Ben (GB)           O4 2026-01-20 80 USD, O5 2026-02-11 40 USD refunded (never counted)
 *   K3 <script> (US, consent)  O6 2026-02-05 20 EUR (another currency: counted as an order, left out of money)
 *   K4 =HYPERLINK (GB)    O8 2025-03-10 60 USD (before 2025-03-31: not active)
 *   K5 Eve (US, consent)  no orders
 * Counted orders 6, in USD 5 worth 320.00 (average 64.00); buyers 4, repeat K1 only: 25.0 %.
 * RFM (R, F over the 4 buyers): K4 R2 F4 At Risk, K2 R3 F4 and K3 R4 F4 Loyal Customers, K1 R5 F5 Champions.
 */
const CUSTOMERS = `Customer ID,First Name,Last Name,Email,Country,Accepts Marketing
K1,Ann,Lee,ann@example.com,US,yes
K2,Ben,Fox,ben@example.com,GB,no
K3,<script>alert(1)</script>,,cat@example.com,US,yes
K4,"=HYPERLINK(""http://x"",""y"")",,dan@example.com,GB,no
K5,Eve,Ng,eve@example.com,US,yes
`;
const ORDERS = `Customer ID,Email,Order ID,Order Date,Order Status,Amount,Currency
K1,ann@example.com,O1,2025-11-03,paid,100.00,USD
K1,ann@example.com,O2,2026-01-15,paid,50.00,USD
K1,ann@example.com,O3,2026-03-02,paid,30.00,USD
K2,ben@example.com,O4,2026-01-20,paid,80.00,USD
K2,ben@example.com,O5,2026-02-11,refunded,40.00,USD
K3,cat@example.com,O6,2026-02-05,paid,20.00,EUR
K4,dan@example.com,O8,2025-03-10,paid,60.00,USD
`;
const AS_OF = ['--as-of', '2026-03-31'];

let cwd: string;
const run = (...args: string[]) => runCliInProcess(['--db', 'shop.db', ...args], { cwd });
const custdb = async (...args: string[]) => {
  const result = await run(...args);
  expect(result.code, `custdb ${args.join(' ')}: ${result.stderr}`).toBe(0);
  return result.stdout;
};
const report = async (...args: string[]) => JSON.parse(await custdb('report', ...args, '--format', 'json')) as ReportDocument;
const section = <T extends ReportDocument['sections'][number]>(document: ReportDocument, title: string) => document.sections.find((s) => s.title === title) as T;
const figures = (document: ReportDocument, title: string) => Object.fromEntries(section<FiguresSection>(document, title).figures.map((f) => [f.label, f.value]));
const series = (document: ReportDocument, title: string) => section<SeriesSection>(document, title).points.map((p) => `${p.period}=${p.value}`);

beforeAll(async () => {
  cwd = makeWorkdir();
  writeFileSync(path.join(cwd, 'customers.csv'), CUSTOMERS);
  writeFileSync(path.join(cwd, 'orders.csv'), ORDERS);
  await custdb('init');
  await custdb('import', 'customers.csv');
  await custdb('import', 'orders.csv', '--as', 'orders', '--source', 'shop');
  await custdb('config', 'set', 'currency', 'USD');
  await custdb('segment', 'add', 'gb', '--where', 'country = "GB"');
});

describe('custdb report summary', () => {
  it('custdb report summary --as-of 2026-03-31 --months 6 --format json: the hand-worked figures, series and sources', async () => {
    const summary = await report('summary', ...AS_OF, '--months', '6');
    expect(summary).toMatchObject({ title: 'Customer summary', asOf: '2026-03-31', currency: 'USD' });
    expect(summary.scope).toBeUndefined();
    expect(figures(summary, 'Customers')).toEqual({
      Customers: 5,
      'Active (ordered in the last 12 months)': 3,
      'With email consent': 3,
      'Ordered at least once': 4,
      'Repeat-customer rate (2+ orders)': 25,
    });
    expect(figures(summary, 'Orders')).toEqual({ Orders: 6, Revenue: 320, 'Average order value': 64, 'Orders in other currencies (left out of money)': 1 });
    expect(series(summary, 'New customers per month (first order)')).toEqual(['2025-10=0', '2025-11=1', '2025-12=0', '2026-01=1', '2026-02=1', '2026-03=0']);
    expect(series(summary, 'Orders per month')).toEqual(['2025-10=0', '2025-11=1', '2025-12=0', '2026-01=2', '2026-02=1', '2026-03=1']);
    expect(series(summary, 'Revenue per month')).toEqual(['2025-10=0', '2025-11=100', '2025-12=0', '2026-01=130', '2026-02=0', '2026-03=30']);
    expect(section<TableSection>(summary, 'Top sources').rows).toEqual([
      { source: 'csv', customers: 5, share: 100 },
      { source: 'shop', customers: 4, share: 80 },
    ]);
  });

  it('custdb report summary --where \'country = "US"\': only those customers and their orders', async () => {
    const summary = await report('summary', ...AS_OF, '--where', 'country = "US"');
    expect(summary.scope).toBe('country = "US"');
    expect(figures(summary, 'Customers')).toMatchObject({ Customers: 3, 'Ordered at least once': 2, 'Repeat-customer rate (2+ orders)': 50 });
    expect(figures(summary, 'Orders')).toEqual({ Orders: 4, Revenue: 180, 'Average order value': 60, 'Orders in other currencies (left out of money)': 1 });
  });

  it('custdb report summary --segment gb: a saved segment narrows it the same way (and no orders are left out)', async () => {
    const summary = await report('summary', ...AS_OF, '--segment', 'gb');
    expect(summary.scope).toBe('segment gb');
    expect(figures(summary, 'Customers')).toMatchObject({ Customers: 2, 'Active (ordered in the last 12 months)': 1, 'With email consent': 0 });
    expect(figures(summary, 'Orders')).toEqual({ Orders: 2, Revenue: 140, 'Average order value': 70 });
  });

  it('custdb report summary --as-of 2026-01-31: only orders up to the end of that day count', async () => {
    const summary = await report('summary', '--as-of', '2026-01-31', '--months', '3');
    expect(figures(summary, 'Customers')).toMatchObject({ 'Active (ordered in the last 12 months)': 3, 'Ordered at least once': 3, 'Repeat-customer rate (2+ orders)': 33.3 });
    expect(figures(summary, 'Orders')).toEqual({ Orders: 4, Revenue: 290, 'Average order value': 72.5 });
    expect(series(summary, 'Orders per month')).toEqual(['2025-11=1', '2025-12=0', '2026-01=2']);
  });

  it('custdb report summary: at 80 columns, with NO_COLOR no escape codes, and the charts drawn', async () => {
    const text = await custdb('report', 'summary', ...AS_OF, '--months', '6');
    expect(text).not.toContain('\u001b');
    for (const line of text.split('\n')) expect([...line].length, line).toBeLessThanOrEqual(80);
    expect(text).toContain('as of 2026-03-31 · all customers · money in USD');
    expect(text).toMatch(/Revenue +320\.00\n/);
    expect(text).toMatch(/Repeat-customer rate \(2\+ orders\) +25\.0 %/);
    // Revenue per month 0, 100, 0, 130, 0, 30 drawn from 0 to 130, with the numbers beside it.
    expect(text).toContain('  ▁▆▁█▁▃\n  2025-10 … 2026-03\n  lowest 0.00 · highest 130.00 · last 30.00 (2026-03)');
    expect(text).toMatch(/│ shop +│ 4 +│ 80\.0 % +│ █+▊ *│/);
  });
});

describe('custdb report top, rfm, cohorts', () => {
  it('custdb report top --limit 3: by revenue in the main currency, the EUR customer out of the ranking', async () => {
    const top = await report('top', ...AS_OF, '--limit', '3');
    expect(section<TableSection>(top, 'Top 3 by revenue').rows).toEqual([
      { id: 1, name: 'Ann Lee', email: 'ann@example.com', orders: 3, revenue: 180, last_order: '2026-03-02' },
      { id: 2, name: 'Ben Fox', email: 'ben@example.com', orders: 1, revenue: 80, last_order: '2026-01-20' },
      { id: 4, name: '=HYPERLINK("http://x","y")', email: 'dan@example.com', orders: 1, revenue: 60, last_order: '2025-03-10' },
    ]);
  });

  it('custdb report top --by orders: most orders first, ties by revenue (none last), then id', async () => {
    const top = await report('top', ...AS_OF, '--by', 'orders');
    expect(section<TableSection>(top, 'Top 10 by orders').rows.map((row) => [row.id, row.orders, row.revenue])).toEqual([
      [1, 3, 180],
      [2, 1, 80],
      [4, 1, 60],
      [3, 1, null],
    ]);
  });

  it('custdb report top --format csv: one table, formulas neutralised, markup left as text', async () => {
    const csv = await custdb('report', 'top', ...AS_OF, '--by', 'orders', '--format', 'csv');
    const rows = parse(csv, { columns: true }) as Record<string, string>[];
    expect(Object.keys(rows[0]!)).toEqual(['section', 'id', 'name', 'email', 'orders', 'revenue', 'last_order']);
    expect(rows.map((row) => row.name)).toEqual(['Ann Lee', 'Ben Fox', `'=HYPERLINK("http://x","y")`, '<script>alert(1)</script>']);
    expect(rows[3]).toMatchObject({ section: 'Top 10 by orders', orders: '1', revenue: '' });
  });

  it('custdb report top --mask: names and emails masked as export --mask does, the numbers as they were', async () => {
    const top = await report('top', ...AS_OF, '--limit', '2', '--mask');
    expect(section<TableSection>(top, 'Top 2 by revenue').rows).toEqual([
      { id: 1, name: 'A*** L***', email: 'a***@example.com', orders: 3, revenue: 180, last_order: '2026-03-02' },
      { id: 2, name: 'B*** F***', email: 'b***@example.com', orders: 1, revenue: 80, last_order: '2026-01-20' },
    ]);
    const csv = await custdb('report', 'top', ...AS_OF, '--mask', '--format', 'csv');
    expect(csv).not.toMatch(/ann@|ben@|Ann Lee|Ben Fox/);
  });

  it('custdb report rfm: customers and revenue per segment, the unscored last, the EUR spend counted out', async () => {
    const rfm = await report('rfm', ...AS_OF);
    expect(figures(rfm, 'RFM')).toEqual({ Customers: 5, 'Scored (ordered at least once)': 4, Revenue: 320, 'Customers with spend in other currencies (left out of revenue)': 1 });
    expect(section<TableSection>(rfm, 'Segments').rows).toEqual([
      { segment: 'Champions', customers: 1, customer_share: 20, revenue: 180, revenue_share: 56.3 },
      { segment: 'Loyal Customers', customers: 2, customer_share: 40, revenue: 80, revenue_share: 25 },
      { segment: 'At Risk', customers: 1, customer_share: 20, revenue: 60, revenue_share: 18.8 },
      { segment: 'No orders yet', customers: 1, customer_share: 20, revenue: 0, revenue_share: 0 },
    ]);
    const gb = await report('rfm', ...AS_OF, '--segment', 'gb');
    expect(section<TableSection>(gb, 'Segments').rows.map((row) => [row.segment, row.customers, row.revenue])).toEqual([
      ['Loyal Customers', 1, 80],
      ['At Risk', 1, 60],
    ]);
  });

  it('custdb report cohorts --months 6: retention % by months since the first order, null where not reached', async () => {
    const cohorts = await report('cohorts', ...AS_OF, '--months', '6');
    const matrix = section<MatrixSection>(cohorts, 'Retention: % of each cohort ordering, by months since the first order');
    expect(matrix.columns).toEqual(['0', '1', '2', '3', '4', '5']);
    expect(matrix.rows).toEqual([
      { label: '2025-10', size: 0, cells: [null, null, null, null, null, null] },
      { label: '2025-11', size: 1, cells: [100, 0, 100, 0, 100, null] },
      { label: '2025-12', size: 0, cells: [null, null, null, null, null, null] },
      // O5 in 2026-02 was refunded: Ben did not come back.
      { label: '2026-01', size: 1, cells: [100, 0, 0, null, null, null] },
      { label: '2026-02', size: 1, cells: [100, 0, null, null, null, null] },
      { label: '2026-03', size: 0, cells: [null, null, null, null, null, null] },
    ]);
    const text = await custdb('report', 'cohorts', ...AS_OF, '--months', '6');
    expect(text).toContain('  2025-11     1 █100    0 █100    0 █100\n');
    for (const line of text.split('\n')) expect([...line].length, line).toBeLessThanOrEqual(80);
  });

  it('custdb report summary --format csv: every section in one CSV, a section column first', async () => {
    const csv = await custdb('report', 'summary', ...AS_OF, '--months', '6', '--format', 'csv');
    const rows = parse(csv, { columns: true }) as Record<string, string>[];
    expect(Object.keys(rows[0]!)).toEqual(['section', 'label', 'value', 'period', 'source', 'customers', 'share']);
    expect(rows.filter((row) => row.section === 'Orders').map((row) => [row.label, row.value])).toEqual([
      ['Orders', '6'],
      ['Revenue', '320'],
      ['Average order value', '64'],
      ['Orders in other currencies (left out of money)', '1'],
    ]);
    expect(rows.filter((row) => row.section === 'Revenue per month').map((row) => row.value)).toEqual(['0', '100', '0', '130', '0', '30']);
    expect(rows.filter((row) => row.section === 'Top sources')).toEqual([
      { section: 'Top sources', label: '', value: '', period: '', source: 'csv', customers: '5', share: '100' },
      { section: 'Top sources', label: '', value: '', period: '', source: 'shop', customers: '4', share: '80' },
    ]);
  });

  it('custdb report rfm -o rfm.json: the file holds what stdout would, written whole', async () => {
    const result = await run('report', 'rfm', ...AS_OF, '--format', 'json', '-o', 'rfm.json');
    expect(result).toMatchObject({ code: 0, stdout: '' });
    expect(readFileSync(path.join(cwd, 'rfm.json'), 'utf8')).toBe(await custdb('report', 'rfm', ...AS_OF, '--format', 'json'));
    expect(readdirSync(cwd).filter((name) => name.includes('.partial-'))).toEqual([]);
  });
});

describe('custdb report refuses what it cannot do (exit 2)', () => {
  it.each([
    [['report', 'nope'], /There is no report "nope"[\s\S]*Reports: summary, top, rfm, cohorts, quality, value/],
    [['report'], /Which report\?[\s\S]*Reports: summary, top/],
    [['report', 'top', '--by', 'spend'], /argument 'spend' is invalid. Allowed choices are revenue, orders/],
    [['report', 'top', '--limit', '0'], /--limit 0: not a whole number from 1 to 10000/],
    [['report', 'cohorts', '--months', 'x'], /--months x: not a whole number/],
    [['report', 'summary', '--as-of', '2026-02-30'], /--as-of 2026-02-30: not a date/],
    [['report', 'rfm', '--segment', 'nobody'], /segment/i],
    [['report', 'summary', '--format', 'xml'], /Allowed choices are table, csv, json/],
    // Before `custdb analytics fit` (or before the predicted-value fields exist) there is nothing to report.
    [['report', 'value'], /have not been fitted on this database yet[\s\S]*Run custdb analytics fit/],
  ])('custdb %j', async (args, message) => {
    const result = await run(...args);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(message);
  });

  it('custdb report summary --where "totl_spent > 5": the filter error points at the mistake', async () => {
    const result = await run('report', 'summary', '--where', 'totl_spent > 5');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('did you mean total_spent');
    expect(result.stderr).toMatch(/totl_spent > 5\n\s*\^/);
  });

  it('custdb report top -o missing/top.csv: an unwritable path, nothing written', async () => {
    const result = await run('report', 'top', '--format', 'csv', '-o', 'missing/top.csv');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('its folder does not exist');
    expect(existsSync(path.join(cwd, 'missing'))).toBe(false);
  });

  it('custdb report summary on a database that does not exist', async () => {
    const result = await runCliInProcess(['--db', 'none.db', 'report', 'summary'], { cwd: makeWorkdir() });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(NO_DATABASE);
  });
});

describe('custdb report (spawned binary)', () => {
  it('custdb report summary --months 6 --as-of 2026-03-31', async () => {
    const result = await runCli(['--db', 'shop.db', 'report', 'summary', ...AS_OF, '--months', '6'], { cwd });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Customer summary\n/);
    expect(result.stdout).toMatch(/Orders +6\n/);
    expect(result.stdout).not.toContain('\u001b');
  });
});

describe('custdb report with orders in several currencies and none', () => {
  /*
   * Main currency USD. M1 has orders in USD, EUR and one without a currency (several currencies: the one without
   * counts as USD); M2 has one in EUR and one without (their one currency is EUR: both left out).
   * Counted orders 5; in USD O1 10.00 + O3 7.00 = 17.00 over 2 orders; 3 left out.
   */
  it('custdb report summary: money only in the main currency, the same in the totals and the monthly series', async () => {
    const dir = makeWorkdir();
    writeFileSync(path.join(dir, 'orders.csv'), `Customer ID,Order ID,Order Date,Order Status,Amount,Currency
M1,O1,2026-03-01,paid,10.00,USD
M1,O2,2026-03-02,paid,5.00,EUR
M1,O3,2026-03-03,paid,7.00,
M2,O4,2026-03-04,paid,3.00,
M2,O5,2026-03-05,paid,4.00,EUR
`);
    const here = (...args: string[]) => runCliInProcess(['--db', 'mixed.db', ...args], { cwd: dir });
    for (const args of [['init'], ['import', 'orders.csv', '--as', 'orders', '--source', 'shop'], ['config', 'set', 'currency', 'USD']]) {
      const result = await here(...args);
      expect(result.code, result.stderr).toBe(0);
    }
    const result = await here('report', 'summary', ...AS_OF, '--months', '1', '--format', 'json');
    expect(result.code, result.stderr).toBe(0);
    const summary = JSON.parse(result.stdout) as ReportDocument;
    expect(figures(summary, 'Orders')).toEqual({ Orders: 5, Revenue: 17, 'Average order value': 8.5, 'Orders in other currencies (left out of money)': 3 });
    expect(series(summary, 'Revenue per month')).toEqual(['2026-03=17']);
    expect(series(summary, 'Orders per month')).toEqual(['2026-03=5']);
  });
});
