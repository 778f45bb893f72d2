import { sql, type RawBuilder, type SelectQueryBuilder } from 'kysely';
import { UsageError } from '../errors.js';
import type { CustomerValues } from '../model/customer-record.js';
import { EXCLUDED_ORDER_STATUSES, interactionMetricsSql, orderMetricsSql } from './customer-metrics.js';
import type { Dialect } from './dialect.js';
import { DEFAULT_RFM_TABLE, type RfmTable } from './rfm-table.js';
import type { Store } from './store.js';
import type { Database } from './tables.js';

export type { RfmTable };

/**
 * One row of `cf`: every scalar field of the catalogue (src/model/query-fields.ts)
 * under its own name. Money in major units, dates 'YYYY-MM-DD', timestamps UTC ISO text.
 */
export interface CustomerFieldsRow extends Omit<CustomerValues, 'email_norm' | 'phone_e164'> {
  id: number;
  full_name: string | null;
  created_at: string;
  updated_at: string;
  orders_count: number;
  total_spent: number | null;
  avg_order_value: number | null;
  currency: string | null;
  first_order_at: string | null;
  last_order_at: string | null;
  days_since_last_order: number | null;
  days_since_signup: number | null;
  interactions_count: number | null;
  last_interaction_at: string | null;
  rfm_recency: number | null;
  rfm_frequency: number | null;
  rfm_monetary: number | null;
  rfm_score: string | null;
  rfm_segment: string | null;
  p_active: number | null;
  expected_orders_90d: number | null;
  expected_orders_365d: number | null;
  predicted_value_12m: number | null;
  clv: number | null;
}

/** The schema a `cf` query sees: the stored tables (for EXISTS over tags, identities…) and `cf` itself. */
export type CustomerFieldsDatabase = Database & { cf: CustomerFieldsRow };
/** Nothing selected yet: the caller chooses the columns. */
export type CustomerFieldsQuery = SelectQueryBuilder<CustomerFieldsDatabase, 'cf', {}>;

export interface CustomerFieldsOptions {
  /** The day the computed fields are as of, 'YYYY-MM-DD' (UTC): orders and interactions up to its end count. */
  asOf: string;
  /**
   * The fields the caller reads or filters on. Parts no named field needs are left
   * out and read as NULL: each RFM measure's ranking (recency and frequency for
   * rfm_segment; all three for rfm_score), and in the past the regrouping of
   * interactions. Absent: every field.
   */
  fields?: ReadonlySet<string>;
  /** Segment names by R and F (default DEFAULT_RFM_TABLE). */
  rfmTable?: RfmTable;
  /**
   * The store's main currency (ISO code), the one RFM monetary ranks spend in.
   * Absent: the currency with the most counted orders (an order without a currency
   * taken to be in its customer's one currency), the alphabetically first on a tie.
   */
  mainCurrency?: string;
  /** Today, 'YYYY-MM-DD' (default: the UTC date now); as-of dates before it regroup the orders. */
  today?: string;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const EXCLUDED_LIST = EXCLUDED_ORDER_STATUSES.map((status) => `'${status}'`).join(', ');
const INTERACTION_FIELDS = ['interactions_count', 'last_interaction_at'];
/** The columns of customer_predictions that `cf` carries, under their own names (joined only when asked for). */
const PREDICTION_COLUMNS = ['p_active', 'expected_orders_90d', 'expected_orders_365d', 'predicted_value_12m', 'clv'] as const;

/** The profile columns of `c` that `cf` carries as they are. */
const PROFILE_COLUMNS = [
  'first_name', 'last_name', 'email', 'phone', 'company', 'job_title', 'address_line1', 'address_line2', 'city', 'region',
  'postal_code', 'country', 'birth_date', 'gender', 'occupation', 'income', 'email_consent', 'sms_consent', 'notes',
  'signup_date', 'created_at', 'updated_at',
] as const;

/** The day after `date`: orders before it are the ones up to the end of `date`. */
export function nextDay(date: string): string {
  const parsed = new Date(`${date}T00:00:00.000Z`);
  if (!DATE.test(date) || Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 10) !== date) {
    throw new UsageError(`"${date}" is not a calendar date.`, { hint: 'Give the as-of date as YYYY-MM-DD, e.g. 2026-01-31.' });
  }
  return new Date(parsed.getTime() + 86_400_000).toISOString().slice(0, 10);
}

/**
 * Whole calendar days from the UTC day of timestamp/date `columnSql` to `asOf`
 * (julianday() of two midnights differs by an exact whole number; PostgreSQL
 * subtracts dates to an integer). Positive when the column is earlier.
 */
