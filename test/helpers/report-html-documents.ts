import type { ReportDocument } from '../../src/reports/report-document.js';

/** Names a report must show as text, never act on: markup, a spreadsheet formula, a terminal escape, a bidi override. */
export const HOSTILE_NAMES = ['<script>alert(1)</script>', '<img src=x onerror="window.pwned=1">', '=HYPERLINK("http://x","y")', 'Tom & "Jerry"', 'Evil\u001b[2J\u202eGuy'];

function months(from: string, count: number): string[] {
  const [year, month] = from.split('-').map(Number);
  return Array.from({ length: count }, (_, index) => {
    const date = new Date(Date.UTC(year!, month! - 1 + index, 1));
    return `${date.getUTCFullYear()}-${String(date.getUTCMonth() + 1).padStart(2, '0')}`;
  });
}

/** A summary, a top-customers table (with the hostile names) and a cohort matrix: every kind of section, with a chart for each that has one. */
export function sampleReports(): ReportDocument[] {
  const summary: ReportDocument = {
    title: 'Customer summary',
    asOf: '2026-11-30',
    currency: 'EUR',
    sections: [
      {
        kind: 'figures',
        title: 'Customers',
        figures: [
          { label: 'Customers', value: 1204, type: 'integer' },
          { label: 'Revenue', value: 123456.5, type: 'money' },
          { label: 'Repeat-customer rate', value: 23.44, type: 'percent' },
          { label: 'First order', value: '2024-01-03', type: 'date' },
          { label: 'Average order value', value: null, type: 'money' },
        ],
      },
      { kind: 'series', title: 'New customers per month', type: 'integer', points: months('2025-01', 14).map((period, index) => ({ period, value: 20 + ((index * 7) % 13) })) },
      { kind: 'series', title: 'Revenue per month', type: 'money', points: months('2023-01', 36).map((period, index) => ({ period, value: 1000 + index * 125.5 })) },
      { kind: 'series', title: 'Average order value per month', type: 'money', points: [] },
      { kind: 'series', title: 'Repeat-customer rate per month', type: 'percent', points: months('2026-01', 11).map((period, index) => ({ period, value: 10 + index * 1.5 })) },
      {
        kind: 'table',
        title: 'Top sources',
        columns: [
          { key: 'source', label: 'Source', type: 'text' },
          { key: 'customers', label: 'Customers', type: 'integer' },
        ],
        rows: [
          { source: 'shopify', customers: 800 },
          { source: 'pos', customers: 404 },
        ],
        bar: 'customers',
      },
    ],
  };
  const top: ReportDocument = {
    title: 'Top customers by revenue',
    asOf: '2026-11-30',
    scope: 'country = "DE"',
    currency: 'EUR',
    sections: [
      {
        kind: 'table',
        title: 'Top 6 customers',
        columns: [
          { key: 'id', label: 'Id', type: 'integer' },
          { key: 'name', label: 'Name', type: 'text' },
          { key: 'email', label: 'Email', type: 'text' },
          { key: 'revenue', label: 'Revenue', type: 'money' },
          { key: 'last_order', label: 'Last order', type: 'date' },
        ],
        rows: [...HOSTILE_NAMES, 'Jane Smith'].map((name, index) => ({ id: index + 1, name, email: null, revenue: 5000 - index * 700, last_order: '2026-10-01' })),
        bar: 'revenue',
        barLabel: ['name', 'email', 'id'],
      },
      { kind: 'table', title: 'Customers without orders', columns: [{ key: 'name', label: 'Name', type: 'text' }], rows: [] },
    ],
  };
  const cohortMonths = months('2026-01', 11);
  const cohorts: ReportDocument = {
    title: 'Cohorts',
    asOf: '2026-11-30',
    sections: [
      {
        kind: 'matrix',
        title: 'Retention by first-order month',
        rowLabel: 'First order month (customers)',
        columnLabel: 'Months since first order',
        columns: cohortMonths.map((_, index) => String(index)),
        rows: cohortMonths.map((label, row) => ({
          label,
          size: 100 + row * 10,
          cells: cohortMonths.map((_, column) => (column < cohortMonths.length - row ? (column === 0 ? 100 : Math.max(5, 40 - column * 3 - row)) : null)),
        })),
      },
    ],
  };
  return [summary, top, cohorts];
}

/**
 * Orders (as a CSV to import with `--as orders`) from three customers with hostile first names, in
 * May 1998 and big enough to lead `report top` among the CDNOW customers as of 1998-06-30.
 */
export const HOSTILE_ORDERS_CSV = [
  'order_id,ordered_at,total,first_name,last_name,email',
  '9001,1998-05-01,9540,<script>alert(1)</script>,Smith,script@example.com',
  '9002,1998-05-02,9000,"<img src=x onerror=""window.pwned=1"">",Jones,img@example.com',
  '9003,1998-05-03,8000,"=HYPERLINK(""http://x"",""y"")",Brown,formula@example.com',
].join('\n');

/** The reports `report all` puts on its page, in order, while predicted value is not fitted (and no --where narrows it). */
export const REPORTS_ON_ALL = ['summary', 'top', 'rfm', 'cohorts', 'quality'];

/** The charts a report's document calls for: a barred table, a series or a matrix, each with something to draw. */
export function chartsCalledFor(documents: ReportDocument[]): number {
  return documents
    .flatMap((document) => document.sections)
    .filter(
      (section) =>
        (section.kind === 'table' && section.bar !== undefined && section.rows.length > 0) ||
        (section.kind === 'series' && section.points.length > 0) ||
        (section.kind === 'matrix' && section.rows.some((row) => row.cells.some((cell) => cell !== null))),
    ).length;
}
