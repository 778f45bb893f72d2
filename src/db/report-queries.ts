import { sql, type RawBuilder, type SqlBool } from 'kysely';
import { nextDay, type CustomerFieldsQuery } from './customer-fields-query.js';
import { EXCLUDED_ORDER_STATUSES } from './customer-metrics.js';
import type { Store } from './store.js';

/**
 * The SQL of `custdb report` (src/reports/): each function groups or ranks
 * the customers a report covers, or the orders they placed, in the database
 * and returns plain rows of numbers for the report builders to lay out.
 * Dialect-neutral. The shapes were tuned at 1M customers / 5M orders (see
 * the README's design notes on the summary): change them with the bench.
 */

/** The customers a report covers and the money it counts, as its queries need them. */
export interface ReportScope {
  /** The day the report is as of, 'YYYY-MM-DD': orders placed by its end count. */
  asOf: string;
  /** The main currency (settings `currency`, else the most ordered one); undefined when no order has a currency. */
  currency: string | undefined;
  /** True when a filter or segment narrows the customers; false for every active customer. */
  scoped: boolean;
  /** The selected customers as a `cf` query computing `fields` (selectCustomers in src/query). */
  customers(fields: readonly string[]): Promise<CustomerFieldsQuery>;
}

/** The conditions the queries below share, over orders `o` and customers `cf`. */
interface ScopeConditions {
  /** A condition over orders `o`: counted (not refunded, cancelled, …) and placed by the end of the as-of day. */
  isCounted: RawBuilder<SqlBool>;
  /** isCounted, and placed by a selected customer. */
  countedOrders(): Promise<RawBuilder<SqlBool>>;
  /** True for a customer `cf` whose total_spent is in the main currency (not mixed, not another one). */
  spendInCurrency: RawBuilder<SqlBool>;
  /** True for an order `o` whose money is in the main currency (one without a currency: see below). */
  inCurrency: RawBuilder<SqlBool>;
}

function conditionsOf(scope: ReportScope): ScopeConditions {
  const { currency } = scope;
  const excluded = sql.join([...EXCLUDED_ORDER_STATUSES]);
  const endExclusive = nextDay(scope.asOf);
  const counted = (alias: string) => sql<SqlBool>`${sql.ref(`${alias}.status`)} NOT IN (${excluded}) AND ${sql.ref(`${alias}.ordered_at`)} < ${endExclusive}`;
  const isCounted = counted('o');
  return {
    isCounted,
    async countedOrders() {
      if (scope.scoped) return sql<SqlBool>`${isCounted} AND o.customer_id IN ${(await scope.customers([])).select(sql.ref('cf.id').as('id'))}`;
      // The few merged and erased customers are the ones to leave out: testing each order against them lets SQLite
      // read the orders' index straight through, where a list of a million active ids costs a look-up per customer.
      return sql<SqlBool>`${isCounted} AND o.customer_id NOT IN (SELECT id FROM customers WHERE status <> 'active')`;
    },
    spendInCurrency:
      currency === undefined ? sql<SqlBool>`cf.total_spent IS NOT NULL` : sql<SqlBool>`(cf.total_spent IS NOT NULL AND (cf.currency IS NULL OR cf.currency = ${currency}))`,
    // An order without a currency is in its customer's one currency, as total_spent has it: in the main one unless
    // the customer's other counted orders are all in one other currency (the look-up runs for such orders only).
    inCurrency:
      currency === undefined
        ? sql<SqlBool>`1 = 1`
        : sql<SqlBool>`(o.currency = ${currency} OR (o.currency IS NULL AND NOT EXISTS (
            SELECT 1 FROM orders o2 WHERE o2.customer_id = o.customer_id AND ${counted('o2')} AND o2.currency <> ${currency}
              AND NOT EXISTS (SELECT 1 FROM orders o3 WHERE o3.customer_id = o.customer_id AND ${counted('o3')} AND o3.currency <> o2.currency))))`,
  };
}

/** A count or sum as the database returns it (PostgreSQL's bigint and numeric come as text; SUM over nothing is NULL): a number, 0 for none. */
function toNumber(value: unknown): number {
  return value === null || value === undefined ? 0 : Number(value);
}

/** A value that may be NULL (a customer without it), as a number or null. */
function toNumberOrNull(value: unknown): number | null {
  return value === null ? null : Number(value);
}

