import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseHTML } from 'linkedom';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ReportDocument } from '../../src/reports/report-document.js';
import { chartsCalledFor, HOSTILE_ORDERS_CSV, REPORTS_ON_ALL } from '../helpers/report-html-documents.js';
import { makeWorkdir, runCli } from '../helpers/run-cli.js';
import { runCliInProcess } from '../helpers/run-cli-in-process.js';

/** A folder with the CDNOW purchases and three customers of hostile names imported. */
async function preparedDatabase(): Promise<string> {
  const cwd = makeWorkdir('orders/cdnow_sample.csv');
  writeFileSync(path.join(cwd, 'hostile-orders.csv'), HOSTILE_ORDERS_CSV);
  for (const args of [
    ['import', 'cdnow_sample.csv', '--source', 'cdnow'],
    ['import', 'hostile-orders.csv', '--as', 'orders', '--source', 'shop'],
  ]) {
    const result = await runCliInProcess(args, { cwd });
    expect(result.code, result.stderr).toBe(0);
  }
  return cwd;
}

function readPage(file: string) {
  return parseHTML(readFileSync(file, 'utf8')).document;
}

async function reportDocument(cwd: string, name: string): Promise<ReportDocument> {
  const result = await runCliInProcess(['report', name, '--format', 'json', '--as-of', '1998-06-30'], { cwd });
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as ReportDocument;
}

/** Files in `cwd` but the database and what the fixture put there: a refused run leaves none, not even a half-written one. */
function filesWritten(cwd: string): string[] {
  return readdirSync(cwd).filter((name) => !/^customers\.db|^cdnow_sample\.csv$|^hostile-orders\.csv$/.test(name));
}

describe('custdb report … --html FILE', () => {
  let cwd: string;
  beforeAll(async () => {
    cwd = await preparedDatabase();
  });

  it('custdb report summary --html summary.html --as-of 1998-06-30 writes the page (0600), prints nothing, says where', async () => {
    const result = await runCliInProcess(['report', 'summary', '--html', 'summary.html', '--as-of', '1998-06-30'], { cwd });
    expect(result).toEqual({ code: 0, stdout: '', stderr: 'Wrote customer summary as HTML to summary.html.\n' });
    expect(statSync(path.join(cwd, 'summary.html')).mode & 0o777).toBe(0o600);
    expect(filesWritten(cwd).filter((name) => name.includes('.partial-'))).toEqual([]);
    const page = readPage(path.join(cwd, 'summary.html'));
    const summary = await reportDocument(cwd, 'summary');
    expect(page.querySelector('h1').textContent).toBe(summary.title);
    expect(page.querySelectorAll('svg').length).toBe(chartsCalledFor([summary]));
    // 2,357 CDNOW customers and the three hostile ones, grouped as a person reads it.
    expect(page.querySelectorAll('dl.figures dd')[0].textContent).toBe('2,360');
  });

  it('custdb report top --html top.html -o top.csv --format csv writes both; hostile names are text in the page', async () => {
    const result = await runCliInProcess(['report', 'top', '--html', 'top.html', '-o', 'top.csv', '--format', 'csv', '--as-of', '1998-06-30'], { cwd });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toBe('Wrote top customers by revenue as HTML to top.html.\nWrote top customers by revenue to top.csv.\n');
    expect(readFileSync(path.join(cwd, 'top.csv'), 'utf8')).toMatch(/^section,/);
    const page = readPage(path.join(cwd, 'top.html'));
    expect(page.querySelectorAll('script, img').length).toBe(0);
    const names = [...page.querySelectorAll('tbody td')].map((cell) => cell.textContent);
    expect(names).toEqual(expect.arrayContaining(['<script>alert(1)</script> Smith', '=HYPERLINK("http://x","y") Brown']));
    expect(names.some((name) => /^<img src=x onerror="window\.pwned=1"> Jones$/i.test(name))).toBe(true);
  });

  it('custdb report all --html all.html puts summary, top, rfm, cohorts and quality on one page while value is not fitted, and leaves quality out for --where', async () => {
    const result = await runCliInProcess(['report', 'all', '--html', 'all.html', '--as-of', '1998-06-30'], { cwd });
    expect(result).toEqual({ code: 0, stdout: '', stderr: 'Wrote 5 reports as HTML to all.html.\n' });
    const documents = [];
    for (const name of REPORTS_ON_ALL) documents.push(await reportDocument(cwd, name));
    const page = readPage(path.join(cwd, 'all.html'));
    expect([...page.querySelectorAll('h1')].map((heading) => heading.textContent)).toEqual(documents.map((document) => document.title));
    expect(page.querySelectorAll('svg').length).toBe(chartsCalledFor(documents));
    const scoped = await runCliInProcess(['report', 'all', '--html', 'some.html', '--as-of', '1998-06-30', '--where', 'orders_count >= 2'], { cwd });
    expect(scoped).toEqual({ code: 0, stdout: '', stderr: 'Wrote 4 reports as HTML to some.html.\n' });
    expect([...readPage(path.join(cwd, 'some.html')).querySelectorAll('h1')].map((heading) => heading.textContent)).not.toContain('Data quality');
  });

  it('custdb report summary --html no/such/folder/r.html: exit 2 naming the folder, nothing written', async () => {
    const before = filesWritten(cwd);
    const result = await runCliInProcess(['report', 'summary', '--html', 'no/such/folder/r.html'], { cwd });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/Cannot write no\/such\/folder\/r\.html: its folder does not exist/);
    expect(filesWritten(cwd)).toEqual(before);
  });

  it('custdb report summary --html bad.html --where "no_such_field = 1": exit 2, no page written', async () => {
    const result = await runCliInProcess(['report', 'summary', '--html', 'bad.html', '--where', 'no_such_field = 1'], { cwd });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/no_such_field/);
    expect(existsSync(path.join(cwd, 'bad.html'))).toBe(false);
  });

  it('custdb report all (without --html): exit 2 naming --html', async () => {
    const result = await runCliInProcess(['report', 'all'], { cwd });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--html/);
  });

  it('custdb report summary --html r.html with no database: exit 2, no page written', async () => {
    const empty = makeWorkdir();
    const result = await runCliInProcess(['report', 'summary', '--html', 'r.html'], { cwd: empty });
    expect(result.code).toBe(2);
    expect(readdirSync(empty)).toEqual([]);
  });
});

describe('custdb report --html (spawned binary)', () => {
  it('custdb report rfm --html rfm.html writes a page with its chart', async () => {
    const cwd = await preparedDatabase();
    const result = await runCli(['report', 'rfm', '--html', 'rfm.html', '--as-of', '1998-06-30'], { cwd });
    expect(result).toEqual({ code: 0, stdout: '', stderr: 'Wrote customers by rfm segment as HTML to rfm.html.\n' });
    const page = readPage(path.join(cwd, 'rfm.html'));
    expect(page.querySelectorAll('svg').length).toBe(chartsCalledFor([await reportDocument(cwd, 'rfm')]));
    expect(page.querySelectorAll('svg').length).toBeGreaterThan(0);
  });
});
