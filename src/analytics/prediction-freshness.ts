import { readPredictionFreshness } from '../db/customer-predictions.js';
import type { Store } from '../db/store.js';
import { PREDICTION_QUERY_FIELDS } from '../model/query-fields.js';
import { PredictionsNotFittedError } from './analytics-errors.js';

const PREDICTION_NAMES = new Set(PREDICTION_QUERY_FIELDS.map((field) => field.name));

/**
 * For a read of `fields`: nothing when none is a prediction field or the predictions
 * are current; a note to show the user when orders were added, removed or changed,
 * or merges made or undone (which move orders between customers), since the fit. Throws PredictionsNotFittedError when the models were never fitted:
 * every prediction would be empty, and `p_active < 0.3` would quietly match no one.
 */
export async function checkPredictionFreshness(store: Pick<Store, 'db'>, fields: Iterable<string>): Promise<string | undefined> {
  const asked = [...fields].filter((name) => PREDICTION_NAMES.has(name));
  if (asked.length === 0) return undefined;
  const freshness = await readPredictionFreshness(store);
  if (freshness === undefined) {
    throw new PredictionsNotFittedError(`${asked.join(', ')}: the customer-value models have not been fitted on this database yet.`, {
      hint: 'Run custdb analytics fit (it needs at least 100 customers who bought twice), then ask again.',
    });
  }
  const { fit, changedOrders, changedMerges } = freshness;
  if (changedOrders === 0 && changedMerges === 0) return undefined;
  const changes = [
    ...(changedOrders === 0 ? [] : [`${count(changedOrders, 'order')} changed`]),
    ...(changedMerges === 0 ? [] : [`${count(changedMerges, 'merge')} made or undone`]),
  ];
  return `predictions are from the fit of ${fit.fitted_at.slice(0, 10)} (orders up to ${fit.as_of}); ${changes.join(' and ')} since: run custdb analytics fit`;
}

function count(n: number, noun: string): string {
  return `${n.toLocaleString('en-US')} ${noun}${n === 1 ? '' : 's'}`;
}