/** What the summary counts over the customers' own fields. Money in major units. */
export interface SummaryCustomerTotals {
  customers: number;
  /** Counted orders, in every currency. */
  orders: number;
  /** Orders of the customers whose spend is in the main currency. */
  inCurrency: number;
  /** Spend of the customers whose spend is in the main currency. */
  revenue: number;
  /** Customers who ordered in several currencies (no total_spent): see sumMixedCurrencyOrders. */
  mixed: number;
  /** Customers with at least one counted order. */
  buyers: number;
  /** Customers with two or more. */
  repeaters: number;
  /** Customers whose last counted order is on or after `activeSince`. */
  active: number;
  /** Customers whose email consent is granted. */
  consented: number;
}

/**
 * The summary's all-time totals, from the per-customer fields (the stored
 * metrics as of today) rather than from every order. Money as total_spent has
 * it: a customer's orders without a currency are in their one currency.
 * Customers with several currencies have no total_spent, so their orders in
 * the main currency are added by sumMixedCurrencyOrders.
 */
export async function sumSummaryCustomers(scope: ReportScope, activeSince: string): Promise<SummaryCustomerTotals> {
  const { spendInCurrency } = conditionsOf(scope);
  const row = await (await scope.customers(['orders_count', 'total_spent', 'currency', 'last_order_at', 'email_consent']))
    .select([
      sql<unknown>`COUNT(*)`.as('customers'),
      sql<unknown>`SUM(cf.orders_count)`.as('orders'),
      sql<unknown>`SUM(CASE WHEN ${spendInCurrency} THEN cf.orders_count ELSE 0 END)`.as('in_currency'),
      sql<unknown>`SUM(CASE WHEN ${spendInCurrency} THEN cf.total_spent ELSE 0 END)`.as('revenue'),
      sql<unknown>`SUM(CASE WHEN cf.orders_count >= 1 AND cf.total_spent IS NULL THEN 1 ELSE 0 END)`.as('mixed'),
      sql<unknown>`SUM(CASE WHEN cf.orders_count >= 1 THEN 1 ELSE 0 END)`.as('buyers'),
      sql<unknown>`SUM(CASE WHEN cf.orders_count >= 2 THEN 1 ELSE 0 END)`.as('repeaters'),
      sql<unknown>`SUM(CASE WHEN cf.last_order_at >= ${activeSince} THEN 1 ELSE 0 END)`.as('active'),
      sql<unknown>`SUM(CASE WHEN cf.email_consent = 'granted' THEN 1 ELSE 0 END)`.as('consented'),
    ])
    .executeTakeFirstOrThrow();
  return {
    customers: toNumber(row.customers),
    orders: toNumber(row.orders),
    inCurrency: toNumber(row.in_currency),
    revenue: toNumber(row.revenue),
    mixed: toNumber(row.mixed),
    buyers: toNumber(row.buyers),
    repeaters: toNumber(row.repeaters),
    active: toNumber(row.active),
    consented: toNumber(row.consented),
  };
}

/** Customers per month ('YYYY-MM') of their first counted order, for the months from `firstMonth` on; months without any are absent. */
export async function countNewCustomersByMonth(scope: ReportScope, firstMonth: string): Promise<{ month: string; customers: number }[]> {
  const rows = await (await scope.customers(['first_order_at']))
    .select([sql<string>`substr(cf.first_order_at, 1, 7)`.as('month'), sql<unknown>`COUNT(*)`.as('customers')])
    .where(sql.ref('cf.first_order_at'), '>=', firstMonth)
    .groupBy(sql`substr(cf.first_order_at, 1, 7)`)
    .execute();
  return rows.map((row) => ({ month: row.month, customers: toNumber(row.customers) }));
}

/** The counted orders in the main currency of the customers who ordered in several currencies, and their total in minor units. */
export async function sumMixedCurrencyOrders(store: Store, scope: ReportScope): Promise<{ orders: number; revenueMinor: number }> {
  const { isCounted, inCurrency } = conditionsOf(scope);
  const row = (
    await sql<{ orders: unknown; revenue_minor: unknown }>`
      SELECT COUNT(*) AS orders, SUM(o.total_minor) AS revenue_minor FROM orders o
      WHERE ${isCounted} AND ${inCurrency} AND o.customer_id IN ${(await scope.customers(['orders_count', 'total_spent']))
        .select(sql.ref('cf.id').as('id'))
        .where(sql.ref('cf.orders_count'), '>=', 1)
        .where(sql.ref('cf.total_spent'), 'is', null)}`.execute(store.db)
  ).rows[0]!;
  return { orders: toNumber(row.orders), revenueMinor: toNumber(row.revenue_minor) };
}

/**
 * The selected customers' counted orders per month ('YYYY-MM') from
 * `firstMonth` on, and their revenue in the main currency in minor units;
 * months without orders are absent.
 */
