import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { predictCustomers } from '../helpers/predict-customers.js';
import { summarizePurchases, type Purchase } from '../../src/analytics/summarize-purchases.js';
import type { FiguresSection, ReportDocument, TableSection } from '../../src/reports/report-document.js';
import { makeWorkdir, runCli } from '../helpers/run-cli.js';
import { runCliInProcess } from '../helpers/run-cli-in-process.js';

/*
 * The CDNOW 1/10 sample (fixtures/orders/cdnow_sample.csv: 6,919 purchases by 2,357 customers) imported as
 * orders and fitted through the CLI as of the end of the published calibration period, 1997-09-30. The
 * published values: Fader, Hardie & Lee (2005) for BG/NBD, their Pareto/NBD note, and their Gamma-Gamma note.
 */
const PUBLISHED = {
  bgnbd: { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 },
  pareto: { r: 0.553, alpha: 10.58, s: 0.606, beta: 11.67 },
  gg: { p: 6.25, q: 3.74, v: 15.44 },
};

function expectWithin(actual: number, expected: number, relative: number): void {
  expect(Math.abs(actual / expected - 1), `${actual} vs ${expected}`).toBeLessThanOrEqual(relative);
}

/** Distinct purchase days per customer in the sample, before and from `cut` (up to and including `until`). */
function occasionsSplitAt(cut: string, until: string): { before: Map<string, number>; from: Map<string, number> } {
  const days = new Map<string, Set<string>>();
  for (const row of readFileSync(path.join(cwd, 'cdnow_sample.csv'), 'utf8').trim().split('\n').slice(1)) {
    const [id, yyyymmdd] = row.split(',');
    const day = `${yyyymmdd!.slice(0, 4)}-${yyyymmdd!.slice(4, 6)}-${yyyymmdd!.slice(6, 8)}`;
    if (day > until) continue;
    days.set(id!, (days.get(id!) ?? new Set()).add(day));
  }
  const before = new Map<string, number>();
  const from = new Map<string, number>();
  for (const [id, set] of days) {
    const all = [...set];
    if (!all.some((day) => day < cut)) continue;
    before.set(id, all.filter((day) => day < cut).length);
    from.set(id, all.filter((day) => day >= cut).length);
  }
  return { before, from };
}

let cwd: string;

beforeAll(async () => {
  cwd = makeWorkdir('orders/cdnow_sample.csv');
  const imported = await runCliInProcess(['import', 'cdnow_sample.csv', '--as', 'orders', '--source', 'cdnow', '--json'], { cwd });
  expect(imported.code, imported.stderr).toBe(0);
}, 120_000);

