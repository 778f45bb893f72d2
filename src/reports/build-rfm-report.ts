import { sumRfmSegments } from '../db/report-queries.js';
import type { Store } from '../db/store.js';
import type { ReportDocument, ReportSection } from './report-document.js';
import { percentOf } from './report-numbers.js';
import { openReportScope, type ReportOptions } from './report-scope.js';

/** How the table names the customers RFM does not score. */
const NO_ORDERS = 'No orders yet';

/**
 * `report rfm`: customers and revenue per RFM segment (the `rfm_segment`
 * field, as `query` has it), largest revenue first and the unscored last.
 * Revenue is spend in the main currency; customers whose spend is in other or
 * several currencies are counted in their segment, left out of its revenue,
 * and their number is given.
 */
export async function buildRfmReport(store: Store, options: ReportOptions): Promise<ReportDocument> {
  const scope = await openReportScope(store, options);
  const rows = await sumRfmSegments(scope);

  const segments = rows
    .map((row) => ({ segment: row.segment, customers: row.customers, revenue: Math.round(row.revenue * 100) / 100 }))
    .sort((a, b) => Number(a.segment === null) - Number(b.segment === null) || b.revenue - a.revenue || b.customers - a.customers || String(a.segment).localeCompare(String(b.segment)));
  const customers = segments.reduce((sum, row) => sum + row.customers, 0);
  const scored = segments.filter((row) => row.segment !== null).reduce((sum, row) => sum + row.customers, 0);
  const revenue = Math.round(segments.reduce((sum, row) => sum + row.revenue, 0) * 100) / 100;
  const leftOut = rows.reduce((sum, row) => sum + row.leftOut, 0);

  const figures: ReportSection = {
    kind: 'figures',
    title: 'RFM',
    figures: [
      { label: 'Customers', value: customers, type: 'integer' },
      { label: 'Scored (ordered at least once)', value: scored, type: 'integer' },
      { label: 'Revenue', value: revenue, type: 'money' },
    ],
  };
  if (leftOut > 0) figures.figures.push({ label: 'Customers with spend in other currencies (left out of revenue)', value: leftOut, type: 'integer' });
  return {
    title: 'Customers by RFM segment',
    asOf: scope.asOf,
    scope: scope.label,
    currency: scope.currency,
    sections: [
      figures,
      {
        kind: 'table',
        title: 'Segments',
        columns: [
          { key: 'segment', label: 'Segment', type: 'text' },
          { key: 'customers', label: 'Customers', type: 'integer' },
          { key: 'customer_share', label: '% of customers', type: 'percent' },
          { key: 'revenue', label: 'Revenue', type: 'money' },
          { key: 'revenue_share', label: '% of revenue', type: 'percent' },
        ],
        rows: segments.map((row) => ({
          segment: row.segment ?? NO_ORDERS,
          customers: row.customers,
          customer_share: percentOf(row.customers, customers),
          revenue: row.revenue,
          revenue_share: percentOf(row.revenue, revenue),
        })),
        bar: 'customers',
      },
    ],
  };
}
