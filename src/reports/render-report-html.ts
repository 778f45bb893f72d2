import type { FiguresSection, ReportDocument, ReportSection, TableSection } from './report-document.js';
import { inertText } from '../text/inert-text.js';
import { formatReportValue } from './format-report-value.js';
import { createPage, type PageDocument, type PageElement } from './html/page-document.js';
import { drawMatrix, drawSeries, drawTableBars } from './html/report-charts.js';
import { REPORT_STYLE } from './html/report-style.js';

export interface HtmlReportOptions {
  /** The page's title; by default the report's own title, or "Customer reports" for several. */
  title?: string;
}

/**
 * Nothing may load or run: no script, no fetch, no font or image from anywhere. Should a value
 * ever slip past escaping, the browser still refuses to run or fetch it.
 */
const CONTENT_POLICY = "default-src 'none'; style-src 'unsafe-inline'";

/** Appends a `tag` element to `parent` with `text` as its text (visible: see inertText; escaped when written out), and returns it. */
type Add = (parent: PageElement, tag: string, text?: string, attributes?: Record<string, string>) => PageElement;

/**
 * One self-contained HTML page with every report in `documents`, in order: its figures, tables,
 * and charts as inline SVG (bars, monthly series, the cohort heat-map) with axes and values.
 * Every value from the database enters the page as DOM text, never as markup, so a customer
 * named `<script>` shows as that name; nothing is fetched, so the file can be mailed on.
 *
 * @example writeFileSync('report.html', renderReportHtml([summary, cohorts], {}))
 */
export function renderReportHtml(documents: ReportDocument[], options: HtmlReportOptions): string {
  const document = createPage();
  const add: Add = (parent, tag, text, attributes = {}) => {
    const element = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
    if (text !== undefined) element.textContent = inertText(text);
    parent.append(element);
    return element;
  };

  add(document.head, 'meta', undefined, { charset: 'utf-8' });
  add(document.head, 'meta', undefined, { 'http-equiv': 'Content-Security-Policy', content: CONTENT_POLICY });
  add(document.head, 'meta', undefined, { name: 'viewport', content: 'width=device-width, initial-scale=1' });
  add(document.head, 'title', options.title ?? (documents.length === 1 ? documents[0]!.title : 'Customer reports'));
  add(document.head, 'style', REPORT_STYLE);

  for (const report of documents) {
    const article = add(document.body, 'article');
    const header = add(article, 'header');
    add(header, 'h1', report.title);
    add(header, 'p', describeReport(report));
    for (const section of report.sections) {
      const part = add(article, 'section', undefined, { 'data-kind': section.kind });
      add(part, 'h2', section.title);
      renderSection(section, report.currency, part, add, document);
    }
  }
  return document.toString();
}

function renderSection(section: ReportSection, currency: string | undefined, part: PageElement, add: Add, document: PageDocument): void {
  switch (section.kind) {
    case 'figures':
      return renderFigures(section, currency, part, add);
    case 'table':
      if (section.rows.length === 0) return void add(part, 'p', 'None.', { class: 'empty' });
      if (section.bar !== undefined) add(part, 'figure').append(drawTableBars({ ...section, bar: section.bar }, currency, document));
      return renderTable(section, currency, part, add);
    case 'series':
      if (section.points.length === 0) return void add(part, 'p', 'No months to show.', { class: 'empty' });
      return void add(part, 'figure').append(drawSeries(section, currency, document));
    case 'matrix':
      // Cohorts of no customers have no cells: a grid of blanks says less than a sentence.
      if (!section.rows.some((row) => row.cells.some((cell) => cell !== null))) return void add(part, 'p', 'No cohorts to show.', { class: 'empty' });
      return void add(part, 'figure').append(drawMatrix(section, document));
  }
}

function renderFigures(section: FiguresSection, currency: string | undefined, part: PageElement, add: Add): void {
  const list = add(part, 'dl', undefined, { class: 'figures' });
  for (const figure of section.figures) {
    const item = add(list, 'div');
    add(item, 'dt', figure.label);
    const value = formatReportValue(figure.value, figure.type);
    add(item, 'dd', figure.type === 'money' && currency !== undefined && figure.value !== null ? `${value} ${currency}` : value);
  }
}

function renderTable(section: TableSection, currency: string | undefined, part: PageElement, add: Add): void {
  const table = add(part, 'table');
  const headings = add(add(table, 'thead'), 'tr');
  // Numbers align right; numbers and dates never break across lines (text may, anywhere, so a long email cannot widen the page).
  const cellClass = (type: string): Record<string, string> => (type === 'text' ? {} : { class: type === 'date' ? 'date' : 'number' });
  for (const column of section.columns) {
    const label = column.type === 'money' && currency !== undefined ? `${column.label} (${currency})` : column.label;
    add(headings, 'th', label, cellClass(column.type));
  }
  const body = add(table, 'tbody');
  for (const row of section.rows) {
    const line = add(body, 'tr');
    for (const column of section.columns) {
      add(line, 'td', formatReportValue(row[column.key] ?? null, column.type), cellClass(column.type));
    }
  }
}

/** "As of 2026-12-01 · customers: country = "DE" · amounts in EUR". */
function describeReport(report: ReportDocument): string {
  const scope = report.scope === undefined ? 'all customers' : `customers: ${report.scope}`;
  return [`As of ${report.asOf}`, scope, ...(report.currency === undefined ? [] : [`amounts in ${report.currency}`])].join(' · ');
}
