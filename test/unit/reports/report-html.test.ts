import { parseHTML } from 'linkedom';
import { describe, expect, it } from 'vitest';
import type { ReportDocument } from '../../../src/reports/report-document.js';
import { renderReportHtml } from '../../../src/reports/render-report-html.js';
import { HOSTILE_NAMES, sampleReports } from '../../helpers/report-html-documents.js';

/** The rendered page read back the way a browser would parse it. */
function readPage(documents: ReportDocument[]) {
  const html = renderReportHtml(documents, {});
  return { html, document: parseHTML(html).document };
}

const texts = (root: { querySelectorAll(selector: string): Iterable<{ textContent: string | null }> }, selector: string) =>
  [...root.querySelectorAll(selector)].map((node) => node.textContent);

describe('renderReportHtml', () => {
  it('writes one page that can load nothing: no script, no link, no src or href, and a policy refusing all but inline style', () => {
    const { html, document } = readPage(sampleReports());
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(document.querySelectorAll('script, link, img, iframe, object, embed').length).toBe(0);
    expect(document.querySelectorAll('[src], [href], [xlink\\:href]').length).toBe(0);
    expect(document.querySelector('meta[http-equiv="Content-Security-Policy"]').getAttribute('content')).toBe("default-src 'none'; style-src 'unsafe-inline'");
    for (const style of texts(document, 'style')) expect(style).not.toMatch(/url\(|@import/);
  });

  it('shows every hostile name as its text, in the table and on the chart, with control and bidi characters visible', () => {
    const { html, document } = readPage(sampleReports());
    const shown = ['<script>alert(1)</script>', '<img src=x onerror="window.pwned=1">', '=HYPERLINK("http://x","y")', 'Tom & "Jerry"', 'Evil\\x1b[2J\\u202eGuy'];
    expect(HOSTILE_NAMES.length).toBe(shown.length);
    expect(texts(document, 'tbody td:nth-child(2)')).toEqual(expect.arrayContaining(shown));
    expect(texts(document, 'svg text')).toEqual(expect.arrayContaining(['<script>alert(1)</script>', '=HYPERLINK("http://x","y")']));
    expect(html).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/u);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('draws a chart for each series, barred table and matrix that has data, and says so where there is none', () => {
    const { document } = readPage(sampleReports());
    expect(document.querySelectorAll('section[data-kind="series"] svg').length).toBe(3);
    expect(document.querySelectorAll('section[data-kind="table"] svg').length).toBe(2);
    expect(document.querySelectorAll('section[data-kind="matrix"] svg').length).toBe(1);
    expect(texts(document, 'p.empty')).toEqual(['No months to show.', 'None.']);
  });

  it('formats figures and cells: grouped integers, money with two decimals and its currency, percentages, a dash for none', () => {
    const { document } = readPage(sampleReports());
    expect(texts(document, 'dl.figures dd')).toEqual(['1,204', '123,456.50 EUR', '23.4 %', '2024-01-03', '–']);
    expect(texts(document, 'thead th')).toContain('Revenue (EUR)');
    expect(texts(document, 'tbody td')).toContain('5,000.00');
    expect(texts(document, 'header p')[1]).toBe('As of 2026-11-30 · customers: country = "DE" · amounts in EUR');
  });

  it('writes each bar’s value on the chart and keeps a bar for each of two customers of one name', () => {
    const [, top] = sampleReports();
    const table = top!.sections[0]!;
    if (table.kind !== 'table') throw new Error('the sample’s first top section is a table');
    table.rows = [
      { id: 1, name: 'Jane Smith', email: null, revenue: 900, last_order: null },
      { id: 2, name: 'Jane Smith', email: null, revenue: 300, last_order: null },
    ];
    const { document } = readPage([top!]);
    const chart = document.querySelector('section[data-kind="table"] svg');
    expect(chart.querySelectorAll('g[aria-label="bar"] rect').length).toBe(2);
    expect(texts(chart, 'g[aria-label="text"] text')).toEqual(['900.00', '300.00']);
    expect(texts(chart, 'g[aria-label="y-axis tick label"] text')).toEqual(['Jane Smith', 'Jane Smith']);
  });

  it('labels a customer’s bar by name, else email, else "#id", while the table keeps the id first', () => {
    const [, top] = sampleReports();
    const table = top!.sections[0]!;
    if (table.kind !== 'table') throw new Error('the sample’s first top section is a table');
    table.rows = [
      { id: 2358, name: 'Jane Smith', email: 'jane@example.com', revenue: 900, last_order: null },
      { id: 7, name: null, email: 'nameless@example.com', revenue: 500, last_order: null },
      { id: 12, name: '', email: null, revenue: 300, last_order: null },
    ];
    const { document } = readPage([top!]);
    const chart = document.querySelector('section[data-kind="table"] svg');
    expect(texts(chart, 'g[aria-label="y-axis tick label"] text')).toEqual(['Jane Smith', 'nameless@example.com', '#12']);
    expect(texts(document, 'tbody td:first-child')).toEqual(['2,358', '7', '12']);
  });

  it('shades a matrix cell per month reached, with its percentage as text, and leaves months not yet reached blank', () => {
    const { document } = readPage([sampleReports()[2]!]);
    const chart = document.querySelector('section[data-kind="matrix"] svg');
    const matrix = sampleReports()[2]!.sections[0]!;
    if (matrix.kind !== 'matrix') throw new Error('the sample cohorts report is a matrix');
    const reached = matrix.rows.flatMap((row) => row.cells).filter((cell) => cell !== null);
    expect(chart.querySelectorAll('g[aria-label="cell"] rect').length).toBe(reached.length);
    expect(texts(chart, 'g[aria-label="text"] text')).toEqual(reached.map((cell) => cell.toFixed(1)));
    expect(texts(chart, 'g[aria-label="y-axis tick label"] text')[0]).toBe('2026-01 (100)');
  });

  it('draws counts and money per month as bars with their values, rates as a line of points, and a long series with compact labels', () => {
    const { document } = readPage([sampleReports()[0]!]);
    const [newCustomers, revenue, rate] = [...document.querySelectorAll('section[data-kind="series"] svg')];
    expect(newCustomers.querySelectorAll('g[aria-label="rect"] rect').length).toBe(14);
    expect(texts(newCustomers, 'g[aria-label="text"] text').slice(0, 3)).toEqual(['20', '27', '21']);
    expect(revenue.querySelectorAll('g[aria-label="rect"] rect').length).toBe(36);
    expect(revenue.querySelectorAll('g[aria-label="text"] text').length).toBe(0);
    expect(rate.querySelectorAll('g[aria-label="rect"] rect').length).toBe(0);
    expect(rate.querySelectorAll('g[aria-label="line"] path').length).toBe(1);
    expect(rate.querySelectorAll('g[aria-label="dot"] circle').length).toBe(11);
    expect(texts(rate, 'g[aria-label="text"] text')[0]).toBe('10.0 %');
  });

  it('says "No cohorts to show." for cohorts that have no customers, instead of a grid of blanks', () => {
    const empty: ReportDocument = {
      title: 'Cohorts',
      asOf: '2026-11-30',
      sections: [{ kind: 'matrix', title: 'Retention', rowLabel: 'cohort', columnLabel: 'months', columns: ['0', '1'], rows: [{ label: '2026-10', size: 0, cells: [null, null] }] }],
    };
    const { document } = readPage([empty]);
    expect(document.querySelectorAll('svg').length).toBe(0);
    expect(texts(document, 'p.empty')).toEqual(['No cohorts to show.']);
  });

  it('titles the page after its one report, or generally for several, or as asked', () => {
    const [summary] = sampleReports();
    expect(readPage([summary!]).document.title).toBe('Customer summary');
    expect(readPage(sampleReports()).document.title).toBe('Customer reports');
    expect(parseHTML(renderReportHtml([summary!], { title: 'Café <Nord>' })).document.title).toBe('Café <Nord>');
  });
});