export async function sumOrdersByMonth(store: Store, scope: ReportScope, firstMonth: string): Promise<{ month: string; orders: number; revenueMinor: number }[]> {
  const { inCurrency, countedOrders } = conditionsOf(scope);
  // Only the series' months are grouped: grouping sorts (SQLite has no hash aggregate), and it sorts a year of
  // 5M orders in memory, where all of them spill to temporary files and take over twice as long. The months' test
  // comes first because SQLite tests in the order written: the older orders then skip the status and customer
  // tests (at 1M/5M with the series a quarter of the orders, 2.6 → 1.3 s CPU).
  const { rows } = await sql<{ month: string; orders: unknown; revenue_minor: unknown }>`
    SELECT substr(o.ordered_at, 1, 7) AS month, COUNT(*) AS orders, SUM(CASE WHEN ${inCurrency} THEN o.total_minor ELSE 0 END) AS revenue_minor
    FROM orders o WHERE o.ordered_at >= ${firstMonth} AND ${await countedOrders()}
    GROUP BY 1`.execute(store.db);
  return rows.map((row) => ({ month: row.month, orders: toNumber(row.orders), revenueMinor: toNumber(row.revenue_minor) }));
}

/** The `limit` sources (of the customers' identities) with the most selected customers, most first, then by name. */
export async function countTopSources(scope: ReportScope, limit: number): Promise<{ source: string; customers: number }[]> {
  const rows = await (await scope.customers([]))
    .innerJoin('customer_identities as ci', 'ci.customer_id', 'cf.id')
    .select(['ci.source as source', sql<unknown>`COUNT(DISTINCT ci.customer_id)`.as('customers')])
    .groupBy('ci.source')
    .orderBy(sql`COUNT(DISTINCT ci.customer_id)`, 'desc')
    .orderBy('ci.source')
    .limit(limit)
    .execute();
  return rows.map((row) => ({ source: row.source, customers: toNumber(row.customers) }));
}

export interface TopCustomer {
  id: number;
  name: string | null;
  email: string | null;
  orders: number;
  /** Spend in the main currency (major units); null when it is in another or in several currencies. */
  revenue: number | null;
  /** The day of the last counted order, 'YYYY-MM-DD'. */
  lastOrder: string | null;
}

/**
 * The `limit` selected customers who ordered, with the most revenue (spend in
 * the main currency; none ranks last) or the most orders, the other measure
 * next, then by id. One sorted, limited query.
 */
export async function rankTopCustomers(scope: ReportScope, by: 'revenue' | 'orders', limit: number): Promise<TopCustomer[]> {
  const revenue = sql<unknown>`CASE WHEN ${conditionsOf(scope).spendInCurrency} THEN cf.total_spent END`;
  let query = (await scope.customers(['full_name', 'email', 'orders_count', 'total_spent', 'currency', 'last_order_at']))
    .select([
      sql.ref<unknown>('cf.id').as('id'),
      sql.ref<string | null>('cf.full_name').as('name'),
      sql.ref<string | null>('cf.email').as('email'),
      sql.ref<unknown>('cf.orders_count').as('orders'),
      revenue.as('revenue'),
      sql<string | null>`substr(cf.last_order_at, 1, 10)`.as('last_order'),
    ])
    .where(sql.ref('cf.orders_count'), '>=', 1);
  const byRevenue = (q: typeof query) => q.orderBy(revenue, (ob) => ob.desc().nullsLast());
  const byOrders = (q: typeof query) => q.orderBy(sql.ref('cf.orders_count'), 'desc');
  query = by === 'revenue' ? byOrders(byRevenue(query)) : byRevenue(byOrders(query));
  const rows = await query.orderBy(sql.ref('cf.id')).limit(limit).execute();
  return rows.map((row) => ({
    id: toNumber(row.id),
    name: row.name,
    email: row.email,
    orders: toNumber(row.orders),
    revenue: toNumberOrNull(row.revenue),
    lastOrder: row.last_order,
  }));
}

export interface RfmSegmentTotals {
  /** The `rfm_segment` field; null for customers RFM does not score (no counted order). */
  segment: string | null;
  customers: number;
  /** Spend in the main currency (major units), 0 for none. */
  revenue: number;
  /** Customers who ordered but whose spend is in another or in several currencies, so not in `revenue`. */
  leftOut: number;
}

