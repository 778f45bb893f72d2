import { sql, type Kysely, type RawBuilder } from 'kysely';
import { pagesById } from './pages-by-id.js';
import { inactiveSince } from './erase-customers.js';
import type { Database } from './tables.js';

/**
 * The SQL of `custdb validate` (src/validate/): counts and example ids of
 * each data-quality problem, over active customers only. Dialect-neutral;
 * it lives here because it reads the stored metrics (customer_metrics),
 * which only src/db knows.
 */

/** Profile fields whose completeness validate reports. */
export const COMPLETENESS_FIELDS = [
  'first_name', 'last_name', 'email', 'phone', 'address_line1', 'city', 'postal_code', 'country', 'birth_date', 'signup_date',
] as const;
export type CompletenessField = (typeof COMPLETENESS_FIELDS)[number];

/** Problems one customer row (with its stored metrics) either has or not. */
export type CustomerCheck =
  | 'invalid-email'
  | 'invalid-phone'
  | 'future-date'
  | 'date-before-1900'
  | 'unknown-country'
  | 'no-contact'
  | 'missing-consent'
  | 'mixed-currencies'
  | 'stale'
  | 'retention-due';

export interface CustomerCheckLimits {
  /** Dates after this day ('YYYY-MM-DD') are in the future. */
  asOf: string;
  /** Customers whose last activity is before this day are stale. */
  staleBefore: string;
  /** Customers whose last activity is before this day are due for the retention purge; null when no retention is set. */
  retentionBefore: string | null;
  /** Country codes that exist; any other stored code is unknown. */
  knownCountries: readonly string[];
}

/**
 * A customer's last sign of life: the later of their last counted order and
 * last interaction; with neither, their signup date, else the day custdb
 * first stored them. Compared as text with a day, a timestamp on that day
 * counts as that day or later.
 */
const LAST_ACTIVITY = sql`CASE
    WHEN m.last_order_at IS NOT NULL AND (m.last_interaction_at IS NULL OR m.last_order_at >= m.last_interaction_at) THEN m.last_order_at
    WHEN m.last_interaction_at IS NOT NULL THEN m.last_interaction_at
    WHEN c.signup_date IS NOT NULL THEN c.signup_date
    ELSE c.created_at END`;

/** The condition each check puts on customer `c` and their stored metrics `m` (LEFT JOINed: NULL for a customer without orders or interactions). */
function checkCondition(check: CustomerCheck, limits: CustomerCheckLimits): RawBuilder<unknown> {
  switch (check) {
    case 'invalid-email':
      return sql`c.email IS NOT NULL AND c.email_norm IS NULL`;
    case 'invalid-phone':
      return sql`c.phone IS NOT NULL AND c.phone_e164 IS NULL`;
    case 'future-date':
      return sql`(c.birth_date > ${limits.asOf} OR c.signup_date > ${limits.asOf})`;
    case 'date-before-1900':
      return sql`(c.birth_date < '1900-01-01' OR c.signup_date < '1900-01-01')`;
    case 'unknown-country':
      // An import keeps a country it cannot read as attribute country_original and leaves the field empty.
      return sql`(c.country NOT IN (${sql.join(limits.knownCountries)})
        OR (c.country IS NULL AND EXISTS (SELECT 1 FROM customer_attributes a WHERE a.customer_id = c.id AND a.name = 'country_original')))`;
    case 'no-contact':
      return sql`c.email IS NULL AND c.phone IS NULL AND c.address_line1 IS NULL`;
    case 'missing-consent':
      return sql`c.email IS NOT NULL AND c.email_consent IS NULL`;
    case 'mixed-currencies':
      return sql`m.mixed_currencies = 1`;
    case 'stale':
      return sql`${LAST_ACTIVITY} < ${limits.staleBefore}`;
    case 'retention-due':
      return limits.retentionBefore === null ? sql`1 = 0` : inactiveSince(limits.retentionBefore);
  }
}

export const CUSTOMER_CHECKS: readonly CustomerCheck[] = [
  'invalid-email', 'invalid-phone', 'future-date', 'date-before-1900', 'unknown-country', 'no-contact', 'missing-consent', 'mixed-currencies', 'stale', 'retention-due',
];

const FROM_ACTIVE_CUSTOMERS = sql`FROM customers c LEFT JOIN customer_metrics m ON m.customer_id = c.id WHERE c.status = 'active'`;

export interface CustomerCheckCounts {
  /** Active customers. */
  customers: number;
  /** Active customers with each field filled. */
  filled: Record<CompletenessField, number>;
  problems: Record<CustomerCheck, number>;
}

