import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Dialect } from './dialect.js';
import { pagesById } from './pages-by-id.js';
import type { Store } from './store.js';
import type { Database } from './tables.js';

/**
 * Order statuses that are not purchases: left out of spend, counts and order dates.
 * Stored statuses are lower case; both spellings of "cancelled" are seen in exports.
 * The stored metrics were computed with this list: changing it needs a migration
 * that recomputes them (as 0003-customer-metrics.sql computed them first).
 */
export const EXCLUDED_ORDER_STATUSES = ['refunded', 'cancelled', 'canceled', 'voided', 'failed'] as const;

/** One customer's metrics as read from the stored row (money in minor units). */
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
 * What counts, in one place: the stored metrics are regrouped from this and
 * `interactionMetricsSql`, and checked against them.
 *
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

/** The stored metrics table (schema/sqlite/0003-customer-metrics.sql): one row per customer with counted orders or interactions. */
const STORED = 'customer_metrics';
const STORED_COLUMNS = 'customer_id, orders_count, total_spent_minor, currency, mixed_currencies, first_order_at, last_order_at, interactions_count, last_interaction_at';

/** The metric columns of customer `c` read from stored row `m` (absent: zeros); days_since_last_order is computed now. */
function storedMetricColumns(dialect: Dialect): string {
  return `c.id AS customer_id,
      COALESCE(m.orders_count, 0) AS orders_count,
      CASE WHEN m.customer_id IS NULL THEN 0 ELSE m.total_spent_minor END AS total_spent_minor,
      m.currency AS currency,
      COALESCE(m.mixed_currencies, 0) AS mixed_currencies,
      m.first_order_at AS first_order_at,
      m.last_order_at AS last_order_at,
      ${dialect.daysSince('m.last_order_at')} AS days_since_last_order,
      COALESCE(m.interactions_count, 0) AS interactions_count,
      m.last_interaction_at AS last_interaction_at`;
}

/**
 * A complete query giving every metric for customers `c` (one row each, zeros
 * for customers with no orders), read from the stored metrics: one pass over
 * the customers with a primary-key look-up each, no grouping. Queries, segments
 * and reports can use it as a derived table:
 * `SELECT … FROM (${customerMetricsSql(dialect)}) m WHERE m.total_spent_minor >= 50000`.
 * `customerWhere` is SQL over `c` (default: active customers).
 */
export function customerMetricsSql(dialect: Dialect, customerWhere = `c.status = 'active'`): string {
  return `SELECT ${storedMetricColumns(dialect)}
    FROM customers c
    LEFT JOIN ${STORED} m ON m.customer_id = c.id
    WHERE ${customerWhere}`;
}

/** Streams every active customer's metrics in customer id order, a page of customers at a time (memory stays flat). */
export function iterateCustomerMetrics(store: Store): AsyncGenerator<CustomerMetricsRow[]> {
  return pagesById(async (afterId, limit) => {
    const query = sql<CustomerMetricsRow>`${sql.raw(customerMetricsSql(store.dialect, `c.status = 'active' AND c.id > `))}${afterId} ORDER BY c.id LIMIT ${limit}`;
    return (await query.execute(store.db)).rows;
  }, (row) => row.customer_id);
}

/** One customer's metrics (whatever their status), read from the stored row; undefined for an unknown id. */
export async function readCustomerMetrics(store: Store, customerId: number): Promise<CustomerMetricsRow | undefined> {
  const query = sql<CustomerMetricsRow>`${sql.raw(`SELECT ${storedMetricColumns(store.dialect)}
    FROM customers c LEFT JOIN ${STORED} m ON m.customer_id = c.id
    WHERE c.id = `)}${customerId}`;
  return (await query.execute(store.db)).rows[0];
}

/*
 * Keeping the stored metrics right. Any write that adds, removes or changes
 * orders or interactions, or moves them between customers, recomputes the rows
 * of the customers it touched, inside its own transaction, once at its end:
 * the customers are gathered in a temporary table (TOUCHED) and regrouped in
 * two set-based statements that read the orders through their covering index.
 * A rolled-back write rolls the temporary rows back with it.
 */

type Statement = RawBuilder<unknown>;

const TOUCHED = 'custdb_metrics_touched';
const CREATE_TOUCHED: Statement = sql.raw(`CREATE TEMP TABLE IF NOT EXISTS ${TOUCHED} (customer_id INTEGER PRIMARY KEY)`);
const MARK = `INSERT INTO ${TOUCHED} (customer_id)`;
/** Ends every MARK: a customer marked twice is marked once. */
const ONCE = 'ON CONFLICT DO NOTHING';
const IN_TOUCHED = (column: string) => `${column} IN (SELECT customer_id FROM ${TOUCHED})`;
const ID_CHUNK = 500;

