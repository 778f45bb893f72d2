import { countNewCustomersByMonth, countTopSources, sumMixedCurrencyOrders, sumOrdersByMonth, sumSummaryCustomers } from '../db/report-queries.js';
import type { Store } from '../db/store.js';
import { moveDay } from '../filter/calendar.js';
import type { ReportDocument, ReportSection } from './report-document.js';
import { monthOf, monthsEndingWith } from './report-months.js';
import { majorUnits, percentOf } from './report-numbers.js';
import { openReportScope, type ReportOptions } from './report-scope.js';

export interface SummaryReportOptions extends ReportOptions {
  /** Months the monthly series show, ending with the as-of month (default 12). */
  months?: number;
}

/** Sources shown in the summary's table; the rest are left out. */
const TOP_SOURCES = 10;

/**
 * `report summary`: the customers (how many, active in the last 12 months,
 * with email consent, repeat-customer rate), new customers, orders and revenue
 * per month, average order value and the sources customers came from. Every
 * number is grouped in the database; revenue counts only orders in the main
 * currency, and the report says how many others it left out.
 */
export async function buildSummaryReport(store: Store, options: SummaryReportOptions): Promise<ReportDocument> {
  const scope = await openReportScope(store, options);
  const months = monthsEndingWith(monthOf(scope.asOf), options.months ?? 12);
  // Active: a counted order on or after the same day a year before the as-of day.
  const activeSince = moveDay(scope.asOf, -12, 'month');

  // The all-time totals come from the per-customer fields, plus the main-currency orders of the few customers
  // with several currencies (who have no total_spent); only the series' months are grouped over the orders.
  const people = await sumSummaryCustomers(scope, activeSince);
  const newPerMonth = await countNewCustomersByMonth(scope, months[0]!);
  const mixed = people.mixed === 0 ? { orders: 0, revenueMinor: 0 } : await sumMixedCurrencyOrders(store, scope);
  const orderMonths = await sumOrdersByMonth(store, scope, months[0]!);
  const sources = await countTopSources(scope, TOP_SOURCES);

  const { customers, buyers, orders } = people;
  const inCurrency = people.inCurrency + mixed.orders;
  const revenueMinor = Math.round(people.revenue * 100) + mixed.revenueMinor;
  const byMonth = <T>(rows: T[], key: (row: T) => string, value: (row: T) => number) => {
    const values = new Map(rows.map((row) => [key(row), value(row)]));
    return months.map((period) => ({ period, value: values.get(period) ?? 0 }));
  };

  const orderFigures: ReportSection = {
    kind: 'figures',
    title: 'Orders',
    figures: [
      { label: 'Orders', value: orders, type: 'integer' },
      { label: 'Revenue', value: majorUnits(revenueMinor), type: 'money' },
      { label: 'Average order value', value: inCurrency === 0 ? null : Math.round(revenueMinor / inCurrency) / 100, type: 'money' },
    ],
  };
  if (orders > inCurrency) orderFigures.figures.push({ label: 'Orders in other currencies (left out of money)', value: orders - inCurrency, type: 'integer' });

  return {
    title: 'Customer summary',
    asOf: scope.asOf,
    scope: scope.label,
    currency: scope.currency,
    sections: [
      {
        kind: 'figures',
        title: 'Customers',
        figures: [
          { label: 'Customers', value: customers, type: 'integer' },
          { label: 'Active (ordered in the last 12 months)', value: people.active, type: 'integer' },
          { label: 'With email consent', value: people.consented, type: 'integer' },
          { label: 'Ordered at least once', value: buyers, type: 'integer' },
          { label: 'Repeat-customer rate (2+ orders)', value: percentOf(people.repeaters, buyers), type: 'percent' },
        ],
      },
      orderFigures,
      { kind: 'series', title: 'New customers per month (first order)', type: 'integer', points: byMonth(newPerMonth, (r) => r.month, (r) => r.customers) },
      { kind: 'series', title: 'Orders per month', type: 'integer', points: byMonth(orderMonths, (r) => r.month, (r) => r.orders) },
      { kind: 'series', title: 'Revenue per month', type: 'money', points: byMonth(orderMonths, (r) => r.month, (r) => majorUnits(r.revenueMinor)) },
      {
        kind: 'table',
        title: 'Top sources',
        columns: [
          { key: 'source', label: 'Source', type: 'text' },
          { key: 'customers', label: 'Customers', type: 'integer' },
          { key: 'share', label: 'Share of customers', type: 'percent' },
        ],
        rows: sources.map((row) => ({ source: row.source, customers: row.customers, share: percentOf(row.customers, customers) })),
        bar: 'customers',
      },
    ],
  };
}
