import { Option, type Command } from 'commander';
import { openStore } from '../../db/open-store.js';
import { UsageError } from '../../errors.js';
import { exportCustomers, type ExportFormat } from '../../export/export-customers.js';
import { exportOrders } from '../../export/export-orders.js';
import { exportInteractions } from '../../export/export-interactions.js';
import type { RunAction } from '../program.js';
import { writeJson, writeNote } from '../render/output.js';
import { formatCount } from '../render/format-count.js';

interface ExportFlags {
  fields?: string;
  format: ExportFormat;
  output?: string;
  raw?: boolean;
}

export function registerExport(program: Command, run: RunAction): void {
  program
    .command('export')
    .description('Export customers, orders or interactions as CSV, JSON or NDJSON, to stdout or a file (written atomically). Customers always include id and external_ids.')
    .argument('<what>', 'what to export: customers, orders or interactions')
    .option('--fields <list>', 'comma-separated fields, e.g. email,first_name,attr.tier (default: all)')
    .addOption(new Option('--format <format>', 'output format').choices(['csv', 'json', 'ndjson']).default('csv'))
    .option('-o, --output <file>', 'write to this file instead of stdout')
    .option('--raw', 'do not neutralise cells a spreadsheet would run as formulas (=, +, -, @)')
    .addHelpText(
      'after',
      `
Examples:
  $ custdb export customers -o customers.csv
  $ custdb export customers --fields email,first_name,last_name,tags > list.csv
  $ custdb export customers --format ndjson | jq .email
  $ custdb export orders -o orders.csv                   # one row per line item; imports back grouped
  $ custdb export interactions --format json

CSV cells starting with = + - @ (or a tab or CR) get a leading ' so a spreadsheet shows them as text;
custdb import strips it again. --raw turns this off.`,
    )
    .action((what: string, flags: ExportFlags) =>
      run(async (ctx) => {
        const exporters = { customers: exportCustomers, orders: exportOrders, interactions: exportInteractions } as const;
        if (what !== 'customers' && what !== 'orders' && what !== 'interactions') {
          throw new UsageError(`Exporting "${what}" is not available in this version yet.`, { hint: 'Use: custdb export customers, custdb export orders or custdb export interactions' });
        }
        if (ctx.json && !flags.output) {
          throw new UsageError('--json describes the export, so it needs -o FILE for the data itself.', { hint: 'Use --format json for JSON data on stdout.' });
        }
        const { store } = await openStore({ location: ctx.dbLocation, create: false, migrations: 'apply' });
        try {
          const result = await exporters[what](store, {
            fields: flags.fields?.split(',').map((f) => f.trim()).filter((f) => f !== ''),
            format: flags.format,
            file: flags.output,
            stream: ctx.io.stdout,
            raw: flags.raw === true,
          });
          if (ctx.json) writeJson(ctx, result);
          else writeNote(ctx, `Exported ${formatCount(result.rows)} ${what}${result.file ? ` to ${result.file}` : ''}.`);
          return 0;
        } finally {
          await store.close();
        }
      }),
    );
}
