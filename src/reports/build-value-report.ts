import { rankByClv, sumPActiveBands } from '../db/report-queries.js';
import type { Store } from '../db/store.js';
import { CUSTOMER_COLUMNS } from './customer-columns.js';
import type { ReportDocument } from './report-document.js';
import { percentOf } from './report-numbers.js';
import { openReportScope, type ReportOptions } from './report-scope.js';

/** Customers the table of most valuable ones lists. */
const TOP = 10;
/** Bands of p_active, by their lower bound: [0, 0.2), [0.2, 0.4), … [0.8, 1]. */
const BANDS = [0, 0.2, 0.4, 0.6, 0.8];

/**
 * `report value`: how likely customers are still active (in bands of
 * p_active), their total and average predicted 12-month value, and the
 * customers with the highest CLV. Throws PredictionsNotFittedError (from the
 * query layer) before the first `custdb analytics fit`.
 */
export async function buildValueReport(store: Store, options: ReportOptions): Promise<ReportDocument> {
  const scope = await openReportScope(store, options);
  const bands = await sumPActiveBands(scope, BANDS.slice(1));
  const predicted = bands.reduce((sum, row) => sum + row.customers, 0);
  const total = Math.round(bands.reduce((sum, row) => sum + row.predicted, 0) * 100) / 100;
  const top = await rankByClv(scope, TOP);

  const round = (value: number | null, digits: number) => (value === null ? null : Math.round(value * 10 ** digits) / 10 ** digits);
  return {
    title: 'Predicted customer value',
    asOf: scope.asOf,
    scope: scope.label,
    currency: scope.currency,
    sections: [
      {
        kind: 'figures',
        title: 'Predicted value',
        figures: [
          { label: 'Customers with a prediction', value: predicted, type: 'integer' },
          { label: 'Predicted value, next 12 months', value: total, type: 'money' },
          { label: 'Average per customer', value: predicted === 0 ? null : Math.round((total / predicted) * 100) / 100, type: 'money' },
        ],
      },
      {
        kind: 'table',
        title: 'Probability still active',
        columns: [
          { key: 'band', label: 'p_active', type: 'text' },
          { key: 'customers', label: 'Customers', type: 'integer' },
          { key: 'share', label: '% of customers', type: 'percent' },
          { key: 'predicted_value_12m', label: 'Predicted 12-month value', type: 'money' },
        ],
        rows: BANDS.map((lower, i) => {
          const row = bands.find((b) => b.band === i);
          const customers = row?.customers ?? 0;
          return {
            band: `${lower.toFixed(1)}–${(BANDS[i + 1] ?? 1).toFixed(1)}`,
            customers,
            share: percentOf(customers, predicted),
            predicted_value_12m: round(row?.predicted ?? 0, 2),
          };
        }),
        bar: 'customers',
      },
      {
        kind: 'table',
        title: `Top ${TOP} by CLV`,
        columns: [
          ...CUSTOMER_COLUMNS,
          { key: 'p_active', label: 'p_active', type: 'number' },
          { key: 'predicted_value_12m', label: 'Predicted 12 months', type: 'money' },
          { key: 'clv', label: 'CLV', type: 'money' },
        ],
        rows: top.map((row) => ({ id: row.id, name: row.name, email: row.email, p_active: round(row.p_active, 3), predicted_value_12m: round(row.predicted_value_12m, 2), clv: round(row.clv, 2) })),
      },
    ],
  };
}