function daysTo(dialect: Dialect, asOf: string, columnSql: string): RawBuilder<number> {
  const day = sql.raw(`substr(${columnSql}, 1, 10)`);
  return dialect.name === 'sqlite'
    ? sql<number>`CAST(julianday(${asOf}) - julianday(${day}) AS INTEGER)`
    : sql<number>`(CAST(${asOf} AS date) - CAST(${day} AS date))`;
}

/** The segment of `rfm_recency`/`rfm_frequency` (columns of `scored`) by the table, its names bound as values. */
function segmentCase(table: RfmTable): RawBuilder<string> {
  const arms = table.flatMap((row, r) => row.map((name, f) => sql`WHEN ${sql.raw(String((r + 1) * 10 + f + 1))} THEN ${name}`));
  return sql<string>`CASE scored.rfm_recency * 10 + scored.rfm_frequency ${sql.join(arms, sql` `)} END`;
}

/*
 * RFM without ranking every customer. A score is ceil(5k / n) where k of the n
 * ranked customers have a value at or below this one's: it is at least j + 1
 * exactly when k > j·n/5, that is when the value is at least x[⌊j·n/5⌋ + 1],
 * the (⌊j·n/5⌋ + 1)-th smallest value. So four cut points per measure, found
 * in one sort of that measure's values, give every score by comparison; ties
 * fall on the same side of every cut, and all in integers, the same on both
 * dialects. The cut points are one row (rfm_cuts), and the customers' query
 * stays a plain scan with a primary-key look-up each.
 */
const CUTS = [1, 2, 3, 4] as const;

/** Cut points `<prefix>1…4` of `column` over rfm_ranked. */
function cutPoints(column: string, prefix: string): string {
  const picks = CUTS.map((j) => `MAX(CASE WHEN pos = ${j} * total.n / 5 + 1 THEN ${column} END) AS ${prefix}${j}`).join(', ');
  return `SELECT ${picks}
    FROM (SELECT ${column}, row_number() OVER (ORDER BY ${column}) AS pos FROM rfm_ranked) sorted
    CROSS JOIN (SELECT count(*) AS n FROM rfm_ranked) total`;
}

/**
 * SQL of `measure`'s score, 1–5, of metrics row `m`: one more than the cut points
 * `<prefix>1…4` of `rfm_cuts` that its value reaches. SQLite re-expands a score
 * wherever rfm_score and rfm_segment read it, per customer: its comparisons are
 * 0/1 already, cheaper than CASE arms.
 */
export function rfmScoreSql(dialect: Dialect, measure: RfmMeasure): string {
  const reaches = (j: number) =>
    dialect.name === 'sqlite' ? `(${measure.value} >= rfm_cuts.${measure.prefix}${j})` : `CASE WHEN ${measure.value} >= rfm_cuts.${measure.prefix}${j} THEN 1 ELSE 0 END`;
  return `1 + ${CUTS.map(reaches).join(' + ')}`;
}

/** What `rfmCutPoints` computes: the ranked customers and the measures to rank. */
export interface RfmCutPointsSource {
  measures: readonly RfmMeasure[];
  /** The metrics rows: customer_metrics, or the orders regrouped as of a past day. */
  orderSource: string;
  before: (column: string) => string;
  /** As CustomerFieldsOptions.mainCurrency. */
  mainCurrency: string | undefined;
  /** A condition that, when false, leaves everything uncomputed and the SELECT empty (a kept row is used instead). */
  unless?: RawBuilder<unknown>;
}

/**
 * The cut points computed from the metrics: CTEs (the main currency when monetary
 * is asked, the ranked values) and a one-row SELECT of `main_currency` (with
 * monetary) and `<prefix>1…4` per measure, in the measures' order.
 */
