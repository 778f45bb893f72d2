import type { Store } from '../db/store.js';
import type { Duration } from '../normalize/parse-duration.js';
import type { ReportDocument } from '../reports/report-document.js';
import { countFindingsAtLeast, DEFAULT_STALE_AFTER, validateDatabase } from './validate-database.js';

export interface QualityReportOptions {
  /** The day dates and staleness are judged on, 'YYYY-MM-DD'. */
  asOf: string;
  /** Default: 3 years, as `custdb validate`. */
  staleAfter?: Duration;
}

/**
 * `custdb report quality`: the findings of `custdb validate` as a report —
 * headline counts, a table of the findings that found something (a bar on
 * their count) and one of how complete the main fields are (a bar on the
 * percentage, 0–100). Reads only; never throws for bad data.
 *
 * @example const document = await buildQualityReport(store, { asOf: '2026-12-05' });
 */
export async function buildQualityReport(store: Store, options: QualityReportOptions): Promise<ReportDocument> {
  const result = await validateDatabase(store, { asOf: options.asOf, staleAfter: options.staleAfter ?? DEFAULT_STALE_AFTER });
  const found = result.findings.filter((f) => f.count > 0);
  const errors = countFindingsAtLeast(result, 'error');
  return {
    title: 'Data quality',
    asOf: result.asOf,
    sections: [
      {
        kind: 'figures',
        title: 'Overview',
        figures: [
          { label: 'Active customers checked', value: result.customers, type: 'integer' },
          { label: 'Findings that are errors', value: errors, type: 'integer' },
          { label: 'Findings that are warnings', value: countFindingsAtLeast(result, 'warning') - errors, type: 'integer' },
          { label: `Stale (no activity since ${result.staleBefore})`, value: result.findings.find((f) => f.code === 'stale')?.count ?? 0, type: 'integer' },
        ],
      },
      {
        kind: 'table',
        title: 'Findings',
        columns: [
          { key: 'finding', label: 'Finding', type: 'text' },
          { key: 'severity', label: 'Severity', type: 'text' },
          { key: 'count', label: 'Count', type: 'integer' },
          { key: 'examples', label: 'Examples', type: 'text' },
          { key: 'command', label: 'To inspect or fix', type: 'text' },
        ],
        rows: found.map((f) => ({
          finding: f.code,
          severity: f.severity,
          count: f.count,
          examples: `${f.exampleKind === 'customer' ? '' : `${f.exampleKind} `}${f.examples.join(', ')}`,
          command: f.command,
        })),
        bar: 'count',
      },
      {
        kind: 'table',
        title: 'Completeness',
        columns: [
          { key: 'field', label: 'Field', type: 'text' },
          { key: 'filled', label: 'Customers with it', type: 'integer' },
          { key: 'percent', label: 'Share', type: 'percent' },
        ],
        rows: result.completeness.map((c) => ({ field: c.field, filled: c.filled, percent: c.percent })),
        bar: 'percent',
      },
    ],
  };
}
