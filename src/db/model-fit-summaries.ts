import { sql, type RawBuilder } from 'kysely';
import { EXCLUDED_ORDER_STATUSES } from './customer-metrics.js';
import type { Dialect } from './dialect.js';
import type { Store } from './store.js';

/**
 * One row per active customer with a counted order before `cutDay`, as the
 * customer-value models read the history: purchase occasions are distinct order
 * days; days are counted from 1970-01-01 (UTC) so that the caller can turn them
 * into any unit without parsing dates.
 */
export interface PurchaseSummaryRow {
  customer_id: number;
  /** Distinct order days before the cut, the first included. */
  occasions: number;
  first_day: number;
  last_day: number;
  /** Sum of the counted orders' totals on the days after the first (before the cut), in minor units (in the spend currency when one is asked). */
  repeat_minor: number;
  /** With a spend currency: the days after the first (before the cut) with an order in it, whose spend repeat_minor sums. Null without one: all of them. */
  spend_occasions: number | null;
  /** With a spend currency: 1 when some of the repeat spend was in another and left out, else 0. */
  spend_elsewhere: number;
  /** Distinct order days from the cut to the end of `asOf`: the holdout period's purchases (0 without one). */
  later_occasions: number;
}

const EXCLUDED_LIST = EXCLUDED_ORDER_STATUSES.map((status) => `'${status}'`).join(', ');

/** Days since 1970-01-01 of a 'YYYY-MM-DD' text: julianday() of a date is a whole day plus ½, and PostgreSQL subtracts dates to an integer. */
function dayNumber(dialect: Dialect, day: RawBuilder<unknown>): RawBuilder<number> {
  return dialect.name === 'sqlite' ? sql<number>`CAST(julianday(${day}) - 2440587.5 AS INTEGER)` : sql<number>`(CAST(${day} AS date) - DATE '1970-01-01')`;
}

/**
 * Streams the purchase summaries of the counted orders before `endDay`
 * ('YYYY-MM-DD', exclusive), in customer id order, grouped in SQL: only one
 * row per customer reaches JavaScript. `cutDay` (at most `endDay`) splits the history: occasions before
 * it are summarised, those from it on are counted as later occasions; customers
 * whose first order is on or after it are left out. With `spendCurrency`, repeat spend
 * counts only orders in that currency (an order without one is in its customer's one
 * currency, else in this one, as RFM's monetary score has it), and spend_occasions the days it falls on.
 *
 * @example for await (const row of streamPurchaseSummaries(store, { cutDay: '1997-10-01', endDay: '1998-07-01' })) …
 */
