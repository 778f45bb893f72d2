import type { Store } from './store.js';
import { readOrdersState } from './model-fit-summaries.js';
import type { Selectable } from 'kysely';
import type { CustomerPredictionTable, ModelFitTable } from './tables.js';

/** A fit as kept in model_fits, without its id. */
export type NewModelFit = Omit<ModelFitTable, 'id'>;

/** The prediction columns of customer_predictions, each a column of one length; row i is customer `customerIds[i]`. */
export interface PredictionColumns {
  customerIds: ArrayLike<number>;
  p_active: ArrayLike<number>;
  expected_orders_90d: ArrayLike<number>;
  expected_orders_365d: ArrayLike<number>;
  predicted_value_12m: ArrayLike<number>;
  clv: ArrayLike<number>;
}

// 7 values a row: well under SQLite's 32,766 bound parameters and PostgreSQL's 65,535.
const ROWS_PER_INSERT = 2000;

/**
 * Records a fit and replaces every customer's predictions with these, in one
 * transaction: a reader sees the old fit's predictions or the new ones, never a
 * mix. Returns the fit's id.
 */
export async function saveModelFit(store: Pick<Store, 'transaction'>, fit: NewModelFit, predictions: PredictionColumns): Promise<number> {
  return store.transaction(async (db) => {
    const { id } = await db.insertInto('model_fits').values(fit).returning('id').executeTakeFirstOrThrow();
    await db.deleteFrom('customer_predictions').execute();
    const n = predictions.customerIds.length;
    for (let start = 0; start < n; start += ROWS_PER_INSERT) {
      const rows: CustomerPredictionTable[] = [];
      for (let i = start; i < Math.min(n, start + ROWS_PER_INSERT); i++) {
        rows.push({
          customer_id: predictions.customerIds[i]!,
          fit_id: id,
          p_active: predictions.p_active[i]!,
          expected_orders_90d: predictions.expected_orders_90d[i]!,
          expected_orders_365d: predictions.expected_orders_365d[i]!,
          predicted_value_12m: predictions.predicted_value_12m[i]!,
          clv: predictions.clv[i]!,
        });
      }
      await db.insertInto('customer_predictions').values(rows).execute();
    }
    return id;
  });
}

/** How the stored predictions stand against the orders now. */
export interface PredictionFreshness {
  fit: Selectable<ModelFitTable>;
  /** Orders added, removed or changed (a status) since the fit: the predictions are stale when above 0. */
  changedOrders: number;
}

/** The newest fit and how many orders changed since it; undefined when the models were never fitted. */
export async function readPredictionFreshness(store: Pick<Store, 'db'>): Promise<PredictionFreshness | undefined> {
  const fit = await store.db.selectFrom('model_fits').selectAll().orderBy('id', 'desc').limit(1).executeTakeFirst();
  if (fit === undefined) return undefined;
  const now = await readOrdersState(store);
  const added = await store.db
    .selectFrom('orders')
    .select((eb) => eb.fn.countAll<number | string>().as('count'))
    .where('id', '>', fit.max_order_id)
    .executeTakeFirstOrThrow();
  const changed = await store.db
    .selectFrom('changes')
    .select((eb) => eb.fn.countAll<number | string>().as('count'))
    .where('entity', '=', 'order')
    .where('id', '>', fit.max_order_change_id)
    .executeTakeFirstOrThrow();
  const addedCount = Number(added.count);
  // Orders of the fit no longer there: an import undone, a customer erased.
  const removed = Math.max(0, Number(fit.orders_count) - (now.ordersCount - addedCount));
  return { fit, changedOrders: addedCount + removed + Number(changed.count) };
}
