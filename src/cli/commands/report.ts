import { Option, type Command } from 'commander';
import type { Store } from '../../db/store.js';
import { UsageError } from '../../errors.js';
import { readAsOf } from '../../query/read-as-of.js';
import { buildCohortsReport } from '../../reports/build-cohorts-report.js';
import { buildRfmReport } from '../../reports/build-rfm-report.js';
import { buildSummaryReport } from '../../reports/build-summary-report.js';
import { buildTopReport } from '../../reports/build-top-report.js';
import { PredictionsNotFittedError } from '../../analytics/analytics-errors.js';
import { buildValueReport } from '../../reports/build-value-report.js';
import { maskReport } from '../../reports/mask-report.js';
import type { ReportDocument } from '../../reports/report-document.js';
import type { ReportOptions } from '../../reports/report-scope.js';
import { buildQualityReport } from '../../validate/build-quality-report.js';
import { DEFAULT_STALE_AFTER } from '../../validate/validate-database.js';
import { readDuration, withStore } from '../command-helpers.js';
import type { RunAction } from '../program.js';
import { writeReportHtml } from '../render/report-html-output.js';
import { writeReport, type ReportFormat } from '../render/report-output.js';
import { FILTER_HELP } from './query.js';

/** Flags every report takes. */
interface ReportFlags {
  asOf?: string;
  where?: string;
  segment?: string;
  format: ReportFormat;
  output?: string;
  months?: string;
  by?: 'revenue' | 'orders';
  limit?: string;
  html?: string;
  staleAfter?: string;
  mask?: boolean;
}

/** One report: its name, what it shows, its own flags, and how it is built from the store and the flags. */
interface ReportCommand {
  name: string;
  description: string;
  example: string;
  addOptions?: (command: Command) => void;
  /** The report covers every customer (quality): it refuses --where and --segment, and `report all` leaves it out when they are given. */
  wholeDatabase?: true;
  build: (store: Store, selection: ReportOptions, flags: ReportFlags) => Promise<ReportDocument>;
}

const REPORTS: ReportCommand[] = [
  {
    name: 'summary',
    description: 'Customers (total, active, with consent, repeat rate), new customers, orders and revenue per month, average order value, top sources.',
    example: 'custdb report summary --as-of 2026-06-30',
    addOptions: (command) => command.option('--months <n>', 'months the monthly series show, ending with the as-of month', '12'),
    build: (store, selection, flags) => buildSummaryReport(store, { ...selection, months: readCount('--months', flags.months ?? '12', 120) }),
  },
  {
    name: 'top',
    description: 'The best customers by revenue or by orders: name, email, orders, revenue, last order.',
    example: 'custdb report top --by orders --limit 20 --format csv -o top.csv',
    addOptions: (command) =>
      command
        .addOption(new Option('--by <measure>', 'rank by revenue (main currency) or number of orders').choices(['revenue', 'orders']).default('revenue'))
        .option('--limit <n>', 'how many customers', '10'),
    build: (store, selection, flags) => buildTopReport(store, { ...selection, by: flags.by ?? 'revenue', limit: readCount('--limit', flags.limit ?? '10', 10_000) }),
  },
  {
    name: 'rfm',
    description: 'Customers and revenue per RFM segment.',
    example: 'custdb report rfm --where \'country = "GB"\'',
    build: (store, selection) => buildRfmReport(store, selection),
  },
  {
    name: 'cohorts',
    description: 'Monthly acquisition cohorts (month of first order) by months since, with the % of each cohort ordering again.',
    example: 'custdb report cohorts --months 6',
    addOptions: (command) => command.option('--months <n>', 'cohorts shown, ending with the as-of month', '12'),
    build: (store, selection, flags) => buildCohortsReport(store, { ...selection, months: readCount('--months', flags.months ?? '12', 120) }),
  },
  {
    name: 'quality',
    description: 'The findings of custdb validate as a report: invalid and missing values, duplicates to review, stale customers, how complete the main fields are.',
    example: 'custdb report quality --html quality.html',
    addOptions: (command) => command.option('--stale-after <span>', 'customers with no order or interaction for this long are stale (3y, 18m, 90d)', DEFAULT_STALE_AFTER.text),
    wholeDatabase: true,
    build: (store, selection, flags) => {
      // Data quality is the whole database's: a finding's counts and examples are every customer's.
      if (selection.where !== undefined || selection.segment !== undefined) {
        throw new UsageError('report quality covers every customer: --where and --segment do not apply to it.', { hint: 'Leave them out, or use custdb query to look at the customers a finding names.' });
      }
      return buildQualityReport(store, { asOf: selection.asOf, staleAfter: readDuration('--stale-after', flags.staleAfter ?? DEFAULT_STALE_AFTER.text) });
    },
  },
  {
    name: 'value',
    description: 'Predicted customer value (after `custdb analytics fit`): probability still active, predicted 12-month value, top customers by CLV.',
    example: 'custdb report value --segment vip',
    build: (store, selection) => buildValueReport(store, selection),
  },
];