describe('custdb analytics fit on the CDNOW sample', () => {
  it('custdb analytics fit --model all --as-of 1997-09-30 --json reproduces the published parameters within 1% (β within 2%)', async () => {
    const result = await runCliInProcess(['analytics', 'fit', '--model', 'all', '--as-of', '1997-09-30', '--json'], { cwd });
    expect(result.code, result.stderr).toBe(0);
    const fit = JSON.parse(result.stdout);
    expect(fit).toMatchObject({ asOf: '1997-09-30', unit: 'weeks', customers: 2357 });
    for (const [key, value] of Object.entries(PUBLISHED.bgnbd)) expectWithin(fit.bgnbd.params[key], value, 0.01);
    expectWithin(fit.bgnbd.logLikelihood, -9582.4, 0.001);
    for (const [key, value] of Object.entries(PUBLISHED.pareto)) expectWithin(fit.pareto.params[key], value, key === 'beta' ? 0.02 : 0.01);
    for (const [key, value] of Object.entries(PUBLISHED.gg)) expectWithin(fit.gammaGamma.params[key], value, 0.01);
    expect(fit.gammaGamma.frequencySpendCorrelation).toBeCloseTo(0.11, 2);
    expect(fit.stored).toMatchObject({ customers: 2357, value: { months: 12, monthlyDiscountRate: 0.01 } });
    expect(result.stderr).toMatch(/Stored predictions for 2,357 customers/);
  }, 120_000);

  it('custdb analytics fit --as-of 1997-09-30 prints the parameters with their unit, and the correlation', async () => {
    const result = await runCliInProcess(['analytics', 'fit', '--as-of', '1997-09-30', '--unit', 'weeks'], { cwd });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/Time unit: weeks/);
    expect(result.stdout).toMatch(/BG\/NBD .*r 0\.24\d+ {2}α 4\.41\d* wk {2}a 0\.79\d* {2}b 2\.42\d*.*-9582\.4/);
    expect(result.stdout).toMatch(/Gamma-Gamma .*p 6\.2\d* {2}q 3\.7\d* {2}v 15\.4\d*/);
    expect(result.stdout).not.toMatch(/Pareto/);
    expect(result.stdout).toMatch(/Frequency–spend correlation among repeat buyers: 0\.11/);
  }, 120_000);

  it('custdb analytics fit --holdout-from 1997-10-01 --as-of 1998-06-30 compares predicted with actual repeat purchases, in total and by frequency', async () => {
    const result = await runCliInProcess(['analytics', 'fit', '--model', 'bgnbd', '--holdout-from', '1997-10-01', '--as-of', '1998-06-30', '--json'], { cwd });
    expect(result.code, result.stderr).toBe(0);
    const fit = JSON.parse(result.stdout);
    // Fitted on the calibration period only: the published fit again.
    expect(fit.asOf).toBe('1997-09-30');
    expectWithin(fit.bgnbd.params.r, PUBLISHED.bgnbd.r, 0.01);
    expect(fit.stored).toBeUndefined();
    const { before, from } = occasionsSplitAt('1997-10-01', '1998-06-30');
    const actualByGroup = new Array<number>(8).fill(0);
    const customersByGroup = new Array<number>(8).fill(0);
    for (const [id, occasions] of before) {
      const group = Math.min(occasions - 1, 7);
      actualByGroup[group] = actualByGroup[group]! + from.get(id)!;
      customersByGroup[group] = customersByGroup[group]! + 1;
    }
    expect(fit.holdout.length).toBeCloseTo(39, 10);
    expect(fit.holdout.byFrequency.map((row: { label: string }) => row.label)).toEqual(['0', '1', '2', '3', '4', '5', '6', '7+']);
    expect(fit.holdout.byFrequency.map((row: { actual: number }) => row.actual)).toEqual(actualByGroup);
    expect(fit.holdout.byFrequency.map((row: { customers: number }) => row.customers)).toEqual(customersByGroup);
    expect(fit.holdout.total.actual).toBe(actualByGroup.reduce((sum, n) => sum + n, 0));
    // BG/NBD under-predicts CDNOW's holdout a little (FHL 2005, fig. 3); within 15% in total.
    expectWithin(fit.holdout.total.predicted, fit.holdout.total.actual, 0.15);
    expect(result.stderr).toMatch(/stores nothing/);

    const text = await runCliInProcess(['analytics', 'fit', '--model', 'bgnbd', '--holdout-from', '1997-10-01', '--as-of', '1998-06-30'], { cwd });
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/Holdout check, 1997-10-01 to 1998-06-30 \(39 weeks\)/);
    expect(text.stdout).toMatch(/^7\+ █ █+ \d\.\d\d$/m);
    expect(text.stdout).toMatch(/^ {3}░ ░+ \d\.\d\d$/m);
    expect(text.stdout).not.toMatch(/\u001b\[/);
  }, 120_000);

  it('custdb analytics fit (the built binary) on the CDNOW sample as of 1997-09-30 exits 0 with the fit on stdout and what it stored on stderr', async () => {
    const result = await runCli(['--json', 'analytics', 'fit', '--as-of', '1997-09-30'], { cwd });
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout).bgnbd.params.r).toBeCloseTo(0.2426, 3);
    expect(result.stderr).toMatch(/^Stored predictions for 2,357 customers/);
    const thin = await runCli(['analytics', 'fit', '--as-of', '1997-01-03'], { cwd });
    expect(thin.code).toBe(1);
    expect(thin.stdout).toBe('');
    expect(thin.stderr).toMatch(/too few repeat customers/);
  }, 120_000);

  it('refuses wrong input: thin history (exit 1), bad flags and holdout after as-of (exit 2), with the fix named', async () => {
    const thin = await runCliInProcess(['analytics', 'fit', '--as-of', '1997-01-10'], { cwd });
    expect(thin.code).toBe(1);
    expect(thin.stderr).toMatch(/too few repeat customers.*\n.*--as-of/);
    const cases: [string[], RegExp][] = [
      [['--holdout-from', '1998-10-01', '--as-of', '1998-06-30'], /after --as-of/],
      [['--holdout-from', '1997-13-01'], /--holdout-from 1997-13-01: not a date/],
      [['--model', 'gg', '--holdout-from', '1997-10-01'], /need --model bgnbd, pareto or all/],
      [['--discount-rate', '150%'], /--discount-rate 150%/],
      [['--horizon', '0'], /--horizon 0/],
      [['--unit', 'months'], /months/],
      [['--as-of', 'yesterday'], /--as-of yesterday: not a date/],
    ];
    for (const [args, message] of cases) {
      const result = await runCliInProcess(['analytics', 'fit', ...args], { cwd });
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr).toMatch(message);
    }
    const missing = await runCliInProcess(['analytics', 'fit', '--db', 'nowhere.db'], { cwd });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/no database/i);
  }, 120_000);
});

