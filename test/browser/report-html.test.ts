import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReportDocument } from '../../src/reports/report-document.js';
import { renderReportHtml } from '../../src/reports/render-report-html.js';
import { chartsCalledFor, HOSTILE_ORDERS_CSV, REPORTS_ON_ALL, sampleReports } from '../helpers/report-html-documents.js';
import { makeWorkdir } from '../helpers/run-cli.js';
import { runCliInProcess } from '../helpers/run-cli-in-process.js';

/** Debian's chromium: playwright-core's own browser downloads cannot work here. */
const CHROMIUM = '/usr/bin/chromium';
/** Where the page is served from; any other address asked for is a request the report must not make. */
const PAGE_URL = 'http://report.invalid/report.html';
/** Screenshots and PDFs for a person to look at. */
const LOOK_AT = path.join(tmpdir(), 'custdb-report-html');
/** A4's width less 15 mm margins each side, in CSS pixels (96 per inch): what a printed page has room for. */
const A4_CONTENT_WIDTH = Math.floor(((210 - 30) / 25.4) * 96);

let browser: Browser;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`The HTML report's browser test needs chromium at ${CHROMIUM}: apt-get install chromium (.ci/run installs it).`);
  // One browser for the file (a launch costs seconds); --no-sandbox because the tests may run as root.
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
});

afterAll(async () => {
  await browser?.close();
});

/** What loading a report showed: its page, the console's errors, and every request other than the page's own. */
interface LoadedReport {
  page: Page;
  errors: string[];
  requests: string[];
}

/** Opens `html` as a page served from PAGE_URL; every other request is answered with an error and noted. */
async function openReport(html: string, viewport = { width: 1000, height: 800 }): Promise<LoadedReport> {
  const context = await browser.newContext({ viewport, javaScriptEnabled: true });
  const page = await context.newPage();
  const errors: string[] = [];
  const requests: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  await context.route('**/*', (route) => {
    if (route.request().url() === PAGE_URL) return route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html });
    requests.push(route.request().url());
    return route.abort();
  });
  await page.goto(PAGE_URL, { waitUntil: 'load' });
  return { page, errors, requests };
}

/** Pages of a PDF as Chromium writes it (each page an object of /Type /Page, uncompressed). */
function countPdfPages(pdf: Buffer): number {
  return pdf.toString('latin1').match(/\/Type\s*\/Page\b/g)?.length ?? 0;
}

/** Size, place and content of every SVG chart on the page (through locators: this project compiles without the DOM's types). */
async function measureCharts(page: Page) {
  const charts = [];
  for (const chart of await page.locator('svg').all()) {
    const box = await chart.boundingBox();
    const labels = (await chart.locator('text').allTextContents()).filter((text) => text.trim() !== '');
    charts.push({ width: box?.width ?? 0, height: box?.height ?? 0, right: (box?.x ?? 0) + (box?.width ?? 0), marks: await chart.locator('rect, path, circle').count(), labels: labels.length });
  }
  return charts;
}

