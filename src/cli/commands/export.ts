import { Option, type Command } from 'commander';
import { openStore } from '../../db/open-store.js';
import { UsageError } from '../../errors.js';
import { exportCustomers, type ExportFormat } from '../../export/export-customers.js';
import { exportOrders } from '../../export/export-orders.js';
import { exportInteractions } from '../../export/export-interactions.js';
import { readAsOf } from '../../query/read-as-of.js';
import type { MarketingChannel } from '../../query/query-customers.js';
import type { RunAction } from '../program.js';
import { writeJson, writeNote } from '../render/output.js';
import { formatCount } from '../render/format-count.js';
import { databaseKey } from '../database-key.js';

interface ExportFlags {
  fields?: string;
  where?: string;
  asOf?: string;
  format: ExportFormat;
  output?: string;
  raw?: boolean;
  mask?: boolean;
  consented?: MarketingChannel;
}

export function registerExport(program: Command, run: RunAction): void {
  program
    .command('export')
    .description('Export customers, orders or interactions as CSV, JSON or NDJSON, to stdout or a file (written atomically). Customers always include id and external_ids.')
    .argument('<what>', 'what to export: customers, segment:NAME (a saved segment\'s customers), orders or interactions')
    .option('--fields <list>', 'comma-separated fields, e.g. email,first_name,attr.tier,rfm_segment (default: all stored ones, orders_count and total_spent)')
    .option('--where <filter>', 'customers only: those the filter selects (see custdb query --help)')
    .option('--as-of <date>', 'customers only: computed fields and relative dates as of this day (YYYY-MM-DD)')
    .addOption(new Option('--format <format>', 'output format').choices(['csv', 'json', 'ndjson']).default('csv'))
    .option('-o, --output <file>', 'write to this file instead of stdout')
    .option('--raw', 'do not neutralise cells a spreadsheet would run as formulas (=, +, -, @)')
    .addOption(new Option('--consented <channel>', 'customers only: only those who may be contacted on this channel now (consent granted, and an email or phone)').choices(['email', 'sms']))
    .option('--mask', 'hide what identifies a person (j***@example.com, +44 •••• ••1234, J***, birth year only…); ids, counts, money and dates stay')
    .addHelpText(
      'after',
      `
Examples:
  $ custdb export customers -o customers.csv
  $ custdb export customers --fields email,first_name,last_name,tags > list.csv
  $ custdb export customers --format ndjson | jq .email
  $ custdb export customers --where 'total_spent >= 500' --fields email,total_spent,rfm_segment
  $ custdb export segment:vip -o vip.csv
  $ custdb export orders -o orders.csv                   # one row per line item; imports back grouped
  $ custdb export interactions --format json
  $ custdb export segment:vip --consented email --fields email,first_name -o mailing.csv
  $ custdb export customers --mask --fields id,email,country,total_spent,rfm_segment -o for-the-agency.csv

CSV cells starting with = + - @ (or a tab or CR) get a leading ' so a spreadsheet shows them as text;
custdb import strips it again. --raw turns this off.`,
    )
    .action((what: string, flags: ExportFlags) =>
      run(async (ctx) => {
        const exporters = { customers: exportCustomers, orders: exportOrders, interactions: exportInteractions } as const;
        const segment = what.startsWith('segment:') ? what.slice('segment:'.length) : undefined;
        const kind = segment === undefined ? what : 'customers';
        if (kind !== 'customers' && kind !== 'orders' && kind !== 'interactions') {
          throw new UsageError(`Exporting "${what}" is not available in this version yet.`, {
            hint: 'Use: custdb export customers, custdb export segment:NAME, custdb export orders or custdb export interactions',
          });
        }
        if (kind !== 'customers' && (flags.where !== undefined || flags.asOf !== undefined || flags.consented !== undefined)) {
          throw new UsageError(`--where, --as-of and --consented choose customers; export ${kind} exports every one.`, { hint: 'Export customers with --where, or drop the option.' });
        }
        if (ctx.json && !flags.output) {
          throw new UsageError('--json describes the export, so it needs -o FILE for the data itself.', { hint: 'Use --format json for JSON data on stdout.' });
        }
        const { store } = await openStore({ location: ctx.dbLocation, create: false, migrations: 'apply', key: databaseKey(ctx) });
        try {
          const result = await exporters[kind](store, {
            where: flags.where,
            segment,
            asOf: readAsOf(flags.asOf),
            fields: flags.fields?.split(',').map((f) => f.trim()).filter((f) => f !== ''),
            format: flags.format,
            file: flags.output,
            stream: ctx.io.stdout,
            raw: flags.raw === true,
            onNote: (note: string) => writeNote(ctx, note),
            mask: flags.mask === true,
            consented: flags.consented,
          });
          if (ctx.json) writeJson(ctx, result);
          else writeNote(ctx, `Exported ${formatCount(result.rows)} ${kind}${segment === undefined ? '' : ` of segment "${segment}"`}${result.file ? ` to ${result.file}` : ''}.`);
          return 0;
        } finally {
          await store.close();
        }
      }),
    );
}
