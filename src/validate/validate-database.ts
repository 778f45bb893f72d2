import { moveDay } from '../filter/calendar.js';
import {
  COMPLETENESS_FIELDS,
  countCustomerChecks,
  CUSTOMER_CHECKS,
  exampleCustomers,
  exampleCustomersOfEach,
  findOrderTotalMismatches,
  findOrphanInteractions,
  findPendingSuspects,
  type CompletenessField,
  type CustomerCheck,
  type CustomerCheckLimits,
} from '../db/validation-queries.js';
import type { Store } from '../db/store.js';
import { UsageError } from '../errors.js';
import { COUNTRIES } from '../normalize/normalize-country.js';
import { CALENDAR_UNITS, parseDuration, type Duration } from '../normalize/parse-duration.js';
import { getSetting } from '../setup/settings.js';
import { checkPostalCodes } from './check-postal-codes.js';

export type Severity = 'error' | 'warning' | 'info';

export type FindingCode = CustomerCheck | 'invalid-postal-code' | 'duplicates-pending' | 'order-total-mismatch' | 'orphan-interactions';

/** One kind of problem and how much of it there is. */
export interface Finding {
  /** Stable key, for scripts: `invalid-email`, `stale`, … */
  code: FindingCode;
  severity: Severity;
  /** What is counted, in words. */
  title: string;
  count: number;
  /** Up to five of the ids counted, smallest first; customers, orders or interactions as `exampleKind` says. */
  examples: number[];
  exampleKind: 'customer' | 'order' | 'interaction';
  /** A custdb command that inspects or fixes it; null when nothing was found. */
  command: string | null;
}

export interface FieldCompleteness {
  field: CompletenessField;
  filled: number;
  /** filled / customers × 100, one decimal; 0 without customers. */
  percent: number;
}

export interface ValidationResult {
  asOf: string;
  /** The `--stale-after` span (`3y`) and the day it reaches back to. */
  staleAfter: string;
  staleBefore: string;
  /** The `retention` setting and the day it reaches back to; null when unset. */
  retention: string | null;
  retentionBefore: string | null;
  /** Active customers examined (merged and erased ones are left out). */
  customers: number;
  completeness: FieldCompleteness[];
  /** Every check, in a fixed order, including those that found nothing (count 0); retention-due only when a retention is set. */
  findings: Finding[];
}

export interface ValidateOptions {
  /** The day dates and staleness are judged on, 'YYYY-MM-DD'. */
  asOf: string;
  staleAfter: Duration;
}

const EXAMPLES = 5;

/**
 * A check that counted at most this many customers finds its examples in one
 * shared read of the table (a query of its own would read all of it to find
 * so few); a commoner one finds its first five within a few rows.
 */
const RARE = 1000;

/** How long without an order or interaction makes a customer stale, unless `--stale-after` says otherwise. */
export const DEFAULT_STALE_AFTER: Duration = { amount: 3, unit: 'year', text: '3y' };

interface Rule {
  severity: Severity;
  title: string;
}

/** Every finding, in the order they are listed: what blocks contact first, then the records, then orders, then activity. */
const RULES: Record<FindingCode, Rule> = {
  'invalid-email': { severity: 'error', title: 'emails that are not valid addresses' },
  'invalid-phone': { severity: 'warning', title: 'phone numbers that could not be read' },
  'invalid-postal-code': { severity: 'warning', title: 'postal codes not valid for their country' },
  'future-date': { severity: 'error', title: 'birth or signup dates in the future' },
  'date-before-1900': { severity: 'error', title: 'birth or signup dates before 1900' },
  'unknown-country': { severity: 'warning', title: 'countries that are not ISO codes' },
  'no-contact': { severity: 'warning', title: 'customers with no email, phone or address' },
  'missing-consent': { severity: 'warning', title: 'emails without a consent answer' },
  'duplicates-pending': { severity: 'warning', title: 'possible duplicates not yet reviewed (pairs)' },
  'mixed-currencies': { severity: 'warning', title: 'customers whose orders are in several currencies' },
  'order-total-mismatch': { severity: 'error', title: 'orders whose total disagrees with their items' },
  // Not an error: an erasure keeps a person's interactions, emptied, on the erased record.
  'orphan-interactions': { severity: 'warning', title: 'interactions of merged or erased customers' },
  stale: { severity: 'info', title: 'customers with no order or interaction lately' },
  'retention-due': { severity: 'warning', title: 'customers inactive longer than the retention' },
};

/**
 * Checks the quality of every active customer's data, and their orders and
 * interactions, in SQL through the store (postal codes: three columns
 * streamed a page at a time). Returns every finding with its count; never
 * throws for bad data, only when the database cannot be read.
 *
 * @example const result = await validateDatabase(store, { asOf: '2026-12-05', staleAfter: parseDuration('3y', CALENDAR_UNITS)! });
 */
