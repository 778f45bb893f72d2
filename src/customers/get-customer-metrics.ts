import { iterateCustomerMetrics, readCustomerMetrics, readSpendByCurrency, type CustomerMetricsRow } from '../db/customer-metrics.js';
import type { Store } from '../db/store.js';

/**
 * A customer's computed fields. Refunded, cancelled and failed orders are not
 * counted. Money is given in minor units (cents) and in units; when the orders
 * carry more than one currency the totals are null and `spend_by_currency`
 * says what was spent in each (mixed currencies are reported, never summed).
 */
export interface CustomerMetrics {
  orders_count: number;
  total_spent: number | null;
  total_spent_minor: number | null;
  avg_order_value: number | null;
  avg_order_value_minor: number | null;
  currency: string | null;
  mixed_currencies: boolean;
  /** Only when `mixed_currencies`: spend per currency, largest first. */
  spend_by_currency?: { currency: string | null; orders_count: number; total_minor: number }[];
  first_order_at: string | null;
  last_order_at: string | null;
  days_since_last_order: number | null;
  interactions_count: number;
  last_interaction_at: string | null;
}

/** Turns a metrics row into the public shape (averages, units, a real boolean). Pure. */
export function toCustomerMetrics(row: CustomerMetricsRow): CustomerMetrics {
  const total = row.orders_count === 0 ? 0 : row.total_spent_minor;
  const average = total === null || row.orders_count === 0 ? null : Math.round(total / row.orders_count);
  return {
    orders_count: row.orders_count,
    total_spent: total === null ? null : total / 100,
    total_spent_minor: total,
    avg_order_value: average === null ? null : average / 100,
    avg_order_value_minor: average,
    currency: row.currency,
    mixed_currencies: row.mixed_currencies === 1,
    first_order_at: row.first_order_at,
    last_order_at: row.last_order_at,
    days_since_last_order: row.days_since_last_order,
    interactions_count: row.interactions_count,
    last_interaction_at: row.last_interaction_at,
  };
}

/** One customer's metrics, as stored (with spend per currency when mixed); undefined when there is no such customer id. */
export async function getCustomerMetrics(store: Store, customerId: number): Promise<CustomerMetrics | undefined> {
  const row = await readCustomerMetrics(store, customerId);
  if (!row) return undefined;
  const metrics = toCustomerMetrics(row);
  if (metrics.mixed_currencies) metrics.spend_by_currency = await readSpendByCurrency(store, customerId);
  return metrics;
}

/** Every active customer's metrics in id order, read from the stored metrics in one pass and streamed. */
export async function* listCustomerMetrics(store: Store): AsyncGenerator<{ customer_id: number } & CustomerMetrics> {
  for await (const page of iterateCustomerMetrics(store)) for (const row of page) yield { customer_id: row.customer_id, ...toCustomerMetrics(row) };
}
