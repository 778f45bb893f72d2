import type { Command } from 'commander';
import { countBatchWarnings, getBatch, iterateBatchWarnings, listBatches, type ImportBatch } from '../../db/import-batches.js';
import { NotFoundError, UsageError } from '../../errors.js';
import { undoImport } from '../../import/undo-import.js';
import type { RunAction } from '../program.js';
import { writeJson, writeResult } from '../render/output.js';
import { renderTable } from '../render/table.js';
import { writeJsonWithWarnings, writeWarningLines } from '../render/import-warnings.js';
import { formatCount } from '../render/format-count.js';
import { withStore, confirmChange } from '../command-helpers.js';

export function registerImports(program: Command, run: RunAction): void {
  const imports = program
    .command('imports')
    .description('List, inspect and undo import batches.')
    .addHelpText(
      'after',
      `
Examples:
  $ custdb imports list
  $ custdb imports show 3
  $ custdb imports undo 3 --yes`,
    );

  imports
    .command('list')
    .description('List import batches, newest first.')
    .addHelpText('after', '\nExamples:\n  $ custdb imports list\n  $ custdb imports list --json')
    .action(() =>
      run((ctx) =>
        withStore(ctx, async (store) => {
          const batches = await listBatches(store);
          if (ctx.json) writeJson(ctx, { batches: batches.map(describeBatch) });
          else if (batches.length === 0) writeResult(ctx, 'No imports yet.');
          else
            writeResult(
              ctx,
              renderTable(
                ['batch', 'when', 'file', 'source', 'rows', 'inserted', 'updated', 'rejected', 'status'],
                batches.map((b) => [
                  String(b.id),
                  b.started_at.slice(0, 16).replace('T', ' '),
                  b.file_name,
                  b.source,
                  formatCount(b.rows_total),
                  formatCount(b.inserted),
                  formatCount(b.updated),
                  formatCount(b.rejected),
                  b.status,
                ]),
                ctx,
                // "imports show N" has all of it; in a narrow terminal the file name keeps room and these give way.
                { droppable: ['source', 'updated', 'when'], wrappable: ['file', 'when'] },
              ),
            );
          return 0;
        }),
      ),
    );

  imports
    .command('show')
    .description('Show one import batch: its file, counts, mapping and status; with --warnings, every warning it gave, by line.')
    .argument('<batch>', 'batch number (see imports list)')
    .option('--warnings', 'list every warning of the import: line, field and message')
    .addHelpText('after', '\nExamples:\n  $ custdb imports show 3\n  $ custdb imports show 3 --warnings\n  $ custdb imports show 3 --warnings --json')
    .action((batch: string, flags: { warnings?: boolean }) =>
      run((ctx) =>
        withStore(ctx, async (store) => {
          const found = await getBatch(store, parseBatchId(batch));
          if (!found) throw new NotFoundError(`There is no import batch ${batch}.`, { hint: 'See "custdb imports list".' });
          const described = describeBatch(found);
          const warnings = flags.warnings === true ? iterateBatchWarnings(store, found.id) : null;
          if (ctx.json) {
            if (warnings !== null) await writeJsonWithWarnings(ctx, described, warnings);
            else writeJson(ctx, described);
            return 0;
          }
          const lines = [
            `Batch ${found.id}: ${found.file_name} (${found.kind}, source ${found.source}) — ${found.status}${found.undone_at ? ` at ${found.undone_at}` : ''}`,
            `  imported ${found.started_at} by ${found.actor}; sha256 ${found.file_sha256}`,
            `  rows ${formatCount(found.rows_total)}   inserted ${formatCount(found.inserted)}   updated ${formatCount(found.updated)}   unchanged ${formatCount(found.unchanged)}   rejected ${formatCount(found.rejected)}`,
            `  columns: ${described.mapping.map((m) => `${m.column} → ${m.target}`).join(', ')}`,
          ];
          const warningCount = await countBatchWarnings(store, found.id);
          if (warnings === null && warningCount > 0) lines.push(`  warnings: ${formatCount(warningCount)} (list them with custdb imports show ${found.id} --warnings)`);
          if (warnings !== null) lines.push(`  warnings: ${warningCount === 0 ? 'none kept' : formatCount(warningCount)}`);
          writeResult(ctx, lines.join('\n'));
          if (warnings !== null) await writeWarningLines(ctx, warnings);
          return 0;
        }),
      ),
    );

  imports
    .command('undo')
    .description(
      'Undo an import batch: remove the customers it created and restore the fields it changed. Refuses when a later change depends on it, unless --keep-later-changes.',
    )
    .argument('<batch>', 'batch number (see imports list)')
    .option('--keep-later-changes', 'undo all the rest: customers and fields changed since keep their later state')
    .addHelpText('after', '\nExamples:\n  $ custdb imports undo 3\n  $ custdb imports undo 3 --yes --json\n  $ custdb imports undo 3 --keep-later-changes --yes')
    .action((batch: string, options: { keepLaterChanges?: boolean }) =>
      run((ctx) =>
        withStore(ctx, async (store) => {
          const id = parseBatchId(batch);
          const found = await getBatch(store, id);
          if (!found) throw new NotFoundError(`There is no import batch ${batch}.`, { hint: 'See "custdb imports list".' });
          if (found.status === 'committed' && !(await confirmChange(ctx, `Undo batch ${id} (${found.file_name}: ${formatCount(found.inserted)} inserted, ${formatCount(found.updated)} updated)?`))) {
            return 1;
          }
          const result = await undoImport(store, id, ctx.actor, { keepLaterChanges: options.keepLaterChanges === true });
          if (ctx.json) writeJson(ctx, result);
          else if (result.status === 'already-undone') writeResult(ctx, `Batch ${id} was already undone; nothing changed.`);
          else if (result.status === 'refused')
            writeResult(
              ctx,
              result.erased
                ? [`Cannot undo batch ${id}: it touched customers who were erased since, and undoing it would bring them back. Nothing changed.`, ...result.blockers.map((b) => `  - ${b}`)].join('\n')
                : [
                    `Cannot undo batch ${id}: later changes depend on it. Nothing changed.`,
                    ...result.blockers.map((b) => `  - ${b}`),
                    `To undo everything else and keep these later changes: custdb imports undo ${id} --keep-later-changes`,
                  ].join('\n'),
            );
          else {
            const lines = [
              `Undid batch ${id}: removed ${formatCount(result.removedCustomers)} customers, ${formatCount(result.removedOrders)} orders and ${formatCount(result.removedInteractions)} interactions; ` +
                `restored ${formatCount(result.restoredFields)} fields and ${formatCount(result.restoredAttributes)} attributes; removed ${formatCount(result.removedIdentities)} identities and ${formatCount(result.removedTags)} tags.`,
            ];
            if (result.status === 'partly-undone') {
              lines.push(`Kept ${formatCount(result.keptCustomers)} customers and ${formatCount(result.keptFields)} fields as later changes left them:`, ...result.blockers.map((b) => `  - ${b}`));
            }
            writeResult(ctx, lines.join('\n'));
          }
          return result.status === 'refused' ? 1 : 0;
        }),
      ),
    );
}

function parseBatchId(text: string): number {
  if (!/^\d+$/.test(text)) throw new UsageError(`"${text}" is not a batch number.`, { hint: 'See "custdb imports list" for batch numbers.' });
  return Number(text);
}

function describeBatch(batch: ImportBatch) {
  const { mapping_json, summary_json, ...rest } = batch;
  return { ...rest, mapping: JSON.parse(mapping_json) as { column: string; target: string }[], summary: JSON.parse(summary_json) as unknown };
}