export async function* streamPurchaseSummaries(
  store: Pick<Store, 'db' | 'dialect'>,
  range: { cutDay: string; endDay: string; spendCurrency?: string | undefined },
): AsyncGenerator<PurchaseSummaryRow> {
  const { dialect } = store;
  const { cutDay, endDay, spendCurrency } = range;
  const day = sql.raw('substr(o.ordered_at, 1, 10)');
  // Without a holdout period every order read is before the cut: the per-order tests and the second
  // COUNT(DISTINCT), a temporary B-tree per customer, are left out of the query.
  const split = cutDay < endDay;
  const beforeCut = (value: RawBuilder<unknown>) => (split ? sql`CASE WHEN o.ordered_at < ${cutDay} THEN ${value} END` : value);
  const repeatDay = sql`${day} > substr(m.first_order_at, 1, 10)${split ? sql` AND o.ordered_at < ${cutDay}` : sql``}`;
  const inSpendCurrency = spendCurrency === undefined ? undefined : sql`COALESCE(o.currency, m.currency, ${spendCurrency}) = ${spendCurrency}`;
  const repeat = inSpendCurrency === undefined ? repeatDay : sql`${repeatDay} AND ${inSpendCurrency}`;
  // The first purchase day is the stored metrics' first counted order, which a past as-of day does not move
  // (a customer whose first order is after the cut is left out); the last is the stored one too when no
  // counted order is on or after the cut (fitting as of today). Read from the metrics row, not aggregated
  // over every order: SQLite takes such a bare column from the group (one metrics row per customer), and
  // PostgreSQL allows it once the metrics row's key is grouped on.
  const lastStored = (await lastCountedOrder(store)) < cutDay;
  const lastDay = lastStored ? sql`substr(m.last_order_at, 1, 10)` : sql`substr(MAX(${beforeCut(sql.raw('o.ordered_at'))}), 1, 10)`;
  const columns = [
    sql`c.id AS customer_id`,
    sql`COUNT(DISTINCT ${beforeCut(day)}) AS occasions`,
    sql`${dayNumber(dialect, sql`substr(m.first_order_at, 1, 10)`)} AS first_day`,
    sql`${dayNumber(dialect, lastDay)} AS last_day`,
    sql`SUM(CASE WHEN ${repeat} THEN o.total_minor ELSE 0 END) AS repeat_minor`,
    ...(inSpendCurrency === undefined
      ? []
      : [sql`COUNT(DISTINCT CASE WHEN ${repeat} THEN ${day} END) AS spend_occasions`, sql`MAX(CASE WHEN ${repeatDay} AND NOT (${inSpendCurrency}) THEN 1 ELSE 0 END) AS spend_elsewhere`]),
    ...(split ? [sql`COUNT(DISTINCT CASE WHEN o.ordered_at >= ${cutDay} THEN ${day} END) AS later_occasions`] : []),
  ];
  // One pass over each customer's orders through orders_customer_ordered (covering), grouped in customer order with no sort.
  const query = sql<Partial<PurchaseSummaryRow>>`SELECT ${sql.join(columns)}
      FROM customers c
      JOIN customer_metrics m ON m.customer_id = c.id
      JOIN orders o ON o.customer_id = c.id
      WHERE c.status = 'active' AND m.orders_count > 0 AND m.first_order_at < ${cutDay}
        AND o.status NOT IN (${sql.raw(EXCLUDED_LIST)}) AND o.ordered_at < ${endDay}
      GROUP BY c.id${dialect.name === 'sqlite' ? sql`` : sql`, m.customer_id`}
      ORDER BY c.id`;
  // Streamed as written: wrapped in a select builder, the ORDER BY would sort the grouped rows once more.
  for await (const page of store.db.getExecutor().stream(query.compile(store.db), 5000)) {
    for (const summary of page.rows) {
      yield {
        customer_id: Number(summary.customer_id),
        occasions: Number(summary.occasions),
        first_day: Number(summary.first_day),
        last_day: Number(summary.last_day),
        repeat_minor: Number(summary.repeat_minor),
        spend_occasions: summary.spend_occasions === undefined ? null : Number(summary.spend_occasions),
        spend_elsewhere: Number(summary.spend_elsewhere ?? 0),
        later_occasions: Number(summary.later_occasions ?? 0),
      };
    }
  }
}
/** The newest counted order's time ('' without one), from the stored metrics. */
async function lastCountedOrder(store: Pick<Store, 'db'>): Promise<string> {
  const { rows } = await sql<{ last: string | null }>`SELECT MAX(last_order_at) AS last FROM customer_metrics`.execute(store.db);
  return rows[0]?.last ?? '';
}

/**
 * Whether any counted order is in a currency other than `currency` (an order without one
 * counted in its customer's one currency): read from the stored metrics, without the orders.
 */
export async function hasOrdersInOtherCurrencies(store: Pick<Store, 'db'>, currency: string): Promise<boolean> {
  const { rows } = await sql<{ found: number }>`SELECT 1 AS found FROM customer_metrics
      WHERE orders_count > 0 AND (mixed_currencies = 1 OR (currency IS NOT NULL AND currency <> ${currency})) LIMIT 1`.execute(store.db);
  return rows.length > 0;
}

/** The currency of some customer whose counted orders are all in one; undefined when there is none. */
export async function readSomeOrderCurrency(store: Pick<Store, 'db'>): Promise<string | undefined> {
  const { rows } = await sql<{ currency: string }>`SELECT currency FROM customer_metrics WHERE orders_count > 0 AND currency IS NOT NULL LIMIT 1`.execute(store.db);
  return rows[0]?.currency;
}