/** Every customer check and every field's fill count in one pass over the active customers. */
export async function countCustomerChecks(db: Kysely<Database>, limits: CustomerCheckLimits): Promise<CustomerCheckCounts> {
  const columns = [
    sql`COUNT(*) AS customers`,
    ...COMPLETENESS_FIELDS.map((field, k) => sql`COUNT(${sql.ref(`c.${field}`)}) AS ${sql.ref(`f${k}`)}`),
    ...CUSTOMER_CHECKS.map((check, k) => sql`SUM(CASE WHEN ${checkCondition(check, limits)} THEN 1 ELSE 0 END) AS ${sql.ref(`p${k}`)}`),
  ];
  const { rows } = await sql<Record<string, number | null>>`SELECT ${sql.join(columns)} ${FROM_ACTIVE_CUSTOMERS}`.execute(db);
  const row = rows[0] ?? {};
  const number = (key: string) => Number(row[key] ?? 0);
  return {
    customers: number('customers'),
    filled: Object.fromEntries(COMPLETENESS_FIELDS.map((field, k) => [field, number(`f${k}`)])) as Record<CompletenessField, number>,
    problems: Object.fromEntries(CUSTOMER_CHECKS.map((check, k) => [check, number(`p${k}`)])) as Record<CustomerCheck, number>,
  };
}

/**
 * The smallest ids of active customers that have the problem (at most `limit`).
 * Quick for a common problem (the first few rows have it); a rare one is read
 * to the end of the table, so those go to exampleCustomersOfEach together.
 */
export async function exampleCustomers(db: Kysely<Database>, check: CustomerCheck, limits: CustomerCheckLimits, limit: number): Promise<number[]> {
  const { rows } = await sql<{ id: number }>`SELECT c.id ${FROM_ACTIVE_CUSTOMERS} AND ${checkCondition(check, limits)} ORDER BY c.id LIMIT ${limit}`.execute(db);
  return rows.map((row) => row.id);
}

/**
 * The smallest ids (at most `limit` each) of the active customers that have
 * each of `checks`, in one read of the table. Meant for checks that counted
 * few customers: every customer having any of them comes back.
 */
export async function exampleCustomersOfEach(db: Kysely<Database>, checks: readonly CustomerCheck[], limits: CustomerCheckLimits, limit: number): Promise<Map<CustomerCheck, number[]>> {
  const examples = new Map(checks.map((check) => [check, [] as number[]]));
  if (checks.length === 0) return examples;
  const flags = checks.map((check, k) => sql`CASE WHEN ${checkCondition(check, limits)} THEN 1 ELSE 0 END AS ${sql.ref(`p${k}`)}`);
  const any = sql.join(checks.map((check) => sql`(${checkCondition(check, limits)})`), sql` OR `);
  const { rows } = await sql<Record<string, number>>`SELECT c.id, ${sql.join(flags)} ${FROM_ACTIVE_CUSTOMERS} AND (${any}) ORDER BY c.id`.execute(db);
  for (const row of rows) {
    checks.forEach((check, k) => {
      const ids = examples.get(check)!;
      if (Number(row[`p${k}`]) === 1 && ids.length < limit) ids.push(Number(row.id));
    });
  }
  return examples;
}

/** A count, and the smallest ids it counted with the customer each belongs to. */
interface CountedIds {
  count: number;
  examples: { id: number; customerId: number }[];
}

async function countAndExamples(db: Kysely<Database>, fromWhere: RawBuilder<unknown>, id: string, customerId: string, limit: number): Promise<CountedIds> {
  const { rows: counted } = await sql<{ n: number }>`SELECT COUNT(*) AS n ${fromWhere}`.execute(db);
  const count = Number(counted[0]?.n ?? 0);
  if (count === 0) return { count, examples: [] };
  const { rows } = await sql<{ id: number; customer_id: number }>`SELECT ${sql.ref(id)} AS id, ${sql.ref(customerId)} AS customer_id ${fromWhere} ORDER BY ${sql.ref(id)} LIMIT ${limit}`.execute(db);
  return { count, examples: rows.map((row) => ({ id: row.id, customerId: row.customer_id })) };
}

/**
 * Orders of active customers whose total disagrees with their items beyond
 * rounding (one minor unit per line). Only orders whose every line has a
 * total are judged. The total may include tax or have it in the prices
 * already, so an order is out only when it matches neither
 * items + shipping + tax − discount nor items + shipping − discount.
 */
