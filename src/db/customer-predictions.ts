import { sql, type Kysely, type Selectable } from 'kysely';
import type { BulkInsert, Store } from './store.js';
import type { CustomerPredictionTable, Database, ModelFitTable } from './tables.js';

/** A fit as kept in model_fits, without its id and the history state it was made on (saveModelFit adds them). */
export type NewModelFit = Omit<ModelFitTable, 'id' | keyof HistoryStateColumns>;

/** One customer's predictions as saveModelFit writes them (the fit's id is added). */
export type CustomerPredictionValues = Omit<CustomerPredictionTable, 'fit_id'>;

/**
 * What the customers' order histories were when a fit was made, as model_fits keeps it: a later
 * read compares it with now to tell whether the predictions are stale.
 */
export interface HistoryState {
  ordersCount: number;
  maxOrderId: number;
  /** The newest change row recorded about an order (a status changed by a later import). */
  maxOrderChangeId: number;
  /** A merge, or its undo, moves orders between customers without touching an order. */
  maxMergeId: number;
  undoneMerges: number;
}

type HistoryStateColumns = Pick<ModelFitTable, 'orders_count' | 'max_order_id' | 'max_order_change_id' | 'max_merge_id' | 'undone_merges'>;

const PREDICTION_COLUMNS = ['customer_id', 'fit_id', 'p_active', 'expected_orders_90d', 'expected_orders_365d', 'predicted_value_12m', 'clv'] as const;

/** The histories' state now. Read before the histories a fit is made on: a write in between then shows as a change since. */
export async function readHistoryState(db: Kysely<Database>): Promise<HistoryState> {
  const row = await sql<{ orders_count: number; max_order_id: number | null; max_order_change_id: number | null; max_merge_id: number | null; undone_merges: number }>`SELECT
      (SELECT COUNT(*) FROM orders) AS orders_count,
      (SELECT MAX(id) FROM orders) AS max_order_id,
      (SELECT MAX(id) FROM changes WHERE entity = 'order') AS max_order_change_id,
      (SELECT MAX(id) FROM merges) AS max_merge_id,
      (SELECT COUNT(*) FROM merges WHERE undone_at IS NOT NULL) AS undone_merges`.execute(db);
  const state = row.rows[0];
  return {
    ordersCount: Number(state?.orders_count ?? 0),
    maxOrderId: Number(state?.max_order_id ?? 0),
    maxOrderChangeId: Number(state?.max_order_change_id ?? 0),
    maxMergeId: Number(state?.max_merge_id ?? 0),
    undoneMerges: Number(state?.undone_merges ?? 0),
  };
}

/**
 * Records a fit made on the histories as they were in `state`, and replaces every customer's
 * predictions with `predictions`, inside the caller's bulk transaction: a reader sees the old
 * fit's predictions or the new ones, never a mix. The predictions are read once, as they are
 * written, so an iterator may hand out one object refilled and need not hold them all; if it
 * throws, the transaction keeps nothing. Returns the fit's id.
 */
export async function saveModelFit(
  db: Kysely<Database>,
  bulk: BulkInsert,
  fit: NewModelFit,
  state: HistoryState,
  predictions: Iterable<CustomerPredictionValues>,
): Promise<number> {
  const stateColumns: HistoryStateColumns = {
    orders_count: state.ordersCount,
    max_order_id: state.maxOrderId,
    max_order_change_id: state.maxOrderChangeId,
    max_merge_id: state.maxMergeId,
    undone_merges: state.undoneMerges,
  };
  const { id } = await db
    .insertInto('model_fits')
    .values({ ...fit, ...stateColumns })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db.deleteFrom('customer_predictions').execute();
  await bulk.insert('customer_predictions', PREDICTION_COLUMNS, predictionRows(id, predictions));
  return id;
}

function* predictionRows(fitId: number, predictions: Iterable<CustomerPredictionValues>): Generator<number[]> {
  const row = new Array<number>(PREDICTION_COLUMNS.length);
  for (const prediction of predictions) {
    PREDICTION_COLUMNS.forEach((column, k) => (row[k] = column === 'fit_id' ? fitId : prediction[column]));
    yield row;
  }
}

/** How the stored predictions stand against the histories now. */
export interface PredictionFreshness {
  fit: Selectable<ModelFitTable>;
  /** Orders added, removed or changed (a status) since the fit. */
  changedOrders: number;
  /** Merges made or undone since the fit. */
  changedMerges: number;
}

/** The newest fit and what changed since it (the predictions are stale when anything did); undefined when the models were never fitted. */
export async function readPredictionFreshness(store: Pick<Store, 'db'>): Promise<PredictionFreshness | undefined> {
  const fit = await store.db.selectFrom('model_fits').selectAll().orderBy('id', 'desc').limit(1).executeTakeFirst();
  if (fit === undefined) return undefined;
  const now = await readHistoryState(store.db);
  const counts = await sql<{ added: number | string; changed: number | string; merged: number | string }>`SELECT
      (SELECT COUNT(*) FROM orders WHERE id > ${fit.max_order_id}) AS added,
      (SELECT COUNT(*) FROM changes WHERE entity = 'order' AND id > ${fit.max_order_change_id}) AS changed,
      (SELECT COUNT(*) FROM merges WHERE id > ${fit.max_merge_id}) AS merged`.execute(store.db);
  const { added, changed, merged } = counts.rows[0]!;
  const addedCount = Number(added);
  // Orders of the fit no longer there: an import undone, a customer erased.
  const removed = Math.max(0, Number(fit.orders_count) - (now.ordersCount - addedCount));
  // Each merge made since counts, and each undo since (of a merge from before the fit or after it).
  const undoneSince = Math.abs(now.undoneMerges - Number(fit.undone_merges));
  return { fit, changedOrders: addedCount + removed + Number(changed), changedMerges: Number(merged) + undoneSince };
}