export function rfmCutPoints(source: RfmCutPointsSource): { ctes: RawBuilder<unknown>[]; select: RawBuilder<unknown> } {
  const { measures, orderSource, before } = source;
  const withMonetary = measures.some((measure) => measure.prefix === 'm');
  const unless = source.unless;
  const guard = unless === undefined ? sql`` : sql` AND ${unless}`;
  const ctes: RawBuilder<unknown>[] = [];
  if (withMonetary) {
    const main = source.mainCurrency === undefined ? sql`(${mostOrderedCurrency(orderSource, before)})` : sql`${source.mainCurrency}`;
    ctes.push(sql`rfm_main AS MATERIALIZED (SELECT CAST(${main} AS TEXT) AS currency)`);
  }
  ctes.push(sql`rfm_ranked AS MATERIALIZED (SELECT ${sql.raw(measures.map((measure) => `${measure.ranked} AS value_${measure.prefix}`).join(', '))}
        FROM ${sql.raw(orderSource)} m JOIN customers c ON c.id = m.customer_id
        WHERE c.status = 'active' AND m.orders_count > 0${guard})`);
  const select = sql`SELECT ${sql.raw(withMonetary ? '(SELECT currency FROM rfm_main) AS main_currency, ' : '')}${sql.raw(measures.map((measure) => `${measure.prefix}.*`).join(', '))}
        FROM ${sql.raw(measures.map((measure) => `(${cutPoints(`value_${measure.prefix}`, measure.prefix)}) ${measure.prefix}`).join(' CROSS JOIN '))}
        ${unless === undefined ? sql`` : sql`WHERE ${unless}`}`;
  return { ctes, select };
}

/**
 * Every active customer's scalar fields as of a day, as a query over a derived
 * table `cf` (one row per active customer) that the caller narrows and reads:
 *
 * @example
 * const query = selectCustomerFields(store, { asOf: '2026-12-05', fields: new Set(['total_spent', 'rfm_segment']) });
 * const { count } = await query.where(filter).select((eb) => eb.fn.countAll<number>().as('count')).executeTakeFirstOrThrow();
 *
 * - As of today or later the order and interaction figures come from the stored
 *   metrics (customer_metrics, one primary-key look-up per customer); as of an
 *   earlier day they are regrouped from the orders and interactions up to the
 *   end of that day (order statuses as they are now).
 * - days_since_* are whole calendar days (UTC) to the as-of date.
 * - total_spent and avg_order_value are in major units, NULL when the customer's
 *   counted orders are in more than one currency; avg_order_value rounds to the cent.
 * - RFM covers active customers with at least one counted order: each score is
 *   ceil(5 × cume_dist) over those customers ordered worst to best (earlier last
 *   order day, fewer orders, less spent), so equal values get equal scores.
 *   Monetary ranks the spend in the main currency only (an order without a
 *   currency is in its customer's one currency, or for a customer with several
 *   in the main one; a customer with no spend in it ranks on 0). Customers
 *   without counted orders have NULL RFM fields.
 * - As of today or later the RFM cut points and scores are the kept ones when
 *   they are fresh (rfm_cut_points, rfm_scores; `refreshRfmCutPoints` in
 *   ./rfm-cut-points.ts keeps them, call it first), else computed in the query:
 *   the same scores either way.
 */
