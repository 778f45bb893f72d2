import { readMainCurrency } from '../analytics/rfm-settings.js';
import type { ReportScope } from '../db/report-queries.js';
import type { Store } from '../db/store.js';
import { selectCustomers, type CustomerSelection } from '../query/query-customers.js';

/** What every report is asked: which customers (`--where` / `--segment`, both must hold) as of which day. */
export type ReportOptions = CustomerSelection;

/** The scope a report's queries (src/db/report-queries.ts) run in, and how the document names it. */
export interface LabelledReportScope extends ReportScope {
  /** The selection as the user gave it, for the document's `scope`; undefined for every active customer. */
  label: string | undefined;
}

/**
 * Reads the settings a report needs and checks the selection's filter and
 * segment before any report query runs: a filter that does not check throws
 * FilterError, an unknown segment NotFoundError.
 */
export async function openReportScope(store: Store, options: ReportOptions): Promise<LabelledReportScope> {
  const where = options.where?.trim() === '' ? undefined : options.where?.trim();
  const selection: CustomerSelection = { asOf: options.asOf, where, segment: options.segment };
  const scoped = where !== undefined || options.segment !== undefined;
  // Compiling the selection once up front makes a bad filter fail before any slow query.
  if (scoped) await selectCustomers(store, selection, []);
  return {
    asOf: options.asOf,
    label: [options.segment === undefined ? undefined : `segment ${options.segment}`, where].filter((part) => part !== undefined).join(' and ') || undefined,
    currency: await readMainCurrency(store),
    scoped,
    customers: (fields) => selectCustomers(store, selection, fields),
  };
}
