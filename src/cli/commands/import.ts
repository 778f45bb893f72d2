import { existsSync, statSync } from 'node:fs';
import { Option, type Command } from 'commander';
import { openStore } from '../../db/open-store.js';
import { InputFileError, UsageError } from '../../errors.js';
import { importCustomers, type ImportOptions, type ImportResult } from '../../import/import-customers.js';
import { listPresets } from '../../mapping/presets.js';
import type { DateOrder } from '../../normalize/parse-date.js';
import type { ImportKind } from '../../mapping/mapping-schema.js';
import { decideImportKind } from '../../import/decide-import-kind.js';
import { probeImportFile, type ImportProbe } from '../../import/probe-import-file.js';
import type { CommandContext } from '../context.js';
import type { RunAction } from '../program.js';
import { writeJson, writeNote, writeResult } from '../render/output.js';
import { startProgress } from '../render/progress.js';
import { formatCount } from '../render/format-count.js';
import { runMappingWizard } from '../mapping-wizard.js';
import { importOrders, type OrderImportResult } from '../../orders/import-orders.js';
import { importInteractions, type InteractionImportResult } from '../../interactions/import-interactions.js';
import type { UnknownCustomerPolicy } from '../../identity/link-row-customer.js';
import { databaseKey } from '../database-key.js';

interface ImportFlags {
  as?: string;
  source?: string;
  preset?: string;
  map: string[];
  mapping?: string;
  saveMapping?: string;
  delimiter?: string;
  encoding?: string;
  dateFormat?: DateOrder;
  defaultCountry?: string;
  update: 'fill' | 'overwrite';
  maxRejects: string;
  rejects?: string;
  dryRun?: boolean;
  force?: boolean;
  ignoreUnmapped?: boolean;
  listPresets?: boolean;
  unknownCustomers: UnknownCustomerPolicy;
}

export function registerImport(program: Command, run: RunAction): void {
  program
    .command('import')
    .description('Import a CSV of customers, orders or interactions: recognise the export, map and clean every row, match people already known, and write it all in one transaction (or nothing).')
    .argument('[file]', 'the CSV file to import')
    .addOption(new Option('--as <kind>', 'what the file holds (default: inferred from the header)').choices(['customers', 'orders', 'interactions']))
    .option('--source <name>', 'where the file came from: the namespace of its ids (default: the preset, else "csv")')
    .option('--preset <name>', 'force a platform preset, or "auto" (default) to recognise it')
    .option('--map <column=field>', 'map a column to a field, attr.NAME or ignore (repeatable)', collect, [])
    .option('--mapping <file|name>', 'use a mapping JSON file, or a mapping saved with --save-mapping')
    .option('--save-mapping <name>', 'save the mapping used, to reuse with --mapping NAME')
    .option('--ignore-unmapped', 'drop columns with no field instead of keeping them as custom attributes')
    .option('--delimiter <char>', 'field separator (default: sniffed from , ; tab |)')
    .option('--encoding <name>', 'text encoding (default: sniffed; UTF-8, UTF-16, else Windows-1252)')
    .addOption(new Option('--date-format <order>', 'day/month order of numeric dates (default: decided from the file)').choices(['dmy', 'mdy', 'ymd']))
    .option('--default-country <cc>', 'country for national phone numbers (default: custdb config default-country)')
    .addOption(new Option('--update <mode>', 'for people already known: fill empty fields, or overwrite with new values').choices(['fill', 'overwrite']).default('fill'))
    .option('--max-rejects <n|p%>', 'refuse the whole file above this many rejected rows', '10%')
    .option('--rejects <file>', 'where rejected rows go (default: FILE.rejects.csv beside the input)')
    .option('--dry-run', 'do everything but commit, and report what would happen')
    .option('--force', 'import even if this content was already imported from this source')
    .option('--list-presets', 'list the platform exports custdb recognises, and exit')
    .addOption(
      new Option('--unknown-customers <policy>', 'orders/interactions whose customer is not known: create the customer from the row, or reject the row')
        .choices(['create', 'reject'])
        .default('create'),
    )
    .addHelpText(
      'after',
      `
Examples:
  $ custdb import shopify-customers.csv
  $ custdb import contacts.csv --map "E-mail Address=email" --map "Loyalty=attr.loyalty" --save-mapping till
  $ custdb import /data/in/customers-$(date +%F).csv --mapping till --json >> import.log
  $ custdb import list.csv --default-country GB --dry-run
  $ custdb import --list-presets
  $ custdb import orders_export.csv                      # Shopify orders: recognised, grouped by order
  $ custdb import tickets.csv --as interactions --unknown-customers reject

Exit codes: 0 imported (or nothing to do, or already imported), 1 too many rejected rows (nothing written;
the rejects file says why), 2 could not run (missing file, bad mapping, database locked).`,
    )
    .action((file: string | undefined, flags: ImportFlags) =>
      run(async (ctx) => {
        if (flags.listPresets) return listPresetsCommand(ctx);
        if (!file) throw new UsageError('Name the file to import.', { hint: 'For example: custdb import customers.csv' });
        checkInputFile(file);
        // The file's head is read once, when the kind or the wizard needs it, and handed on to the import.
        let probe: ImportProbe | undefined;
        const readHead = async (): Promise<ImportProbe> => (probe ??= await probeImportFile({ file, encoding: flags.encoding, delimiter: flags.delimiter }));
        const kind = await decideImportKind(file, { as: flags.as as ImportKind | undefined, header: async () => (await readHead()).header });
        const options: ImportOptions = {
          file,
          source: flags.source,
          preset: flags.preset,
          maps: flags.map,
          mapping: flags.mapping,
          saveMapping: flags.saveMapping,
          ignoreUnmapped: flags.ignoreUnmapped === true,
          delimiter: flags.delimiter,
          encoding: flags.encoding,
          dateFormat: flags.dateFormat,
          defaultCountry: flags.defaultCountry?.toUpperCase(),
          update: flags.update,
          maxRejects: parseMaxRejects(flags.maxRejects),
          rejectsFile: flags.rejects,
          dryRun: flags.dryRun === true,
          force: flags.force === true,
          actor: ctx.actor,
          threads: parseThreads(ctx.io.env.CUSTDB_IMPORT_THREADS),
        };
        // In a terminal, a file custdb cannot map with confidence gets the mapping wizard (answers become --map / --save-mapping).
        if (kind === 'customers') Object.assign(options, await runMappingWizard(ctx, options, readHead));
        if (probe !== undefined) options.probe = probe;
        const { store, created } = await openStore({ location: ctx.dbLocation, create: true, migrations: 'apply', key: databaseKey(ctx) });
        if (created) writeNote(ctx, `Created ${store.location} (readable by you only).`);
        const progress = startProgress(ctx, 'Importing');
        try {
          const onProgress = (bytesRead: number, totalBytes: number, rowsRead: number) => progress.update(bytesRead, totalBytes, rowsRead);
          const result =
            kind === 'orders'
              ? await importOrders(store, { ...options, unknownCustomers: flags.unknownCustomers, onProgress })
              : kind === 'interactions'
                ? await importInteractions(store, { ...options, unknownCustomers: flags.unknownCustomers, onProgress })
                : await importCustomers(store, { ...options, onProgress });
          progress.stop();
          if (ctx.json) writeJson(ctx, result);
          else renderSummary(ctx, result);
          return result.status === 'too-many-rejects' ? 1 : 0;
        } finally {
          progress.stop();
          await store.close();
        }
      }),
    );
}

