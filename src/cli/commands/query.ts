import { Option, type Command } from 'commander';
import { UsageError } from '../../errors.js';
import { answerCellText, writeCustomerAnswer } from '../../export/write-customer-answer.js';
import { parseSort } from '../../filter/parse-sort.js';
import { countCustomers, queryCustomers, resolveOutputColumns, type CustomerAnswerRow, type MarketingChannel, type OutputColumn } from '../../query/query-customers.js';
import { maskRow, maskRows } from '../../privacy/mask.js';
import { readAsOf } from '../../query/read-as-of.js';
import { withStore } from '../command-helpers.js';
import type { CommandContext } from '../context.js';
import type { RunAction } from '../program.js';
import { formatCount } from '../render/format-count.js';
import { writeNote, writeResult } from '../render/output.js';
import { renderTable } from '../render/table.js';

interface QueryFlags {
  where?: string;
  segment?: string;
  fields?: string;
  sort?: string;
  limit?: string;
  format: 'table' | 'csv' | 'json' | 'ndjson';
  asOf?: string;
  output?: string;
  count?: boolean;
  raw?: boolean;
  mask?: boolean;
  consented?: MarketingChannel;
}

/** A table is for reading: without --limit it shows this many rows and says how many there are. */
const TABLE_ROWS = 50;

export const FILTER_HELP = `
The filter (--where) reads like the question; text in quotes, dates as YYYY-MM-DD:
  total_spent >= 500 and days_since_last_order > 90
  country in ("US", "CA") and not (email is empty)
  tags contains "vip" or rfm_segment = "Champions"
  last_order_at < 90 days ago        signup_date in last 30 days        birth_date in this month
  ordered(product contains "espresso", since 90 days ago) >= 2
  in segment "vip" and attr.favourite_roast = "dark"
Fields: every customer field, attr.NAME, tags, source, external_id, and the computed
orders_count, total_spent, avg_order_value, first_order_at, last_order_at,
days_since_last_order, days_since_signup, interactions_count, last_interaction_at,
rfm_recency, rfm_frequency, rfm_monetary, rfm_score, rfm_segment, and after custdb analytics fit
p_active, expected_orders_90d, expected_orders_365d, predicted_value_12m, clv.`;

export function registerQuery(program: Command, run: RunAction): void {
  program
    .command('query')
    .description('Ask which customers match a filter: list them with the fields you want, sorted, or count them.')
    .option('--where <filter>', 'which customers (see below); default: every active customer')
    .option('--segment <name>', 'only the customers of this saved segment (with --where: both must hold)')
    .option('--fields <list>', 'comma-separated fields to show (default: id, full_name, email and the fields the filter and sort use)')
    .option('--sort <keys>', 'sort by fields, e.g. total_spent:desc,last_name (then by id)')
    .option('--limit <n>', `at most this many customers (a table shows ${TABLE_ROWS} unless given)`)
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'csv', 'json', 'ndjson']).default('table'))
    .option('--as-of <date>', 'compute fields and relative dates as of this day (YYYY-MM-DD; default today)')
    .option('--count', 'print only how many customers match')
    .option('-o, --output <file>', 'write csv/json/ndjson to this file (atomically) instead of stdout')
    .option('--raw', 'do not neutralise CSV cells a spreadsheet would run as formulas')
    .addOption(new Option('--consented <channel>', 'only customers who may be contacted on this channel now (consent granted, and an email or phone)').choices(['email', 'sms']))
    .option('--mask', 'hide what identifies a person (j***@example.com, +44 •••• ••1234, J***, birth year only…); ids, counts, money and dates stay')
    .addHelpText(
      'after',
      `
Examples:
  $ custdb query --where 'total_spent >= 500 and days_since_last_order > 90' --sort total_spent:desc
  $ custdb query --where 'rfm_segment = "At Risk"' --fields email,first_name,rfm_score --format csv -o at-risk.csv
  $ custdb query --segment vip --count
  $ custdb query --consented sms --count
  $ custdb query --where 'total_spent > 100' --fields email,phone,total_spent --mask
${FILTER_HELP}`,
    )
    .action((flags: QueryFlags) =>
      run((ctx) =>
        withStore(ctx, async (store) => {
          const asOf = readAsOf(flags.asOf);
          const selection = { where: flags.where, segment: flags.segment, consented: flags.consented, asOf, onNote: (note: string) => writeNote(ctx, note) };
          if (flags.count) {
            const count = await countCustomers(store, selection);
            writeResult(ctx, ctx.json ? JSON.stringify({ count, asOf }) : String(count));
            return 0;
          }
          const limit = flags.limit === undefined ? undefined : readLimit(flags.limit);
          const sort = flags.sort === undefined ? [] : parseSort(flags.sort);
          const columns = flags.fields === undefined ? undefined : resolveOutputColumns(flags.fields.split(','));
          const format = ctx.json && flags.format === 'table' ? 'json' : flags.format;
          if (format === 'table') {
            if (flags.output !== undefined) throw new UsageError('A table is for the terminal: -o needs --format csv, json or ndjson.', { hint: 'Add --format csv.' });
            const shown = limit ?? TABLE_ROWS;
            const answer = await queryCustomers(store, { ...selection, columns, sort, limit: shown });
            const rows: CustomerAnswerRow[] = [];
            for await (const row of answer.rows) rows.push(flags.mask === true ? maskRow(row) : row);
            const total = rows.length < shown ? rows.length : await countCustomers(store, selection);
            writeTable(ctx, answer.columns, rows, total, limit === undefined);
            return 0;
          }
          const answer = await queryCustomers(store, { ...selection, columns, sort, limit });
          const written = await writeCustomerAnswer(flags.mask === true ? maskRows(answer.rows) : answer.rows, answer.columns, {
            format,
            file: flags.output,
            stream: ctx.io.stdout,
            raw: flags.raw === true,
          });
          if (flags.output !== undefined) writeNote(ctx, `Wrote ${formatCount(written)} customer${written === 1 ? '' : 's'} to ${flags.output}.`);
          return 0;
        }),
      ),
    );
}

function readLimit(text: string): number {
  if (!/^\d+$/.test(text.trim())) throw new UsageError(`--limit ${text}: not a whole number.`, { hint: 'Example: --limit 100.' });
  return Number(text.trim());
}

function writeTable(ctx: CommandContext, columns: readonly OutputColumn[], rows: readonly CustomerAnswerRow[], total: number, limitedByDefault: boolean): void {
  if (rows.length === 0) {
    writeResult(ctx, 'No customers match.');
    return;
  }
  const head = columns.map((c) => c.name);
  const cells = rows.map((row) => columns.map((c) => answerCellText(c, row[c.name]) ?? ''));
  writeResult(ctx, renderTable(head, cells, ctx, { wrappable: head.filter((h) => h !== 'id') }));
  const more = total > rows.length;
  writeNote(
    ctx,
    more
      ? `${formatCount(rows.length)} of ${formatCount(total)} customers shown${limitedByDefault ? '; --limit N shows more, --format csv all' : ''}.`
      : `${formatCount(total)} customer${total === 1 ? '' : 's'}.`,
  );
}
