import { Option, type Command } from 'commander';
import { openStore } from '../../db/open-store.js';
import { UsageError } from '../../errors.js';
import { exportCustomers, type ExportFormat } from '../../export/export-customers.js';
import type { RunAction } from '../program.js';
import { writeJson, writeNote } from '../render/output.js';

interface ExportFlags {
  fields?: string;
  format: ExportFormat;
  output?: string;
  raw?: boolean;
}

export function registerExport(program: Command, run: RunAction): void {
  program
    .command('export')
    .description('Export customers as CSV, JSON or NDJSON, to stdout or a file (written atomically). Always includes id and external_ids.')
    .argument('<what>', 'what to export: customers')
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

CSV cells starting with = + - @ (or a tab or CR) get a leading ' so a spreadsheet shows them as text;
custdb import strips it again. --raw turns this off.`,
    )
    .action((what: string, flags: ExportFlags) =>
      run(async (ctx) => {
        if (what !== 'customers') {
          throw new UsageError(`Exporting "${what}" is not available in this version yet.`, { hint: 'Use: custdb export customers' });
        }
        if (ctx.json && !flags.output) {
          throw new UsageError('--json describes the export, so it needs -o FILE for the data itself.', { hint: 'Use --format json for JSON data on stdout.' });
        }
        const { store } = await openStore({ location: ctx.dbLocation, create: false, migrations: 'apply' });
        try {
          const result = await exportCustomers(store, {
            fields: flags.fields?.split(',').map((f) => f.trim()).filter((f) => f !== ''),
            format: flags.format,
            file: flags.output,
            stream: ctx.io.stdout,
            raw: flags.raw === true,
          });
          if (ctx.json) writeJson(ctx, result);
          else writeNote(ctx, `Exported ${result.rows.toLocaleString('en-US')} customers${result.file ? ` to ${result.file}` : ''}.`);
          return 0;
        } finally {
          await store.close();
        }
      }),
    );
}