export function selectCustomerFields(store: Pick<Store, 'db' | 'dialect'>, options: CustomerFieldsOptions): CustomerFieldsQuery {
  const { db, dialect } = store;
  const endExclusive = nextDay(options.asOf);
  const today = options.today ?? new Date().toISOString().slice(0, 10);
  const stored = options.asOf >= today;
  const wants = (names: readonly string[]) => options.fields === undefined || names.some((name) => options.fields!.has(name));
  const withInteractions = stored || wants(INTERACTION_FIELDS);

  // endExclusive was rebuilt from a parsed date by toISOString, so it is digits and dashes only.
  // As of today or later every order counts, as in the stored metrics.
  const before = (column: string) => (stored ? '1 = 1' : `${column} < '${endExclusive}'`);
  const ctes: RawBuilder<unknown>[] = [];
  // In the past the orders are grouped once, in a CTE that the RFM parts read again.
  const orderSource = stored ? 'customer_metrics' : 'metrics_as_of';
  if (!stored) ctes.push(sql`metrics_as_of AS MATERIALIZED (${sql.raw(orderMetricsSql(before('o.ordered_at')))})`);
  const interactionJoin = stored || !withInteractions ? '' : `LEFT JOIN (${interactionMetricsSql(before('i.occurred_at'))}) im ON im.customer_id = c.id`;
  const interactions = stored ? 'm' : 'im';

  const profile = sql.raw(PROFILE_COLUMNS.map((column) => `c.${column} AS ${column}`).join(', '));
  // Cents / 100.0 is the same double on both dialects (PostgreSQL's exact numeric parses to it), as show's cents / 100.
  // The average rounds half up in integers, as show's Math.round does for the (non-negative) totals.
  const money = (minorSql: string) => `${minorSql} / 100.0`;
  const metrics = sql.raw(`COALESCE(m.orders_count, 0) AS orders_count,
      ${money('CASE WHEN m.customer_id IS NULL THEN 0 ELSE m.total_spent_minor END')} AS total_spent,
      CASE WHEN m.orders_count > 0 THEN ${money('((2 * m.total_spent_minor + m.orders_count) / (2 * m.orders_count))')} END AS avg_order_value,
      m.currency AS currency,
      m.first_order_at AS first_order_at,
      m.last_order_at AS last_order_at,
      ${withInteractions ? `COALESCE(${interactions}.interactions_count, 0)` : 'NULL'} AS interactions_count,
      ${withInteractions ? `${interactions}.last_interaction_at` : 'NULL'} AS last_interaction_at`);

  const measures = rfmMeasures(before).filter((measure) => wants(measure.neededBy));
  const has = (prefix: RfmMeasure['prefix']) => measures.some((measure) => measure.prefix === prefix);
  let rfmJoin = sql``;
  let scoresJoin = sql``;
  if (measures.length > 0) {
    if (stored) {
      // The kept cut points when they are fresh; else (a write since, or a reader that could not keep them) computed here.
      const fresh = sql`rfm_cut_points.computed_version = rfm_cut_points.metrics_version
        AND rfm_cut_points.given_currency ${sql.raw(dialect.name === 'sqlite' ? 'IS' : 'IS NOT DISTINCT FROM')} ${options.mainCurrency ?? null}`;
      const unlessKept = sql`NOT EXISTS (SELECT 1 FROM rfm_cut_points WHERE ${fresh})`;
      const cuts = rfmCutPoints({ measures, orderSource, before, mainCurrency: options.mainCurrency, unless: unlessKept });
      const kept = sql.raw([...(has('m') ? ['main_currency'] : []), ...measures.flatMap((measure) => CUTS.map((j) => `${measure.prefix}${j}`))].join(', '));
      ctes.push(...cuts.ctes, sql`rfm_cuts AS MATERIALIZED (SELECT 1 AS kept, ${kept} FROM rfm_cut_points WHERE ${fresh}
        UNION ALL SELECT 0 AS kept, computed.* FROM (${cuts.select}) computed)`);
      // With the kept cut points come the scores kept with them (schema/sqlite/0008-rfm-scores.sql): read, not scored.
      scoresJoin = sql`LEFT JOIN rfm_scores s ON s.customer_id = c.id AND rfm_cuts.kept = 1`;
    } else {
      const cuts = rfmCutPoints({ measures, orderSource, before, mainCurrency: options.mainCurrency });
      ctes.push(...cuts.ctes, sql`rfm_cuts AS MATERIALIZED (${cuts.select})`);
    }
    rfmJoin = sql`CROSS JOIN rfm_cuts`;
  }
  const rfmColumns = sql.raw(
    rfmMeasures(before)
      .map((measure) => {
        if (!has(measure.prefix)) return `NULL AS ${measure.field}`;
        // COALESCE scores only when no kept score was joined (it evaluates its arguments lazily on both dialects).
        const scored = stored ? `COALESCE(s.${measure.prefix}, ${rfmScoreSql(dialect, measure)})` : rfmScoreSql(dialect, measure);
        return `CASE WHEN m.orders_count > 0 THEN ${scored} END AS ${measure.field}`;
      })
      .join(',\n      '),
  );

  const withPredictions = wants(PREDICTION_COLUMNS);
  const predictionColumns = sql.raw(PREDICTION_COLUMNS.map((column) => `${withPredictions ? `p.${column}` : 'NULL'} AS ${column}`).join(', '));
  const predictionJoin = sql.raw(withPredictions ? 'LEFT JOIN customer_predictions p ON p.customer_id = c.id' : '');

  const fields = sql`SELECT c.id AS id, ${profile},
      NULLIF(TRIM(COALESCE(c.first_name, '') || ' ' || COALESCE(c.last_name, '')), '') AS full_name,
      ${metrics},
      ${daysTo(dialect, options.asOf, 'm.last_order_at')} AS days_since_last_order,
      ${daysTo(dialect, options.asOf, 'c.signup_date')} AS days_since_signup,
      ${rfmColumns},
      ${predictionColumns}
    FROM customers c
    LEFT JOIN ${sql.raw(orderSource)} m ON m.customer_id = c.id
    ${sql.raw(interactionJoin)}
    ${predictionJoin}
    ${rfmJoin}
    ${scoresJoin}
    WHERE c.status = 'active'`;
  const rfmScore = has('r') && has('f') && has('m')
    ? sql`CAST(scored.rfm_recency AS TEXT) || CAST(scored.rfm_frequency AS TEXT) || CAST(scored.rfm_monetary AS TEXT)`
    : sql`NULL`;
  const rfmSegment = has('r') && has('f') ? segmentCase(options.rfmTable ?? DEFAULT_RFM_TABLE) : sql`NULL`;
  const rfmText = sql`${rfmScore} AS rfm_score, ${rfmSegment} AS rfm_segment`;
  const body = sql`${ctes.length === 0 ? sql`` : sql`WITH ${sql.join(ctes)} `}SELECT scored.*, ${rfmText} FROM (${fields}) scored`;
  return db.selectFrom(sql<CustomerFieldsRow>`(${body})`.as('cf')) as unknown as CustomerFieldsQuery;
}