/** The sample's rows as purchases, read straight from the CSV (the sample id as the customer). */
function samplePurchases(dir: string): Purchase[] {
  return readFileSync(path.join(dir, 'cdnow_sample.csv'), 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((row) => {
      const [id, yyyymmdd, , dollars] = row.split(',');
      return { customerId: Number(id), date: `${yyyymmdd!.slice(0, 4)}-${yyyymmdd!.slice(4, 6)}-${yyyymmdd!.slice(6, 8)}`, amount: Number(dollars) };
    });
}

const PREDICTIONS = 'p_active,expected_orders_90d,expected_orders_365d,predicted_value_12m,clv';

describe('the predicted fields in query, segments and export', () => {
  it('custdb query --fields p_active before any fit exits 2 naming custdb analytics fit', async () => {
    const dir = makeWorkdir();
    expect((await runCliInProcess(['init', '-q'], { cwd: dir })).code).toBe(0);
    expect((await runCliInProcess(['customers', 'add', '--email', 'solo@example.com'], { cwd: dir })).code).toBe(0);
    for (const args of [['query', '--fields', 'email,clv'], ['query', '--where', 'p_active < 0.5', '--count'], ['export', 'customers', '--fields', 'email,p_active']]) {
      const result = await runCliInProcess(args, { cwd: dir });
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr).toMatch(/not been fitted[\s\S]*custdb analytics fit/);
    }
    // A query that does not name them is untouched.
    expect((await runCliInProcess(['query', '--count'], { cwd: dir })).stdout.trim()).toBe('1');
  }, 120_000);

  it('after a fit they are every customer\'s predictions (empty without orders), usable in filters, sorts, segments and exports; stale ones are noted', async () => {
    const fitted = await runCliInProcess(['analytics', 'fit', '--as-of', '1997-09-30', '--json', '--discount-rate', '2%'], { cwd });
    expect(fitted.code, fitted.stderr).toBe(0);
    const fit = JSON.parse(fitted.stdout);
    const added = await runCliInProcess(['customers', 'add', '--email', 'no-orders@example.com', '--json'], { cwd });
    expect(added.code, added.stderr).toBe(0);

    // Worked out here from the CSV and the printed parameters, with the model core alone.
    const summaries = summarizePurchases(samplePurchases(cwd), { asOf: '1997-09-30', unit: 'weeks' });
    const expected = predictCustomers(summaries, { bgnbd: fit.bgnbd.params, gammaGamma: fit.gammaGamma.params }, {
      purchaseHorizons: [90 / 7, 365 / 7],
      values: [{ months: 12, monthlyDiscountRate: 0 }, { months: 12, monthlyDiscountRate: 0.02 }],
    });
    const queried = await runCliInProcess(['query', '--fields', `external_id,email,${PREDICTIONS}`, '--format', 'json'], { cwd });
    expect(queried.code, queried.stderr).toBe(0);
    expect(queried.stderr).toBe('');
    const rows = JSON.parse(queried.stdout) as Record<string, number | string | null>[];
    expect(rows).toHaveLength(2358);
    for (const row of rows) {
      if (row.email === 'no-orders@example.com') {
        expect(row).toMatchObject({ p_active: null, expected_orders_90d: null, expected_orders_365d: null, predicted_value_12m: null, clv: null });
        continue;
      }
      const i = summaries.customerIds.indexOf(Number(row.external_id));
      expect(row.p_active).toBeCloseTo(expected.probabilityAlive[i]!, 9);
      expect(row.expected_orders_90d).toBeCloseTo(expected.expectedPurchases[0]![i]!, 9);
      expect(row.expected_orders_365d).toBeCloseTo(expected.expectedPurchases[1]![i]!, 9);
      expect(row.predicted_value_12m).toBeCloseTo(expected.value[0]![i]!, 7);
      expect(row.clv).toBeCloseTo(expected.value[1]![i]!, 7);
    }

    const lapsing = await runCliInProcess(['query', '--where', 'p_active < 0.3', '--count'], { cwd });
    expect(Number(lapsing.stdout)).toBe(rows.filter((row) => row.p_active !== null && (row.p_active as number) < 0.3).length);
    const top = await runCliInProcess(['query', '--fields', 'external_id,clv', '--sort', 'clv:desc', '--limit', '1', '--format', 'json'], { cwd });
    const best = Math.max(...rows.map((row) => (row.clv as number | null) ?? -1));
    expect(JSON.parse(top.stdout)[0].clv).toBeCloseTo(best, 9);
    const segment = await runCliInProcess(['segment', 'add', 'lapsing', '--where', 'p_active < 0.3 and orders_count >= 2'], { cwd });
    expect(segment.code, segment.stderr).toBe(0);
    const exported = await runCliInProcess(['export', 'segment:lapsing', '--fields', `email,${PREDICTIONS}`], { cwd });
    expect(exported.code, exported.stderr).toBe(0);
    const [header, ...lines] = exported.stdout.trim().split('\n');
    expect(header).toBe(`id,external_ids,email,${PREDICTIONS}`);
    expect(lines.length).toBe(rows.filter((row) => row.p_active !== null && (row.p_active as number) < 0.3 && summaries.frequency[summaries.customerIds.indexOf(Number(row.external_id))]! >= 1).length);
    expect(lines.every((line) => /,0\.\d\d,\d+\.\d\d,\d+\.\d\d,\d+\.\d\d,\d+\.\d\d$/.test(line))).toBe(true);

    // One more order: the predictions are now a fit behind, and say so, until fitted again.
    writeFileSync(path.join(cwd, 'late.csv'), 'customer_id,order_date,quantity,amount\n00004,19980701,1,12.50\n');
    expect((await runCliInProcess(['import', 'late.csv', '--as', 'orders', '--source', 'cdnow'], { cwd })).code).toBe(0);
    const stale = await runCliInProcess(['query', '--where', 'clv > 100', '--count'], { cwd });
    expect(stale.code).toBe(0);
    expect(stale.stderr).toMatch(/predictions are from the fit of \d{4}-\d\d-\d\d \(orders up to 1997-09-30\); 1 order changed since: run custdb analytics fit/);
    const staleExport = await runCliInProcess(['export', 'customers', '--fields', 'p_active', '-o', 'p.csv'], { cwd });
    expect(staleExport.stderr).toMatch(/1 order changed since/);
    expect((await runCliInProcess(['segment', 'count', 'lapsing'], { cwd })).stderr).toMatch(/1 order changed since/);
    expect((await runCliInProcess(['query', '--fields', 'email', '--limit', '1'], { cwd })).stderr).not.toMatch(/predictions/);
    expect((await runCliInProcess(['analytics', 'fit', '--as-of', '1998-07-01'], { cwd })).code).toBe(0);
    expect((await runCliInProcess(['query', '--where', 'clv > 100', '--count'], { cwd })).stderr).toBe('');
  }, 180_000);

  it('custdb report value shows the stored predictions: p_active in bands, the 12-month total, the customers with the highest CLV; report all then includes it', async () => {
    expect((await runCliInProcess(['analytics', 'fit', '--as-of', '1997-09-30'], { cwd })).code).toBe(0);
    const queried = await runCliInProcess(['query', '--where', 'p_active is not empty', '--fields', 'id,p_active,predicted_value_12m,clv', '--format', 'json'], { cwd });
    const rows = JSON.parse(queried.stdout) as { id: number; p_active: number; predicted_value_12m: number; clv: number }[];
    const reported = await runCliInProcess(['report', 'value', '--format', 'json'], { cwd });
    expect(reported.code, reported.stderr).toBe(0);
    const document = JSON.parse(reported.stdout) as ReportDocument;
    const figures = (document.sections[0] as FiguresSection).figures;
    expect(figures[0]!.value).toBe(rows.length);
    expect(figures[1]!.value).toBeCloseTo(rows.reduce((sum, row) => sum + row.predicted_value_12m, 0), 1);
    const bands = (document.sections[1] as TableSection).rows;
    expect(bands.reduce((sum, row) => sum + Number(row.customers), 0)).toBe(rows.length);
    expect(bands[0]!.customers).toBe(rows.filter((row) => row.p_active < 0.2).length);
    const top = (document.sections[2] as TableSection).rows;
    const byClv = [...rows].sort((a, b) => b.clv - a.clv || a.id - b.id);
    expect(top.map((row) => row.id)).toEqual(byClv.slice(0, 10).map((row) => row.id));

    const page = await runCliInProcess(['report', 'all', '--html', 'all.html'], { cwd });
    expect(page.code, page.stderr).toBe(0);
    expect(readFileSync(path.join(cwd, 'all.html'), 'utf8')).toContain('Predicted customer value');
  }, 120_000);
});