export function registerReport(program: Command, run: RunAction): void {
  const names = REPORTS.map((report) => report.name);
  const report = program
    .command('report')
    .description(`Reports to read or send on: ${names.join(', ')}; as a terminal report with small charts, CSV or JSON.`)
    .argument('[name]', `the report: ${names.join(', ')}`)
    .addHelpText(
      'after',
      `
Examples:
${REPORTS.map((r) => `  $ ${r.example}`).join('\n')}

Every report takes --as-of DATE, --where FILTER / --segment NAME (which customers; both must hold),
--format table|csv|json, -o FILE and --html FILE (a page with charts); report all --html FILE
puts every report on one page. Money is in the main currency (custdb config set currency);
orders in other currencies are left out of money and counted. CSV: one file, a "section" column first.`,
    )
    // A name that is not a report reaches here (commander routes it to the parent): say which exist.
    .action((name: string | undefined) =>
      run(async () => {
        throw new UsageError(name === undefined ? 'Which report?' : `There is no report "${name}".`, { hint: `Reports: ${names.join(', ')}. Example: custdb report summary.` });
      }),
    );

  for (const definition of REPORTS) {
    const command = report.command(definition.name).description(definition.description);
    definition.addOptions?.(command);
    command
      .option('--as-of <date>', 'as of this day (YYYY-MM-DD; default today)')
      .option('--where <filter>', 'only the customers this filter selects')
      .option('--segment <name>', 'only the customers of this saved segment')
      .addOption(new Option('--format <format>', 'output format').choices(['table', 'csv', 'json']).default('table'))
      .option('-o, --output <file>', 'write the report to this file (atomically) instead of stdout')
      .option('--html <file>', 'write the report as one self-contained HTML page with charts (atomically); with -o as well, both')
      .option('--mask', 'hide what identifies a person (names, emails) for sharing, as export --mask does')
      .addHelpText('after', `\nExample:\n  $ ${definition.example}\n${FILTER_HELP}`)
      .action((flags: ReportFlags) =>
        run((ctx) =>
          withStore(ctx, async (store) => {
            const selection: ReportOptions = { asOf: readAsOf(flags.asOf), where: flags.where, segment: flags.segment };
            const built = await definition.build(store, selection, flags);
            const document = flags.mask === true ? maskReport(built) : built;
            const format = ctx.json && flags.format === 'table' ? 'json' : flags.format;
            if (flags.html !== undefined) await writeReportHtml(ctx, [document], flags.html);
            if (flags.html === undefined || flags.output !== undefined) await writeReport(ctx, document, { format, file: flags.output });
            return 0;
          }),
        ),
      );
  }

  // One page for an owner to send on. Predicted value joins once it is fitted; until then the
  // other reports are still worth the page (exit 0, not value's "run the fit first"). Data quality
  // is the whole database's, so a page about some customers leaves it out.
  report
    .command('all')
    .description('Every report (summary, top, rfm, cohorts, quality unless --where or --segment narrow it, and value once fitted) on one self-contained HTML page.')
    .requiredOption('--html <file>', 'the HTML page to write (atomically)')
    .option('--as-of <date>', 'as of this day (YYYY-MM-DD; default today)')
    .option('--where <filter>', 'only the customers this filter selects')
    .option('--segment <name>', 'only the customers of this saved segment')
    .option('--mask', 'hide what identifies a person (names, emails) for sharing, as export --mask does')
    .addHelpText('after', `\nExample:\n  $ custdb report all --html report.html --as-of 2026-06-30\n${FILTER_HELP}`)
    .action((flags: ReportFlags & { html: string }) =>
      run((ctx) =>
        withStore(ctx, async (store) => {
          const selection: ReportOptions = { asOf: readAsOf(flags.asOf), where: flags.where, segment: flags.segment };
          const documents: ReportDocument[] = [];
          const scoped = flags.where !== undefined || flags.segment !== undefined;
          for (const definition of REPORTS) {
            if (scoped && definition.wholeDatabase) continue;
            const document = await definition.build(store, selection, flags).catch((error: unknown) => {
              if (error instanceof PredictionsNotFittedError) return undefined;
              throw error;
            });
            if (document !== undefined) documents.push(flags.mask === true ? maskReport(document) : document);
          }
          await writeReportHtml(ctx, documents, flags.html);
          return 0;
        }),
      ),
    );
}

/** A whole number from 1 to `max` given to `flag`; else a UsageError naming the flag. */
function readCount(flag: string, text: string, max: number): number {
  const value = Number(text.trim());
  if (!/^\d+$/.test(text.trim()) || value < 1 || value > max) {
    throw new UsageError(`${flag} ${text}: not a whole number from 1 to ${max}.`, { hint: `Example: ${flag} 12.` });
  }
  return value;
}
