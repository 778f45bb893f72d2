import type { Command } from 'commander';
import { answerCellText } from '../../export/write-customer-answer.js';
import { countCustomers, queryCustomers, type CustomerAnswerRow } from '../../query/query-customers.js';
import { readAsOf } from '../../query/read-as-of.js';
import { addSegment, editSegment, findSegment, listSegments, removeSegment } from '../../segments/saved-segments.js';
import { withStore } from '../command-helpers.js';
import type { RunAction } from '../program.js';
import { formatCount } from '../render/format-count.js';
import { writeJson, writeNote, writeResult } from '../render/output.js';
import { renderTable } from '../render/table.js';
import { FILTER_HELP } from './query.js';

/** Customers `segment show` lists as a sample. */
const SAMPLE = 10;

const customers = (n: number) => `${formatCount(n)} customer${n === 1 ? '' : 's'}`;

export function registerSegment(program: Command, run: RunAction): void {
  const segment = program
    .command('segment')
    .description('Save filters as named segments ("vip", "lapsing"), evaluated whenever they are used: in query, export and other segments.')
    .addHelpText(
      'after',
      `
Examples:
  $ custdb segment add vip --where 'total_spent >= 1000 or tags contains "vip"' --description "Thank-you list"
  $ custdb segment add lapsing-vip --where 'in segment "vip" and days_since_last_order > 90'
  $ custdb segment list
  $ custdb segment count vip
  $ custdb export segment:vip -o vip.csv
${FILTER_HELP}`,
    );

  segment
    .command('add')
    .description('Save a segment; its filter is checked first.')
    .argument('<name>', 'segment name: letters, digits, spaces, . - _')
    .requiredOption('--where <filter>', 'which customers belong to it')
    .option('--description <text>', 'what the segment is for')
    .option('--as-of <date>', 'count the members as of this day (YYYY-MM-DD)')
    .action((name: string, flags: { where: string; description?: string; asOf?: string }) =>
      run((ctx) =>
        withStore(ctx, async (store) => {
          const saved = await addSegment(store, { name, where: flags.where, description: flags.description ?? null }, ctx.actor);
          const size = await countCustomers(store, { segment: saved.name, asOf: readAsOf(flags.asOf) });
          if (ctx.json) writeJson(ctx, { segment: saved, customers: size });
          else writeResult(ctx, `Saved segment "${saved.name}": ${customers(size)} now.`);
          return 0;
        }),
      ),
    );

  segment
    .command('list')
    .description('List saved segments with how many customers each holds now.')
    .option('--as-of <date>', 'count as of this day (YYYY-MM-DD)')
    .action((flags: { asOf?: string }) =>
      run((ctx) =>
        withStore(ctx, async (store) => {
          const asOf = readAsOf(flags.asOf);
          const all = await listSegments(store.db);
          const sized = [];
          for (const saved of all) sized.push({ ...saved, customers: await countCustomers(store, { segment: saved.name, asOf }) });
          if (ctx.json) writeJson(ctx, { asOf, segments: sized });
          else if (sized.length === 0) writeResult(ctx, 'No segments yet. Save one with: custdb segment add NAME --where EXPR');
          else
            writeResult(
              ctx,
              renderTable(
                ['segment', 'customers', 'description', 'filter'],
                sized.map((s) => [s.name, formatCount(s.customers), s.description ?? '', s.where]),
                ctx,
                { droppable: ['description'], wrappable: ['description', 'filter'] },
              ),
            );
          return 0;
        }),
      ),
    );

  segment
    .command('show')
    .description('Show a segment: its filter, description, size and a sample of its customers.')
    .argument('<name>', 'segment name')
    .option('--as-of <date>', 'as of this day (YYYY-MM-DD)')
    .action((name: string, flags: { asOf?: string }) =>
      run((ctx) =>
        withStore(ctx, async (store) => {
          const asOf = readAsOf(flags.asOf);
          const saved = await findSegment(store.db, name);
          const size = await countCustomers(store, { segment: saved.name, asOf, onNote: (note) => writeNote(ctx, note) });
          const answer = await queryCustomers(store, { segment: saved.name, asOf, limit: SAMPLE });
          const sample: CustomerAnswerRow[] = [];
          for await (const row of answer.rows) sample.push(row);
          if (ctx.json) {
            writeJson(ctx, { segment: saved, asOf, customers: size, sample });
            return 0;
          }
          const lines = [`segment  ${saved.name}`, `filter   ${saved.where}`];
          if (saved.description) lines.push(`about    ${saved.description}`);
          lines.push(`size     ${customers(size)} as of ${asOf}`, `changed  ${saved.updatedAt.slice(0, 16).replace('T', ' ')}`);
          writeResult(ctx, lines.join('\n'));
          if (sample.length > 0) {
            const head = answer.columns.map((c) => c.name);
            writeResult(ctx, renderTable(head, sample.map((row) => answer.columns.map((c) => answerCellText(c, row[c.name]) ?? '')), ctx, { wrappable: head.filter((h) => h !== 'id') }));
            if (size > sample.length) writeNote(ctx, `First ${sample.length} shown; custdb query --segment "${saved.name}" lists them all.`);
          }
          return 0;
        }),
      ),
    );

  segment
    .command('count')
    .description('Print how many customers a segment holds.')
    .argument('<name>', 'segment name')
    .option('--as-of <date>', 'as of this day (YYYY-MM-DD)')
    .action((name: string, flags: { asOf?: string }) =>
      run((ctx) =>
        withStore(ctx, async (store) => {
          const asOf = readAsOf(flags.asOf);
          const saved = await findSegment(store.db, name);
          const size = await countCustomers(store, { segment: saved.name, asOf, onNote: (note) => writeNote(ctx, note) });
          writeResult(ctx, ctx.json ? JSON.stringify({ segment: saved.name, asOf, customers: size }) : String(size));
          return 0;
        }),
      ),
    );

  segment
    .command('edit')
    .description("Change a segment's filter, description or name (checked as when added).")
    .argument('<name>', 'segment name')
    .option('--where <filter>', 'the new filter')
    .option('--description <text>', 'the new description ("" to clear it)')
    .option('--rename <new-name>', 'a new name')
    .action((name: string, flags: { where?: string; description?: string; rename?: string }) =>
      run((ctx) =>
        withStore(ctx, async (store) => {
          const change = {
            ...(flags.where === undefined ? {} : { where: flags.where }),
            ...(flags.description === undefined ? {} : { description: flags.description === '' ? null : flags.description }),
            ...(flags.rename === undefined ? {} : { rename: flags.rename }),
          };
          const saved = await editSegment(store, name, change, ctx.actor);
          if (ctx.json) writeJson(ctx, { segment: saved });
          else writeResult(ctx, `Segment "${saved.name}" saved: ${saved.where}`);
          return 0;
        }),
      ),
    );

  segment
    .command('rm')
    .description('Remove a saved segment (its customers are not touched). Refused while another segment uses it.')
    .argument('<name>', 'segment name')
    .action((name: string) =>
      run((ctx) =>
        withStore(ctx, async (store) => {
          const removed = await removeSegment(store, name, ctx.actor);
          if (ctx.json) writeJson(ctx, { removed });
          else writeResult(ctx, `Removed segment "${removed.name}" (it was: ${removed.where}).`);
          return 0;
        }),
      ),
    );
}
