import { rankTopCustomers } from '../db/report-queries.js';
import type { Store } from '../db/store.js';
import { CUSTOMER_BAR_LABEL, CUSTOMER_COLUMNS } from './customer-columns.js';
import type { ReportDocument } from './report-document.js';
import { openReportScope, type ReportOptions } from './report-scope.js';

export interface TopReportOptions extends ReportOptions {
  by: 'revenue' | 'orders';
  limit: number;
}

/**
 * `report top`: the `limit` customers who ordered with the most revenue
 * (spend in the main currency; a customer whose spend is in another or in
 * several currencies has none and ranks last) or the most orders, then by
 * id. One sorted, limited query.
 */
export async function buildTopReport(store: Store, options: TopReportOptions): Promise<ReportDocument> {
  const scope = await openReportScope(store, options);
  const rows = await rankTopCustomers(scope, options.by, options.limit);
  return {
    title: `Top customers by ${options.by}`,
    asOf: scope.asOf,
    scope: scope.label,
    currency: scope.currency,
    sections: [
      {
        kind: 'table',
        title: `Top ${options.limit} by ${options.by}`,
        columns: [
          ...CUSTOMER_COLUMNS,
          { key: 'orders', label: 'Orders', type: 'integer' },
          { key: 'revenue', label: 'Revenue', type: 'money' },
          { key: 'last_order', label: 'Last order', type: 'date' },
        ],
        rows: rows.map((row) => ({
          id: row.id,
          name: row.name,
          email: row.email,
          orders: row.orders,
          revenue: row.revenue === null ? null : Math.round(row.revenue * 100) / 100,
          last_order: row.lastOrder,
        })),
        bar: options.by,
        barLabel: CUSTOMER_BAR_LABEL,
      },
    ],
  };
}