/** The selected customers per RFM segment (the `rfm_segment` field, as `query` has it), in no order. */
export async function sumRfmSegments(scope: ReportScope): Promise<RfmSegmentTotals[]> {
  const { spendInCurrency } = conditionsOf(scope);
  const rows = await (await scope.customers(['rfm_segment', 'orders_count', 'total_spent', 'currency']))
    .select([
      sql.ref<string | null>('cf.rfm_segment').as('segment'),
      sql<unknown>`COUNT(*)`.as('customers'),
      sql<unknown>`SUM(CASE WHEN ${spendInCurrency} THEN cf.total_spent END)`.as('revenue'),
      sql<unknown>`SUM(CASE WHEN cf.orders_count >= 1 AND NOT ${spendInCurrency} THEN 1 ELSE 0 END)`.as('left_out'),
    ])
    .groupBy(sql.ref('cf.rfm_segment'))
    .execute();
  return rows.map((row) => ({ segment: row.segment, customers: toNumber(row.customers), revenue: toNumber(row.revenue), leftOut: toNumber(row.left_out) }));
}

/**
 * For the selected customers whose first counted order is in `firstCohort`
 * ('YYYY-MM') or later, grouped by that month (their cohort): how many of
 * each cohort placed a counted order in each month. One grouped query over
 * the orders of the cohorts' customers; months no one ordered in are absent.
 */
export async function countCohortOrdering(store: Store, scope: ReportScope, firstCohort: string): Promise<{ cohort: string; month: string; customers: number }[]> {
  const members = (await scope.customers(['first_order_at']))
    .select([sql.ref<number>('cf.id').as('id'), sql<string>`substr(cf.first_order_at, 1, 7)`.as('cohort')])
    .where(sql.ref('cf.first_order_at'), '>=', firstCohort);
  const { rows } = await sql<{ cohort: string; month: string; customers: unknown }>`
    SELECT f.cohort AS cohort, substr(o.ordered_at, 1, 7) AS month, COUNT(DISTINCT o.customer_id) AS customers
    FROM orders o JOIN ${members} f ON f.id = o.customer_id
    WHERE ${conditionsOf(scope).isCounted}
    GROUP BY f.cohort, substr(o.ordered_at, 1, 7)`.execute(store.db);
  return rows.map((row) => ({ cohort: row.cohort, month: row.month, customers: toNumber(row.customers) }));
}

/** The fields `custdb analytics fit` gives customers that the value report reads, and who the customers are. */
const VALUE_FIELDS = ['p_active', 'predicted_value_12m', 'clv', 'full_name', 'email'];

/**
 * The selected customers with a p_active, in bands of it: band i holds
 * p_active below `upperBounds[i]` (and not in an earlier band), the last band
 * the rest. With their total predicted 12-month value (major units, 0 for
 * none); bands without customers are absent. Throws
 * PredictionsNotFittedError (from the query layer) before the first fit.
 */
export async function sumPActiveBands(scope: ReportScope, upperBounds: readonly number[]): Promise<{ band: number; customers: number; predicted: number }[]> {
  const band = sql<unknown>`CASE ${sql.join(
    upperBounds.map((bound, i) => sql`WHEN cf.p_active < ${sql.lit(bound)} THEN ${sql.lit(i)}`),
    sql` `,
  )} ELSE ${sql.lit(upperBounds.length)} END`;
  const rows = await (await scope.customers(VALUE_FIELDS))
    .select([band.as('band'), sql<unknown>`COUNT(*)`.as('customers'), sql<unknown>`SUM(cf.predicted_value_12m)`.as('predicted')])
    .where(sql.ref('cf.p_active'), 'is not', null)
    .groupBy(band)
    .execute();
  return rows.map((row) => ({ band: toNumber(row.band), customers: toNumber(row.customers), predicted: toNumber(row.predicted) }));
}

export interface ValuedCustomer {
  id: number;
  name: string | null;
  email: string | null;
  p_active: number | null;
  predicted_value_12m: number | null;
  clv: number | null;
}

/** The `limit` selected customers with the highest CLV, then by id. */
export async function rankByClv(scope: ReportScope, limit: number): Promise<ValuedCustomer[]> {
  const rows = await (await scope.customers(VALUE_FIELDS))
    .select([
      sql.ref<unknown>('cf.id').as('id'),
      sql.ref<string | null>('cf.full_name').as('name'),
      sql.ref<string | null>('cf.email').as('email'),
      sql<unknown>`cf.p_active`.as('p_active'),
      sql<unknown>`cf.predicted_value_12m`.as('predicted_value_12m'),
      sql<unknown>`cf.clv`.as('clv'),
    ])
    .where(sql.ref('cf.clv'), 'is not', null)
    .orderBy(sql.ref('cf.clv'), 'desc')
    .orderBy(sql.ref('cf.id'))
    .limit(limit)
    .execute();
  return rows.map((row) => ({
    id: toNumber(row.id),
    name: row.name,
    email: row.email,
    p_active: toNumberOrNull(row.p_active),
    predicted_value_12m: toNumberOrNull(row.predicted_value_12m),
    clv: toNumberOrNull(row.clv),
  }));
}