export async function validateDatabase(store: Store, options: ValidateOptions): Promise<ValidationResult> {
  const staleBefore = moveDay(options.asOf, -options.staleAfter.amount, options.staleAfter.unit);
  const retention = await readRetention(store);
  const retentionBefore = retention === undefined ? null : moveDay(options.asOf, -retention.amount, retention.unit);
  const limits: CustomerCheckLimits = { asOf: options.asOf, staleBefore, retentionBefore, knownCountries: COUNTRIES.map((c) => c.alpha2) };

  return store.readTransaction(async (db) => {
    const counts = await countCustomerChecks(db, limits);
    const found = new Map<FindingCode, Omit<Finding, 'code' | 'severity' | 'title'>>();
    const checks = CUSTOMER_CHECKS.filter((check) => check !== 'retention-due' || retentionBefore !== null);
    const rare = await exampleCustomersOfEach(db, checks.filter((check) => counts.problems[check] > 0 && counts.problems[check] <= RARE), limits, EXAMPLES);
    for (const check of checks) {
      const count = counts.problems[check];
      const examples = rare.get(check) ?? (count === 0 ? [] : await exampleCustomers(db, check, limits, EXAMPLES));
      found.set(check, { count, examples, exampleKind: 'customer', command: customerCommand(check, examples, limits, options.asOf, retention) });
    }

    const postal = await checkPostalCodes(db, EXAMPLES);
    found.set('invalid-postal-code', { ...postal, exampleKind: 'customer', command: showFirst(postal.examples) });

    const suspects = await findPendingSuspects(db, EXAMPLES);
    found.set('duplicates-pending', { ...suspects, exampleKind: 'customer', command: 'custdb dedupe --review' });

    const totals = await findOrderTotalMismatches(db, EXAMPLES);
    found.set('order-total-mismatch', {
      count: totals.count,
      examples: totals.examples.map((e) => e.id),
      exampleKind: 'order',
      command: showFirst(totals.examples.map((e) => e.customerId)),
    });

    const orphans = await findOrphanInteractions(db, EXAMPLES);
    found.set('orphan-interactions', {
      count: orphans.count,
      examples: orphans.examples.map((e) => e.id),
      exampleKind: 'interaction',
      command: showFirst(orphans.examples.map((e) => e.customerId)),
    });

    const findings = (Object.keys(RULES) as FindingCode[]).flatMap((code) => {
      const finding = found.get(code);
      return finding === undefined ? [] : [{ code, ...RULES[code], ...finding, command: finding.count === 0 ? null : finding.command }];
    });
    const completeness = COMPLETENESS_FIELDS.map((field) => ({ field, filled: counts.filled[field], percent: percentOf(counts.filled[field], counts.customers) }));
    return {
      asOf: options.asOf,
      staleAfter: options.staleAfter.text,
      staleBefore,
      retention: retention?.text ?? null,
      retentionBefore,
      customers: counts.customers,
      completeness,
      findings,
    };
  });
}

/** The `retention` setting, undefined when unset; a stored value that is no span (written by another tool) is an error, not silence. */
async function readRetention(store: Store): Promise<Duration | undefined> {
  const stored = await getSetting(store, 'retention');
  if (stored === undefined) return undefined;
  const retention = parseDuration(stored, CALENDAR_UNITS);
  if (retention === undefined) throw new UsageError(`The retention setting "${stored}" is not a length of time.`, { hint: 'Set it again: custdb config set retention 3y.' });
  return retention;
}

const RANK: Record<Severity, number> = { info: 0, warning: 1, error: 2 };

/** How many findings (kinds of problem, not rows) at `level` or worse found something: `validate` exits 1 when there are any. */
export function countFindingsAtLeast(result: ValidationResult, level: 'warning' | 'error'): number {
  return result.findings.filter((f) => f.count > 0 && RANK[f.severity] >= RANK[level]).length;
}

/** `custdb show ID` for the first example (`show` follows a merged customer to its survivor). */
function showFirst(customerIds: readonly number[]): string | null {
  return customerIds.length === 0 ? null : `custdb show ${customerIds[0]}`;
}

/**
 * The command for a customer check: a query selecting exactly the customers
 * counted where the filter language can say it, else `show` of the first.
 */
function customerCommand(check: CustomerCheck, examples: readonly number[], limits: CustomerCheckLimits, asOf: string, retention: Duration | undefined): string | null {
  const query = (where: string) => `custdb query --where '${where}'`;
  switch (check) {
    case 'future-date':
      return query(`birth_date > ${limits.asOf} or signup_date > ${limits.asOf}`);
    case 'date-before-1900':
      return query('birth_date < 1900-01-01 or signup_date < 1900-01-01');
    case 'no-contact':
      return query('email is empty and phone is empty and address_line1 is empty');
    case 'missing-consent':
      return query('email is not empty and email_consent is empty');
    case 'stale':
      // Without --as-of: the query then reads the stored metrics (every order up to now), as this check does.
      return query(inactiveSince(limits.staleBefore));
    case 'retention-due':
      return `custdb purge --inactive-for ${retention?.text ?? ''} --dry-run${asOf === new Date().toISOString().slice(0, 10) ? '' : ` --as-of ${asOf}`}`;
    case 'invalid-email':
    case 'invalid-phone':
    case 'unknown-country':
    case 'mixed-currencies':
      return showFirst(examples);
  }
}

/** The filter for "last activity before `day`", as LAST_ACTIVITY in src/db/validation-queries.ts defines it. */
function inactiveSince(day: string): string {
  return `not (last_order_at >= ${day} or last_interaction_at >= ${day}) and (orders_count > 0 or interactions_count > 0 or signup_date < ${day} or (signup_date is empty and created_at < ${day}))`;
}

function percentOf(part: number, whole: number): number {
  return whole === 0 ? 0 : Math.round((part / whole) * 1000) / 10;
}