/**
 * Groups the orders and interactions of `where` customers (SQL over o / i `.customer_id`; '' for all) into `table`,
 * which has the stored table's columns and no rows for them yet.
 */
function regroupStatements(where: (column: string) => string, table = STORED): Statement[] {
  return [
    sql.raw(`INSERT INTO ${table} (${STORED_COLUMNS})
        SELECT customer_id, orders_count, total_spent_minor, currency, mixed_currencies, first_order_at, last_order_at, 0, NULL
        FROM (${orderMetricsSql(where('o.customer_id'))}) AS grouped`),
    // WHERE true: an upsert's SELECT needs a WHERE so that ON CONFLICT is not read as a join constraint.
    sql.raw(`INSERT INTO ${table} (${STORED_COLUMNS})
        SELECT customer_id, 0, 0, NULL, 0, NULL, NULL, interactions_count, last_interaction_at
        FROM (${interactionMetricsSql(where('i.customer_id'))}) AS grouped WHERE true
        ON CONFLICT (customer_id) DO UPDATE SET interactions_count = excluded.interactions_count, last_interaction_at = excluded.last_interaction_at`),
  ];
}

/**
 * A change of the order metrics may move the RFM cut points: it counts one more metrics
 * version, and the next RFM read recomputes them (src/db/rfm-cut-points.ts). RFM reads
 * orders only, so a write that changed interactions alone (a note, an interactions import)
 * leaves the version, and the kept cut points and scores, as they are.
 */
const CUT_POINTS_STALE: Statement = sql.raw('UPDATE rfm_cut_points SET metrics_version = metrics_version + 1');

/** What a write changed, for the refresh: whether orders (or who owns them) are among it. */
export interface MetricsChange {
  ordersChanged: boolean;
}

function refreshTouched(change: MetricsChange): Statement[] {
  return [
    CREATE_TOUCHED,
    sql.raw(`DELETE FROM ${STORED} WHERE ${IN_TOUCHED('customer_id')}`),
    ...regroupStatements(IN_TOUCHED),
    ...(change.ordersChanged ? [CUT_POINTS_STALE] : []),
    sql.raw(`DELETE FROM ${TOUCHED}`),
  ];
}

/** Marks the customers whose metrics import batch N changed: owners of its orders and interactions, and of orders whose status it changed. */
function markBatchStatements(batchId: number): Statement[] {
  return [
    CREATE_TOUCHED,
    sql`${sql.raw(MARK)} SELECT customer_id FROM orders WHERE batch_id = ${batchId} ${sql.raw(ONCE)}`,
    sql`${sql.raw(MARK)} SELECT customer_id FROM interactions WHERE batch_id = ${batchId} ${sql.raw(ONCE)}`,
    // The order's owner now, not when the change was made: a merge may have moved it since.
    sql`${sql.raw(MARK)} SELECT o.customer_id FROM changes ch JOIN orders o ON o.id = CAST(ch.entity_id AS INTEGER)
            WHERE ch.batch_id = ${batchId} AND ch.entity = 'order' ${sql.raw(ONCE)}`,
  ];
}

function markIdsStatements(customerIds: readonly number[]): Statement[] {
  const statements = [CREATE_TOUCHED];
  for (let k = 0; k < customerIds.length; k += ID_CHUNK) {
    const chunk = customerIds.slice(k, k + ID_CHUNK);
    statements.push(sql`${sql.raw(MARK)} VALUES ${sql.join(chunk.map((id) => sql`(${id})`))} ${sql.raw(ONCE)}`);
  }
  return statements;
}

async function run(db: Kysely<Database>, statements: readonly Statement[]): Promise<void> {
  for (const statement of statements) await statement.execute(db);
}

/**
 * Recomputes the stored metrics of every customer import batch N touched (its
 * orders', interactions' and status-changed orders' owners), on `db`, the
 * import's open transaction: what an orders or interactions import does once,
 * just before it commits. Returns how many customers that is, and how many of
 * them do not exist: what row-by-row foreign key checks would have refused, for
 * a dialect whose import writes without them (so 0 unless something is wrong).
 */