/** One RFM measure: its field, its cut points' prefix, its value over metrics row `m` (ranked, and scored against rfm_cuts), and the fields that need it. */
export interface RfmMeasure {
  field: 'rfm_recency' | 'rfm_frequency' | 'rfm_monetary';
  prefix: 'r' | 'f' | 'm';
  ranked: string;
  value: string;
  neededBy: readonly string[];
}

/** Recency ranks the day of the last order, frequency the orders, monetary the spend in the main currency (worst first: smallest). */
export function rfmMeasures(before: (column: string) => string): RfmMeasure[] {
  const lastDay = 'substr(m.last_order_at, 1, 10)';
  // A timestamp reaches a cut day exactly when its day does (text compared byte by byte, the day first): no substr per customer.
  return [
    { field: 'rfm_recency', prefix: 'r', ranked: lastDay, value: 'm.last_order_at', neededBy: ['rfm_recency', 'rfm_score', 'rfm_segment'] },
    { field: 'rfm_frequency', prefix: 'f', ranked: 'm.orders_count', value: 'm.orders_count', neededBy: ['rfm_frequency', 'rfm_score', 'rfm_segment'] },
    {
      field: 'rfm_monetary',
      prefix: 'm',
      ranked: mainCurrencySpend('(SELECT currency FROM rfm_main)', before),
      value: `(${mainCurrencySpend('rfm_cuts.main_currency', before)})`,
      neededBy: ['rfm_monetary', 'rfm_score'],
    },
  ];
}

/**
 * SQL of the spend in minor units of customer `m` (a metrics row) in currency `currencySql`:
 * orders without a currency count as it; a customer whose orders are all in others spent 0.
 * Mixed customers (rare) have no stored total, so theirs is summed from their orders.
 */
function mainCurrencySpend(currencySql: string, before: (column: string) => string): string {
  return `CASE
      WHEN m.mixed_currencies = 1 THEN COALESCE((SELECT SUM(o.total_minor) FROM orders o
        WHERE o.customer_id = m.customer_id AND o.status NOT IN (${EXCLUDED_LIST}) AND ${before('o.ordered_at')}
          AND (o.currency IS NULL OR o.currency = ${currencySql})), 0)
      WHEN m.currency IS NULL OR m.currency = ${currencySql} THEN m.total_spent_minor
      ELSE 0 END`;
}

/**
 * The main currency when the settings name none, as RFM's monetary score
 * chooses it from the stored metrics (now, whatever the as-of day); undefined
 * when no counted order has a currency.
 */
export async function readMostOrderedCurrency(store: Pick<Store, 'db'>): Promise<string | undefined> {
  const { rows } = await sql<{ currency: string }>`${mostOrderedCurrency('customer_metrics', () => '1 = 1')}`.execute(store.db);
  return rows[0]?.currency;
}

/**
 * The currency with the most counted orders (an order without a currency counted in
 * its customer's one currency; mixed customers' orders counted one by one). CROSS JOIN
 * keeps SQLite from reading every order to find the few mixed customers' ones.
 */
function mostOrderedCurrency(orderSource: string, before: (column: string) => string): RawBuilder<string> {
  return sql<string>`SELECT currency FROM (
      SELECT m.currency AS currency, m.orders_count AS n FROM ${sql.raw(orderSource)} m WHERE m.mixed_currencies = 0 AND m.currency IS NOT NULL
      UNION ALL
      SELECT o.currency AS currency, 1 AS n FROM ${sql.raw(orderSource)} m CROSS JOIN orders o
        WHERE o.customer_id = m.customer_id AND m.mixed_currencies = 1 AND o.currency IS NOT NULL
          AND o.status NOT IN (${sql.raw(EXCLUDED_LIST)}) AND ${sql.raw(before('o.ordered_at'))}
    ) votes GROUP BY currency ORDER BY SUM(n) DESC, currency LIMIT 1`;
}