describe('the HTML report in headless Chromium', () => {
  const documents = sampleReports();
  const html = renderReportHtml(documents, {});

  it('draws every chart the reports call for, with a size, marks and labels; logs no error; requests nothing', async () => {
    const { page, errors, requests } = await openReport(html);
    const charts = await measureCharts(page);
    expect(charts.length).toBe(chartsCalledFor(documents));
    for (const chart of charts) {
      expect(chart.width).toBeGreaterThan(100);
      expect(chart.height).toBeGreaterThan(50);
      expect(chart.marks).toBeGreaterThan(0);
      expect(chart.labels).toBeGreaterThan(2);
    }
    expect(errors).toEqual([]);
    expect(requests).toEqual([]);
    mkdirSync(LOOK_AT, { recursive: true });
    await page.screenshot({ path: path.join(LOOK_AT, 'sample-reports.png'), fullPage: true });
    await page.close();
  });

  it('shows hostile names as text: nothing in them runs, loads or becomes an element', async () => {
    const { page, errors, requests } = await openReport(html);
    expect(await page.evaluate<boolean>("'pwned' in window")).toBe(false);
    expect(await page.locator('img, script').count()).toBe(0);
    expect(await page.locator('tbody td').allTextContents()).toEqual(
      expect.arrayContaining(['<script>alert(1)</script>', '<img src=x onerror="window.pwned=1">', '=HYPERLINK("http://x","y")']),
    );
    expect(errors).toEqual([]);
    expect(requests).toEqual([]);
    await page.close();
  });

  it('prints on A4: every chart within the printable width, nothing wider than the page, on white', async () => {
    const { page, errors } = await openReport(html, { width: A4_CONTENT_WIDTH, height: 1000 });
    await page.emulateMedia({ media: 'print' });
    const charts = await measureCharts(page);
    expect(charts.length).toBe(chartsCalledFor(documents));
    for (const chart of charts) expect(chart.right).toBeLessThanOrEqual(A4_CONTENT_WIDTH);
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(A4_CONTENT_WIDTH);
    expect(await page.evaluate<string>('getComputedStyle(document.body).backgroundColor')).toBe('rgb(255, 255, 255)');
    const pdf = await page.pdf({ format: 'A4', printBackground: true });
    mkdirSync(LOOK_AT, { recursive: true });
    writeFileSync(path.join(LOOK_AT, 'sample-reports.pdf'), pdf);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('prints each report from a new page: three reports of a line each take three pages', async () => {
    const short: ReportDocument = { title: 'Short', asOf: '2026-11-30', sections: [{ kind: 'figures', title: 'Customers', figures: [{ label: 'Customers', value: 3, type: 'integer' }] }] };
    const { page } = await openReport(renderReportHtml([short, short, short], {}));
    const pdf = await page.pdf({ format: 'A4' });
    expect(countPdfPages(pdf)).toBe(3);
    await page.close();
  });
});

describe('the HTML reports of a fixture database (CDNOW purchases and three hostile names), in headless Chromium', () => {
  let cwd: string;
  /** Each report's document, read from its JSON output. */
  const documents = new Map<string, ReportDocument>();

  /** Runs custdb in the fixture's folder; any exit but 0 fails with its stderr. */
  async function custdb(...args: string[]): Promise<string> {
    const result = await runCliInProcess(args, { cwd });
    expect(result.code, result.stderr).toBe(0);
    return result.stdout;
  }

  beforeAll(async () => {
    cwd = makeWorkdir('orders/cdnow_sample.csv');
    writeFileSync(path.join(cwd, 'hostile-orders.csv'), HOSTILE_ORDERS_CSV);
    await custdb('import', 'cdnow_sample.csv', '--source', 'cdnow');
    await custdb('import', 'hostile-orders.csv', '--as', 'orders', '--source', 'shop');
    await custdb('report', 'all', '--html', 'all.html', '--as-of', '1998-06-30');
    // Cohorts from the months CDNOW's customers first bought in, so the matrix has cells.
    await custdb('report', 'cohorts', '--html', 'cohorts.html', '--as-of', '1997-12-31');
    for (const name of REPORTS_ON_ALL) documents.set(name, JSON.parse(await custdb('report', name, '--format', 'json', '--as-of', '1998-06-30')) as ReportDocument);
    documents.set('cohorts 1997', JSON.parse(await custdb('report', 'cohorts', '--format', 'json', '--as-of', '1997-12-31')) as ReportDocument);
  });

  it('report all --html: every chart the reports call for is drawn with a size; no error, no request; hostile names are text', async () => {
    const { page, errors, requests } = await openReport(readFileSync(path.join(cwd, 'all.html'), 'utf8'));
    const onPage = REPORTS_ON_ALL.map((name) => documents.get(name)!);
    expect(await page.locator('h1').allTextContents()).toEqual(onPage.map((document) => document.title));
    const charts = await measureCharts(page);
    expect(charts.length).toBe(chartsCalledFor(onPage));
    expect(charts.length).toBeGreaterThanOrEqual(5);
    for (const chart of charts) {
      expect(chart.width).toBeGreaterThan(100);
      expect(chart.height).toBeGreaterThan(50);
      expect(chart.marks).toBeGreaterThan(0);
    }
    expect(await page.evaluate<boolean>("'pwned' in window")).toBe(false);
    expect(await page.locator('img, script').count()).toBe(0);
    expect(await page.locator('tbody td').allTextContents()).toEqual(
      expect.arrayContaining(['<script>alert(1)</script> Smith', expect.stringMatching(/^<img src=x onerror="window\.pwned=1"> Jones$/i), '=HYPERLINK("http://x","y") Brown']),
    );
    expect(errors).toEqual([]);
    expect(requests).toEqual([]);
    mkdirSync(LOOK_AT, { recursive: true });
    await page.screenshot({ path: path.join(LOOK_AT, 'report-all.png'), fullPage: true });
    await page.close();
  });

  it('report cohorts --html: the heat-map has a shaded cell with its percentage for every month a cohort has reached', async () => {
    const { page, errors, requests } = await openReport(readFileSync(path.join(cwd, 'cohorts.html'), 'utf8'));
    const matrix = documents.get('cohorts 1997')!.sections.find((section) => section.kind === 'matrix');
    if (matrix?.kind !== 'matrix') throw new Error('report cohorts has a matrix section');
    const reached = matrix.rows.flatMap((row) => row.cells).filter((cell) => cell !== null);
    expect(reached.length).toBeGreaterThan(10);
    const chart = page.locator('section[data-kind="matrix"] svg');
    expect(await chart.locator('g[aria-label="cell"] rect').count()).toBe(reached.length);
    expect(await chart.locator('g[aria-label="text"] text').allTextContents()).toEqual(reached.map((cell) => cell.toFixed(1)));
    expect((await chart.boundingBox())?.height).toBeGreaterThan(100);
    expect(errors).toEqual([]);
    expect(requests).toEqual([]);
    await page.screenshot({ path: path.join(LOOK_AT, 'report-cohorts.png'), fullPage: true });
    await page.close();
  });
});