export async function refreshBatchCustomerMetrics(db: Kysely<Database>, batchId: number, change: MetricsChange): Promise<{ touchedCustomers: number; missingCustomers: number }> {
  await run(db, markBatchStatements(batchId));
  const counts = await sql<{ touched: number | string; missing: number | string }>`SELECT count(*) AS touched,
      count(CASE WHEN NOT EXISTS (SELECT 1 FROM customers c WHERE c.id = t.customer_id) THEN 1 END) AS missing
      FROM ${sql.raw(TOUCHED)} t`.execute(db);
  const touchedCustomers = Number(counts.rows[0]?.touched ?? 0);
  const missingCustomers = Number(counts.rows[0]?.missing ?? 0);
  await run(db, refreshTouched(change));
  return { touchedCustomers, missingCustomers };
}

/**
 * Notes the customers import batch N touched, for `refreshMarkedCustomerMetrics`
 * later in the same transaction: undoing a batch marks them before deleting its
 * orders (which name them) and refreshes after.
 */
export async function markBatchCustomerMetrics(db: Kysely<Database>, batchId: number): Promise<void> {
  await run(db, markBatchStatements(batchId));
}

/** Recomputes the stored metrics of the customers marked so far in this transaction, and forgets the marks. */
export async function refreshMarkedCustomerMetrics(db: Kysely<Database>, change: MetricsChange): Promise<void> {
  await run(db, refreshTouched(change));
}

/**
 * Recomputes the stored metrics of these customers on `db` (a transaction the
 * caller opened): after a merge, its undo, an erasure, or a note.
 * @example await refreshCustomerMetrics(trx, [survivorId, mergedId], { ordersChanged: true });
 */
export async function refreshCustomerMetrics(db: Kysely<Database>, customerIds: readonly number[], change: MetricsChange): Promise<void> {
  await run(db, [...markIdsStatements(customerIds), ...refreshTouched(change)]);
}

/** Recomputes every stored row from scratch, on `db`, a transaction the caller opened (after rows were written behind custdb's back, as the bench's generator does). */
export async function rebuildCustomerMetrics(db: Kysely<Database>): Promise<void> {
  await run(db, [sql.raw(`DELETE FROM ${STORED}`), ...regroupStatements(() => ''), CUT_POINTS_STALE]);
}

/** Customers whose stored metrics differ from a grouping of their orders and interactions (missing or extra rows included). */
export interface CustomerMetricsDrift {
  count: number;
  /** The first few such customer ids, ascending. */
  sample: number[];
}

/**
 * Compares every stored row with a fresh grouping of all orders and
 * interactions (built in a temporary table, so the database is not written),
 * in one read transaction: the grouping and the comparison see the same
 * orders. Groups every order: about as long as the migration that first
 * filled the table (seconds at 5M orders).
 */
export async function findCustomerMetricsDrift(store: Store, sampleSize = 10): Promise<CustomerMetricsDrift> {
  const expected = 'custdb_metrics_expected';
  const drift: CustomerMetricsDrift = { count: 0, sample: [] };
  await store.readTransaction(async (db) => {
    await run(db, [
      sql.raw(`DROP TABLE IF EXISTS ${expected}`),
      sql.raw(`CREATE TEMP TABLE ${expected} (
          customer_id INTEGER PRIMARY KEY, orders_count INTEGER NOT NULL, total_spent_minor BIGINT, currency TEXT, mixed_currencies INTEGER NOT NULL,
          first_order_at TEXT, last_order_at TEXT, interactions_count INTEGER NOT NULL, last_interaction_at TEXT)`),
      ...regroupStatements(() => '', expected),
    ]);
    const stored = `SELECT ${STORED_COLUMNS} FROM ${STORED}`;
    const fresh = `SELECT ${STORED_COLUMNS} FROM ${expected}`;
    const differing = await sql<{ customer_id: number }>`${sql.raw(
      `SELECT customer_id FROM (${fresh} EXCEPT ${stored}) AS missing UNION SELECT customer_id FROM (${stored} EXCEPT ${fresh}) AS extra ORDER BY customer_id`,
    )}`.execute(db);
    drift.count = differing.rows.length;
    drift.sample = differing.rows.slice(0, sampleSize).map((row) => row.customer_id);
    await run(db, [sql.raw(`DROP TABLE ${expected}`)]);
  });
  return drift;
}

/** A customer's counted spend per currency, largest first: what is shown instead of a total when currencies are mixed. */
export async function readSpendByCurrency(store: Store, customerId: number): Promise<CurrencySpendRow[]> {
  const query = sql<CurrencySpendRow>`SELECT o.currency, COUNT(*) AS orders_count, SUM(o.total_minor) AS total_minor
       FROM orders o WHERE o.customer_id = ${customerId} AND o.status NOT IN (${sql.raw(EXCLUDED_LIST)})
       GROUP BY o.currency ORDER BY total_minor DESC`;
  return (await query.execute(store.db)).rows;
}