export function findOrderTotalMismatches(db: Kysely<Database>, limit: number): Promise<CountedIds> {
  const fromWhere = sql`FROM orders o
    JOIN customers c ON c.id = o.customer_id AND c.status = 'active'
    JOIN (SELECT order_id, COUNT(*) AS lines, COUNT(total_minor) AS priced, SUM(total_minor) AS items_minor FROM order_items GROUP BY order_id) i ON i.order_id = o.id
    WHERE i.lines = i.priced
      AND ABS(o.total_minor - (i.items_minor + COALESCE(o.shipping_minor, 0) - COALESCE(o.discount_minor, 0) + COALESCE(o.tax_minor, 0))) > i.lines
      AND ABS(o.total_minor - (i.items_minor + COALESCE(o.shipping_minor, 0) - COALESCE(o.discount_minor, 0))) > i.lines`;
  return countAndExamples(db, fromWhere, 'o.id', 'o.customer_id', limit);
}

/** Interactions whose customer is merged or erased: a merge moves interactions to the survivor, so these point at nobody a user can see. */
export function findOrphanInteractions(db: Kysely<Database>, limit: number): Promise<CountedIds> {
  const fromWhere = sql`FROM customers c JOIN interactions i ON i.customer_id = c.id WHERE c.status <> 'active'`;
  return countAndExamples(db, fromWhere, 'i.id', 'i.customer_id', limit);
}

/**
 * Pairs flagged as possible duplicates at import, both customers still active,
 * that nobody has marked "not the same person" yet (what `dedupe --review`
 * offers first): how many pairs, and the smallest customer ids among them.
 */
export async function findPendingSuspects(db: Kysely<Database>, limit: number): Promise<{ count: number; examples: number[] }> {
  const pending = sql`FROM duplicate_suspects s
    JOIN customers a ON a.id = s.customer_id AND a.status = 'active'
    JOIN customers b ON b.id = s.other_id AND b.status = 'active'
    WHERE s.customer_id <> s.other_id AND NOT EXISTS (SELECT 1 FROM dedupe_decisions d
      WHERE (d.left_id = s.customer_id AND d.right_id = s.other_id) OR (d.left_id = s.other_id AND d.right_id = s.customer_id))`;
  // A pair may have been flagged from either side; it is one pair.
  const { rows: counted } = await sql<{ n: number }>`SELECT COUNT(*) AS n FROM (SELECT DISTINCT
      CASE WHEN s.customer_id < s.other_id THEN s.customer_id ELSE s.other_id END AS lo,
      CASE WHEN s.customer_id < s.other_id THEN s.other_id ELSE s.customer_id END AS hi ${pending}) p`.execute(db);
  const count = Number(counted[0]?.n ?? 0);
  if (count === 0) return { count, examples: [] };
  const { rows } = await sql<{ id: number }>`SELECT DISTINCT s.customer_id AS id ${pending} ORDER BY s.customer_id LIMIT ${limit}`.execute(db);
  return { count, examples: rows.map((row) => row.id) };
}

/** Postal codes that are valid whenever they are `length` digits, in each of `countries`. */
export interface DigitPostalCodes {
  length: number;
  countries: readonly string[];
}

/** '' for an all-digit code: LTRIM with a set of characters is spelt alike in both dialects (and ten times cheaper than nested REPLACEs). */
const WITHOUT_DIGITS = sql`LTRIM(c.postal_code, '0123456789')`;

/**
 * Active customers' postal codes with their country, for countries in
 * `countries`, a page at a time in id order (only these three columns ever
 * leave the database). Codes that `digitCodes` says are surely valid (the
 * common case: a US ZIP, a German PLZ) are left in the database.
 */
export function iteratePostalCodes(db: Kysely<Database>, countries: readonly string[], digitCodes: readonly DigitPostalCodes[]): AsyncGenerator<{ id: number; country: string; postal_code: string }[]> {
  const surelyValid = digitCodes.map((d) => sql`(c.country IN (${sql.join(d.countries)}) AND LENGTH(c.postal_code) = ${d.length})`);
  const unsure = surelyValid.length === 0 ? sql`1 = 1` : sql`NOT (${WITHOUT_DIGITS} = '' AND (${sql.join(surelyValid, sql` OR `)}))`;
  return pagesById(async (afterId, limit) => {
    const { rows } = await sql<{ id: number; country: string; postal_code: string }>`SELECT c.id, c.country, c.postal_code FROM customers c
      WHERE c.status = 'active' AND c.id > ${afterId} AND c.postal_code IS NOT NULL AND c.country IN (${sql.join(countries)}) AND ${unsure}
      ORDER BY c.id LIMIT ${limit}`.execute(db);
    return rows;
  }, (row) => row.id);
}
