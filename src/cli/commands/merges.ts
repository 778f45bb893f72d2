import type { Command } from 'commander';
import { NotFoundError, UsageError } from '../../errors.js';
import { listMerges } from '../../merge/list-merges.js';
import { undoMerge } from '../../merge/undo-merge.js';
import type { RunAction } from '../program.js';
import { writeJson, writeResult } from '../render/output.js';
import { renderTable } from '../render/table.js';
import { formatCount } from '../render/format-count.js';
import { withStore, confirmChange } from '../command-helpers.js';

export function registerMerges(program: Command, run: RunAction): void {
  const merges = program
    .command('merges')
    .description('List merges of duplicate customers and undo them.')
    .addHelpText(
      'after',
      `
Examples:
  $ custdb merges list
  $ custdb merges undo 4
  $ custdb merges undo 4 --yes --json`,
    );

  merges
    .command('list')
    .description('List merges, newest first: who was merged into whom, how sure, and whether it was undone.')
    .addHelpText('after', '\nExamples:\n  $ custdb merges list\n  $ custdb merges list --json')
    .action(() =>
      run((ctx) =>
        withStore(ctx, async (store) => {
          const all = await listMerges(store);
          if (ctx.json) writeJson(ctx, { merges: all });
          else if (all.length === 0) writeResult(ctx, 'No merges yet.');
          else
            writeResult(
              ctx,
              renderTable(
                ['merge', 'when', 'kept', 'merged', 'sure', 'fields taken', 'by', 'status'],
                all.map((m) => [
                  String(m.id),
                  m.createdAt.slice(0, 16).replace('T', ' '),
                  `#${m.survivorId}`,
                  `#${m.mergedId}`,
                  m.probability === null ? '' : m.probability >= 0.9995 && m.probability < 1 ? '>99.9%' : `${(m.probability * 100).toFixed(1)}%`,
                  m.fieldsChanged.filter((f) => !/_(norm|e164|at|source)$/.test(f)).join(', '),
                  m.actor ?? '',
                  m.status === 'undone' ? `undone ${m.undoneAt?.slice(0, 10) ?? ''}` : 'merged',
                ]),
                ctx,
                { droppable: ['by'], wrappable: ['fields taken', 'when', 'status'] },
              ),
            );
          return 0;
        }),
      ),
    );

  merges
    .command('undo')
    .description('Undo a merge: both customers come back exactly as they were, with their orders and interactions. Refuses when a later change depends on it.')
    .argument('<merge>', 'merge number (see merges list)')
    .addHelpText('after', '\nExamples:\n  $ custdb merges undo 4\n  $ custdb merges undo 4 --yes --json')
    .action((merge: string) =>
      run((ctx) =>
        withStore(ctx, async (store) => {
          if (!/^\d+$/.test(merge)) throw new UsageError(`"${merge}" is not a merge number.`, { hint: 'See "custdb merges list" for merge numbers.' });
          const id = Number(merge);
          const found = await store.db.selectFrom('merges').selectAll().where('id', '=', id).executeTakeFirst();
          if (!found) throw new NotFoundError(`There is no merge ${merge}.`, { hint: 'See "custdb merges list".' });
          if (found.undone_at === null && !(await confirmChange(ctx, `Undo merge ${id} (separate customer ${found.merged_id} from ${found.survivor_id} again)?`))) {
            return 1;
          }
          const result = await undoMerge(store, id, ctx.actor);
          if (ctx.json) writeJson(ctx, result);
          else if (result.status === 'already-undone') writeResult(ctx, `Merge ${id} was already undone; nothing changed.`);
          else if (result.status === 'refused')
            writeResult(ctx, [`Cannot undo merge ${id}: later changes depend on it. Nothing changed.`, ...result.blockers.map((b) => `  - ${b}`)].join('\n'));
          else
            writeResult(
              ctx,
              `Undid merge ${id}: customers ${result.survivorId} and ${result.mergedId} are separate again as they were; moved back ${formatCount(result.ordersMovedBack)} orders and ${formatCount(result.interactionsMovedBack)} interactions.`,
            );
          return result.status === 'refused' ? 1 : 0;
        }),
      ),
    );
}

