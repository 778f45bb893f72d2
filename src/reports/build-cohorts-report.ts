import { countCohortOrdering } from '../db/report-queries.js';
import type { Store } from '../db/store.js';
import type { ReportDocument } from './report-document.js';
import { addMonths, monthOf, monthsBetween, monthsEndingWith } from './report-months.js';
import { percentOf } from './report-numbers.js';
import { openReportScope, type ReportOptions } from './report-scope.js';

export interface CohortsReportOptions extends ReportOptions {
  /** Cohorts shown, ending with the as-of month; also the months since first order shown (default 12). */
  months?: number;
}

/**
 * `report cohorts`: customers grouped by the month of their first counted
 * order (as of the as-of day), and for each month since, the % of the cohort
 * with a counted order in that month; null where that month lies after the
 * as-of month. One grouped query over the orders of the cohorts' customers.
 */
export async function buildCohortsReport(store: Store, options: CohortsReportOptions): Promise<ReportDocument> {
  const scope = await openReportScope(store, options);
  const count = options.months ?? 12;
  const lastMonth = monthOf(scope.asOf);
  const cohorts = monthsEndingWith(lastMonth, count);
  const rows = await countCohortOrdering(store, scope, cohorts[0]!);

  const ordering = new Map<string, number>();
  for (const row of rows) ordering.set(`${row.cohort} ${monthsBetween(row.cohort, row.month)}`, row.customers);
  const columns = Array.from({ length: count }, (_, k) => String(k));
  const matrixRows = cohorts.map((cohort) => {
    // Every member orders in the cohort's own month: that is what puts them in it.
    const size = ordering.get(`${cohort} 0`) ?? 0;
    const cells = columns.map((_, k) => (size === 0 || addMonths(cohort, k) > lastMonth ? null : percentOf(ordering.get(`${cohort} ${k}`) ?? 0, size)));
    return { label: cohort, size, cells };
  });
  return {
    title: 'Monthly cohorts',
    asOf: scope.asOf,
    scope: scope.label,
    sections: [
      {
        kind: 'figures',
        title: 'Cohorts',
        figures: [
          { label: `Customers with a first order ${cohorts[0]} to ${lastMonth}`, value: matrixRows.reduce((sum, row) => sum + row.size, 0), type: 'integer' },
        ],
      },
      {
        kind: 'matrix',
        title: 'Retention: % of each cohort ordering, by months since the first order',
        rowLabel: 'cohort',
        columnLabel: 'months since first order',
        columns,
        rows: matrixRows,
      },
    ],
  };
}
