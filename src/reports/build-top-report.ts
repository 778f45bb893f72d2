import { sql } from 'kysely';
import type { Store } from '../db/store.js';
import { CUSTOMER_BAR_LABEL, CUSTOMER_COLUMNS } from './customer-columns.js';
import type { ReportDocument } from './report-document.js';
import { toNumber } from './report-numbers.js';
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
  const revenue = sql<number | null>`CASE WHEN ${scope.spendInCurrency} THEN cf.total_spent END`;
  let query = (await scope.customers(['full_name', 'email', 'orders_count', 'total_spent', 'currency', 'last_order_at']))
    .select([
      sql.ref<number>('cf.id').as('id'),
      sql.ref<string | null>('cf.full_name').as('name'),
      sql.ref<string | null>('cf.email').as('email'),
      sql.ref<number>('cf.orders_count').as('orders'),
      revenue.as('revenue'),
      sql<string | null>`substr(cf.last_order_at, 1, 10)`.as('last_order'),
    ])
    .where(sql.ref('cf.orders_count'), '>=', 1);
  const byRevenue = (q: typeof query) => q.orderBy(revenue, (ob) => ob.desc().nullsLast());
  const byOrders = (q: typeof query) => q.orderBy(sql.ref('cf.orders_count'), 'desc');
  query = options.by === 'revenue' ? byOrders(byRevenue(query)) : byRevenue(byOrders(query));
  const rows = await query.orderBy(sql.ref('cf.id')).limit(options.limit).execute();
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
          id: toNumber(row.id),
          name: row.name,
          email: row.email,
          orders: toNumber(row.orders),
          revenue: row.revenue === null ? null : Math.round(Number(row.revenue) * 100) / 100,
          last_order: row.last_order,
        })),
        bar: options.by,
        barLabel: CUSTOMER_BAR_LABEL,
      },
    ],
  };
}
