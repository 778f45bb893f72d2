import type { Store } from './store.js';
import { readOrdersState } from './model-fit-summaries.js';
import type { Selectable } from 'kysely';
import type { CustomerPredictionTable, ModelFitTable } from './tables.js';

/** A fit as kept in model_fits, without its id. */
export type NewModelFit = Omit<ModelFitTable, 'id'>;

/** One customer's predictions as saveModelFit writes them (the fit's id is added). */
export type CustomerPredictionValues = Omit<CustomerPredictionTable, 'fit_id'>;

const PREDICTION_COLUMNS = ['customer_id', 'fit_id', 'p_active', 'expected_orders_90d', 'expected_orders_365d', 'predicted_value_12m', 'clv'] as const;

/**
 * Records a fit and replaces every customer's predictions with `predictions`, in one
 * transaction: a reader sees the old fit's predictions or the new ones, never a mix. The
 * predictions are read once, as they are written, so an iterator may hand out one object
 * refilled and need not hold them all; if it throws, nothing is saved. Returns the fit's id.
 */
export async function saveModelFit(store: Pick<Store, 'bulkTransaction'>, fit: NewModelFit, predictions: Iterable<CustomerPredictionValues>): Promise<number> {
  return store.bulkTransaction(async (db, bulk) => {
    const { id } = await db.insertInto('model_fits').values(fit).returning('id').executeTakeFirstOrThrow();
    await db.deleteFrom('customer_predictions').execute();
    await bulk.insert('customer_predictions', PREDICTION_COLUMNS, predictionRows(id, predictions));
    return id;
  });
}

function* predictionRows(fitId: number, predictions: Iterable<CustomerPredictionValues>): Generator<number[]> {
  const row = new Array<number>(PREDICTION_COLUMNS.length);
  for (const prediction of predictions) {
    PREDICTION_COLUMNS.forEach((column, k) => (row[k] = column === 'fit_id' ? fitId : prediction[column]));
    yield row;
  }
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
