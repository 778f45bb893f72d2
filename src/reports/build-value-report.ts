import { sql } from 'kysely';
import type { Store } from '../db/store.js';
import { CUSTOMER_COLUMNS } from './customer-columns.js';
import type { ReportDocument } from './report-document.js';
import { percentOf, toNumber } from './report-numbers.js';
import { openReportScope, type ReportOptions } from './report-scope.js';

/** The fields `custdb analytics fit` gives customers, which this report reads. */
const VALUE_FIELDS = ['p_active', 'predicted_value_12m', 'clv'];
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
  const fields = [...VALUE_FIELDS, 'full_name', 'email'];
  const band = sql<number>`CASE ${sql.join(
    BANDS.slice(1).map((bound, i) => sql`WHEN cf.p_active < ${sql.lit(bound)} THEN ${sql.lit(i)}`),
    sql` `,
  )} ELSE ${sql.lit(BANDS.length - 1)} END`;
  const bands = await (await scope.customers(fields))
    .select([band.as('band'), sql<number>`COUNT(*)`.as('customers'), sql<number | null>`SUM(cf.predicted_value_12m)`.as('predicted')])
    .where(sql.ref('cf.p_active'), 'is not', null)
    .groupBy(band)
    .execute();
  const predicted = bands.reduce((sum, row) => sum + toNumber(row.customers), 0);
  const total = Math.round(bands.reduce((sum, row) => sum + toNumber(row.predicted), 0) * 100) / 100;

  const top = await (await scope.customers(fields))
    .select([
      sql.ref<number>('cf.id').as('id'),
      sql.ref<string | null>('cf.full_name').as('name'),
      sql.ref<string | null>('cf.email').as('email'),
      sql<number | null>`cf.p_active`.as('p_active'),
      sql<number | null>`cf.predicted_value_12m`.as('predicted_value_12m'),
      sql<number | null>`cf.clv`.as('clv'),
    ])
    .where(sql.ref('cf.clv'), 'is not', null)
    .orderBy(sql.ref('cf.clv'), 'desc')
    .orderBy(sql.ref('cf.id'))
    .limit(TOP)
    .execute();

  const round = (value: unknown, digits: number) => (value === null ? null : Math.round(Number(value) * 10 ** digits) / 10 ** digits);
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
          const row = bands.find((b) => toNumber(b.band) === i);
          const customers = toNumber(row?.customers);
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
        rows: top.map((row) => ({ id: toNumber(row.id), name: row.name, email: row.email, p_active: round(row.p_active, 3), predicted_value_12m: round(row.predicted_value_12m, 2), clv: round(row.clv, 2) })),
      },
    ],
  };
}
