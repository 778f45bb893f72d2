import { sql, type RawBuilder, type SqlBool } from 'kysely';
import { readMainCurrency } from '../analytics/rfm-settings.js';
import { EXCLUDED_ORDER_STATUSES } from '../db/customer-metrics.js';
import type { CustomerFieldsQuery } from '../db/customer-fields-query.js';
import type { Store } from '../db/store.js';
import { addDays } from '../filter/calendar.js';
import { selectCustomers, type CustomerSelection } from '../query/query-customers.js';

/** What every report is asked: which customers (`--where` / `--segment`, both must hold) as of which day. */
export type ReportOptions = CustomerSelection;

/** The customers a report covers and the money it counts, as the builders' SQL needs them. */
export interface ReportScope {
  asOf: string;
  /** The selection as the user gave it, for the document's `scope`; undefined for every active customer. */
  label: string | undefined;
  /** The main currency (settings `currency`, else the most ordered one); undefined when no order has a currency. */
  currency: string | undefined;
  /** The selected customers as a `cf` query computing `fields` (see selectCustomers). */
  customers(fields: readonly string[]): Promise<CustomerFieldsQuery>;
  /** A condition over orders `o`: counted (not refunded, cancelled, …) and placed by the end of the as-of day. */
  isCounted: RawBuilder<SqlBool>;
  /** isCounted, and placed by a selected customer. */
  countedOrders(): Promise<RawBuilder<SqlBool>>;
  /** True for a customer `cf` whose total_spent is in the main currency (not mixed, not another one). */
  spendInCurrency: RawBuilder<SqlBool>;
  /** True for an order `o` whose money is in the main currency (one without a currency: see below). */
  inCurrency: RawBuilder<SqlBool>;
}

/**
 * Reads the settings a report needs and checks the selection's filter and
 * segment before any report query runs: a filter that does not check throws
 * FilterError, an unknown segment NotFoundError.
 */
export async function openReportScope(store: Store, options: ReportOptions): Promise<ReportScope> {
  const where = options.where?.trim() === '' ? undefined : options.where?.trim();
  const selection: CustomerSelection = { asOf: options.asOf, where, segment: options.segment };
  const scoped = where !== undefined || options.segment !== undefined;
  // Compiling the selection once up front makes a bad filter fail before any slow query.
  if (scoped) await selectCustomers(store, selection, []);
  const currency = await readMainCurrency(store);
  const customers = (fields: readonly string[]) => selectCustomers(store, selection, fields);
  const excluded = sql.join([...EXCLUDED_ORDER_STATUSES]);
  const endExclusive = addDays(options.asOf, 1);
  const counted = (alias: string) => sql<SqlBool>`${sql.ref(`${alias}.status`)} NOT IN (${excluded}) AND ${sql.ref(`${alias}.ordered_at`)} < ${endExclusive}`;
  const isCounted = counted('o');
  return {
    asOf: options.asOf,
    label: [options.segment === undefined ? undefined : `segment ${options.segment}`, where].filter((part) => part !== undefined).join(' and ') || undefined,
    currency,
    customers,
    isCounted,
    async countedOrders() {
      if (scoped) return sql<SqlBool>`${isCounted} AND o.customer_id IN ${(await customers([])).select(sql.ref('cf.id').as('id'))}`;
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