/** CUSTDB_IMPORT_THREADS: worker threads for standardising rows (0 = none); unset = one per core but one for customers, one for orders. */
function parseThreads(value: string | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  if (!/^\d+$/.test(value)) throw new UsageError(`CUSTDB_IMPORT_THREADS=${value} is not a whole number.`, { hint: 'Use 0 for no worker threads, or a count such as 2.' });
  return Number(value);
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function checkInputFile(file: string): void {
  if (!existsSync(file)) throw new InputFileError(`${file} does not exist.`, { hint: 'Check the path (it is relative to the current folder).' });
  if (statSync(file).isDirectory()) throw new InputFileError(`${file} is a folder, not a file.`, { hint: 'Name a CSV file inside it.' });
}

/** "25" → at most 25 rejects; "2.5%" → at most 2.5% of the data rows. */
export function parseMaxRejects(text: string): { count: number } | { percent: number } {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(%?)\s*$/.exec(text);
  if (!match) throw new UsageError(`--max-rejects ${text} is not a number or a percentage.`, { hint: 'For example --max-rejects 0, --max-rejects 50 or --max-rejects 5%.' });
  const value = Number(match[1]);
  if (match[2] === '%') {
    if (value > 100) throw new UsageError(`--max-rejects ${text} is over 100%.`, { hint: 'Use a percentage from 0% to 100%.' });
    return { percent: value };
  }
  if (!Number.isInteger(value)) throw new UsageError(`--max-rejects ${text}: a count must be a whole number.`, { hint: 'Or add % for a share of the rows.' });
  return { count: value };
}

function listPresetsCommand(ctx: CommandContext): number {
  const presets = listPresets();
  if (ctx.json) {
    writeJson(ctx, { presets });
    return 0;
  }
  const lines = ['Platform exports custdb recognises (use --preset NAME to force one):', ''];
  for (const preset of presets) {
    lines.push(`  ${preset.name.padEnd(26)} ${preset.label} (${preset.kind}, source "${preset.source}")`);
    lines.push(`  ${''.padEnd(26)} fields: ${preset.fields.join(', ')}`);
  }
  writeResult(ctx, lines.join('\n'));
  return 0;
}

function renderSummary(ctx: CommandContext, result: ImportResult | OrderImportResult | InteractionImportResult): void {
  const { paint } = ctx;
  const c = result.counts;
  const n = formatCount;
  const lines: string[] = [];
  const origin = `source ${result.source}${result.preset ? `, preset ${result.preset}` : ''}`;
  switch (result.status) {
    case 'already-imported':
      writeResult(ctx, `${result.file} was already imported as batch ${result.previousBatchId} (same content, ${origin}); nothing changed. Use --force to import it again.`);
      return;
    case 'empty':
      lines.push(`${result.file} has a header but no rows: nothing to import.`);
      break;
    case 'imported':
      lines.push(paint.green(`Imported ${result.file} as batch ${result.batchId} (${origin}).`));
      break;
    case 'dry-run':
      lines.push(paint.cyan(`Dry run of ${result.file} (${origin}): nothing was written. It would give:`));
      break;
    case 'too-many-rejects':
      lines.push(paint.red(`Refused ${result.file}: ${n(c.rejected)} rows rejected, more than the ${n(result.maxRejects)} allowed by --max-rejects. Nothing was written.`));
      lines.push(`  To import the other ${n(c.rows - c.rejected)} rows anyway, run it again with --max-rejects ${c.rejected}.`);
      break;
  }
  if (result.status !== 'empty' && result.kind === 'orders') {
    const o = result.counts;
    lines.push(`  rows ${n(o.rows)}   orders ${n(o.orders)}: new ${n(o.inserted)}, status updated ${n(o.updated)}, already there ${n(o.unchanged)}, rejected ${n(o.ordersRejected)} (${n(o.rejected)} rows)`);
    lines.push(`  items ${n(o.items)}   new products ${n(o.productsCreated)}`);
  } else if (result.status !== 'empty') {
    lines.push(
      `  rows ${n(c.rows)}   inserted ${n(c.inserted)}   ${result.kind === 'interactions' ? 'already there' : 'updated'} ${n(result.kind === 'interactions' ? c.unchanged : c.updated)}` +
        `${result.kind === 'interactions' ? '' : `   unchanged ${n(c.unchanged)}`}   rejected ${n(c.rejected)}` +
        (c.suspects > 0 && result.kind === 'customers' ? `   possible duplicates ${n(c.suspects)}` : ''),
    );
  }
  if (result.status !== 'empty') {
    const matched = Object.entries(result.matchedBy).filter(([, count]) => count > 0);
    const linked = matched.map(([by, count]) => `${by.replace('_', ' ')} ${n(count)}`).join(', ');
    if (result.kind === 'customers') {
      if (matched.length > 0) lines.push(`  matched existing customers by ${linked}`);
    } else {
      const made = result.counts.customersCreated;
      lines.push(
        `  customers: ${matched.length > 0 ? `linked by ${linked}` : 'none already known'}; created ${n(made)} not known before` +
          (made > 0 ? ` (from the ${result.kind}' names, emails, phones${result.kind === 'orders' ? ', billing addresses' : ''})` : '') +
          (result.counts.suspects > 0 ? `; ${n(result.counts.suspects)} flagged as possible duplicates` : ''),
      );
    }
  }
  const warnings = Object.entries(result.warnings);
  if (warnings.length > 0) {
    lines.push(`  warnings: ${warnings.map(([kind, count]) => `${kind.replace('_', ' ')} ${n(count)}`).join(', ')}`);
    for (const example of result.warningExamples.slice(0, 5)) lines.push(paint.dim(`    line ${example.line}: ${example.field === 'row' ? '' : `${example.field}: `}${example.message}`));
    const total = warnings.reduce((sum, [, count]) => sum + count, 0);
    if (total > 5 && result.status === 'imported') lines.push(paint.dim(`    … all ${n(total)} with their lines: custdb imports show ${result.batchId} --warnings`));
  }
  if ((c.erased ?? 0) > 0) lines.push(`  ${n(c.erased ?? 0)} of the rejected rows are of people who were erased (privacy forget, purge): they are not imported again`);
  if (result.rejectsFile) lines.push(`  rejected rows, with reasons, are in ${result.rejectsFile} — fix them and import that file again`);
  const shown = result.kind === 'customers' ? result.mapping : result.mapping.filter((m) => m.target !== 'ignore');
  const ignored = result.mapping.length - shown.length;
  lines.push(`  columns: ${shown.map((m) => `${m.column} → ${m.target}`).join(', ')}${ignored > 0 ? ` (${n(ignored)} other columns ignored)` : ''}`);
  lines.push(`  read as ${result.encoding}, delimiter ${JSON.stringify(result.delimiter)}${result.dateOrder ? `, dates ${result.dateOrder}` : ''}; ${(result.elapsedMs / 1000).toFixed(1)} s`);
  for (const note of result.notes) writeNote(ctx, `${paint.yellow('note:')} ${note}`);
  writeNote(ctx, lines.join('\n'));
}
