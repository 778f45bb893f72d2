import type { Dialect } from './dialect.js';
import type { Store } from './open-store.js';

/**
 * Order statuses that are not purchases: left out of spend, counts and order dates.
 * Stored statuses are lower case; both spellings of "cancelled" are seen in exports.
 */
export const EXCLUDED_ORDER_STATUSES = ['refunded', 'cancelled', 'canceled', 'voided', 'failed'] as const;

/** One customer's computed fields, as stored columns would read them (money in minor units). */
export interface CustomerMetricsRow {
  customer_id: number;
  orders_count: number;
  /** Sum of order totals in minor units; null when the orders are in more than one currency. */
  total_spent_minor: number | null;
  /** The one currency of the counted orders (orders without a currency are taken to be in it); null when mixed or unknown. */
  currency: string | null;
  /** 1 when the counted orders carry more than one currency: totals are then not summed. */
  mixed_currencies: 0 | 1;
  first_order_at: string | null;
  last_order_at: string | null;
  days_since_last_order: number | null;
  interactions_count: number;
  last_interaction_at: string | null;
}

/** Spend of one customer in one currency (for customers whose orders are in several). */
export interface CurrencySpendRow {
  currency: string | null;
  orders_count: number;
  total_minor: number;
}

const EXCLUDED_LIST = EXCLUDED_ORDER_STATUSES.map((status) => `'${status}'`).join(', ');

/**
 * SQL of a derived table with one row per customer that has counted orders:
 * `customer_id, orders_count, total_spent_minor, currency, mixed_currencies,
 * first_order_at, last_order_at`. Grouped over `orders_customer_ordered`;
 * `customerFilter` (SQL over `o.customer_id`, e.g. `o.customer_id = ?`) narrows it.
 * MIN/MAX over currency (NULLs ignored) tells mixed from single without COUNT(DISTINCT).
 */
export function orderMetricsSql(customerFilter = ''): string {
  return `SELECT o.customer_id,
      COUNT(*) AS orders_count,
      CASE WHEN MIN(o.currency) <> MAX(o.currency) THEN NULL ELSE SUM(o.total_minor) END AS total_spent_minor,
      CASE WHEN MIN(o.currency) <> MAX(o.currency) THEN NULL ELSE MIN(o.currency) END AS currency,
      CASE WHEN MIN(o.currency) <> MAX(o.currency) THEN 1 ELSE 0 END AS mixed_currencies,
      MIN(o.ordered_at) AS first_order_at,
      MAX(o.ordered_at) AS last_order_at
    FROM orders o
    WHERE o.status NOT IN (${EXCLUDED_LIST})${customerFilter === '' ? '' : ` AND ${customerFilter}`}
    GROUP BY o.customer_id`;
}

/** SQL of a derived table `customer_id, interactions_count, last_interaction_at` (every kind counts). */
export function interactionMetricsSql(customerFilter = ''): string {
  return `SELECT i.customer_id, COUNT(*) AS interactions_count, MAX(i.occurred_at) AS last_interaction_at
    FROM interactions i${customerFilter === '' ? '' : ` WHERE ${customerFilter}`}
    GROUP BY i.customer_id`;
}

/**
 * A complete query giving every metric for customers `c` (one row each, zeros
 * for customers with no orders). Queries, segments and reports can use it as a
 * derived table: `SELECT … FROM (${customerMetricsSql(dialect)}) m WHERE m.total_spent_minor >= 50000`.
 * `customerWhere` is SQL over `c` (default: active customers).
 */
export function customerMetricsSql(dialect: Dialect, customerWhere = `c.status = 'active'`): string {
  return `SELECT c.id AS customer_id,
      COALESCE(om.orders_count, 0) AS orders_count,
      CASE WHEN om.customer_id IS NULL THEN 0 ELSE om.total_spent_minor END AS total_spent_minor,
      om.currency AS currency,
      COALESCE(om.mixed_currencies, 0) AS mixed_currencies,
      om.first_order_at AS first_order_at,
      om.last_order_at AS last_order_at,
      ${dialect.daysSince('om.last_order_at')} AS days_since_last_order,
      COALESCE(im.interactions_count, 0) AS interactions_count,
      im.last_interaction_at AS last_interaction_at
    FROM customers c
    LEFT JOIN (${orderMetricsSql()}) om ON om.customer_id = c.id
    LEFT JOIN (${interactionMetricsSql()}) im ON im.customer_id = c.id
    WHERE ${customerWhere}`;
}

/** Streams every active customer's metrics in customer id order (one set-based query; memory stays flat). */
export function iterateCustomerMetrics(store: Store): IterableIterator<CustomerMetricsRow> {
  return store.sqlite.prepare(`${customerMetricsSql(store.dialect)} ORDER BY c.id`).iterate() as IterableIterator<CustomerMetricsRow>;
}

/** One customer's metrics (whatever their status), read through the per-customer indexes; undefined for an unknown id. */
export function readCustomerMetrics(store: Store, customerId: number): CustomerMetricsRow | undefined {
  const statement = store.sqlite.prepare(`SELECT c.id AS customer_id,
      COALESCE(om.orders_count, 0) AS orders_count,
      CASE WHEN om.customer_id IS NULL THEN 0 ELSE om.total_spent_minor END AS total_spent_minor,
      om.currency AS currency,
      COALESCE(om.mixed_currencies, 0) AS mixed_currencies,
      om.first_order_at AS first_order_at,
      om.last_order_at AS last_order_at,
      ${store.dialect.daysSince('om.last_order_at')} AS days_since_last_order,
      COALESCE(im.interactions_count, 0) AS interactions_count,
      im.last_interaction_at AS last_interaction_at
    FROM customers c
    LEFT JOIN (${orderMetricsSql('o.customer_id = @id')}) om ON om.customer_id = c.id
    LEFT JOIN (${interactionMetricsSql('i.customer_id = @id')}) im ON im.customer_id = c.id
    WHERE c.id = @id`);
  return statement.get({ id: customerId }) as CustomerMetricsRow | undefined;
}

/** A customer's counted spend per currency, largest first: what is shown instead of a total when currencies are mixed. */
export function readSpendByCurrency(store: Store, customerId: number): CurrencySpendRow[] {
  return store.sqlite
    .prepare(
      `SELECT o.currency, COUNT(*) AS orders_count, SUM(o.total_minor) AS total_minor
       FROM orders o WHERE o.customer_id = ? AND o.status NOT IN (${EXCLUDED_LIST})
       GROUP BY o.currency ORDER BY total_minor DESC`,
    )
    .all(customerId) as CurrencySpendRow[];
}
