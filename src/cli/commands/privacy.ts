import type { Command } from 'commander';
import { openExportTarget } from '../../export/open-export-target.js';
import { exportSubjectData } from '../../privacy/export-subject-data.js';
import { forgetCustomer, previewForget } from '../../privacy/forget-customer.js';
import { confirmChange, withStore } from '../command-helpers.js';
import type { RunAction } from '../program.js';
import { describeErasureCounts } from '../render/erasure-counts.js';
import { summarizeSubjectData } from '../render/subject-data-summary.js';
import { formatCount } from '../render/format-count.js';
import { writeJson, writeNote, writeResult, writeWarning } from '../render/output.js';
import type { CommandContext } from '../context.js';
import { resolveWho, WHO_HELP } from './show.js';

export function registerPrivacy(program: Command, run: RunAction): Command {
  const privacy = program
    .command('privacy')
    .description("Answer people's requests about their data: what is held about them (export), and erasure that sticks (forget).")
    .addHelpText(
      'after',
      `
Examples:
  $ custdb privacy export jane@example.com -o jane.json
  $ custdb privacy forget jane@example.com
  $ custdb privacy forget shopify:1001 --yes --json`,
    );

  privacy
    .command('export')
    .description(
      'Everything custdb holds about one person, as one JSON document to send as the answer to a subject-access request: profile, ids per source, consent with its history, tags, custom fields, orders with items, interactions, merges, segments, import batches and audit entries about them.',
    )
    .argument('<who>', WHO_HELP)
    .option('-o, --output <file>', 'write the JSON document to FILE (readable by you only) instead of stdout')
    .addHelpText(
      'after',
      `
Examples:
  $ custdb privacy export jane@example.com -o jane.json
  $ custdb privacy export shopify:1001 | less

A merged-away id is followed to the customer it was merged into; the merged records are included.
A summary goes to stderr (or stdout with -o). Exit codes: 0 exported; 1 no such customer, or several
match (listed: run again with the id); 2 could not run (no database, FILE cannot be written).`,
    )
    .action((who: string, flags: { output?: string }) =>
      run((ctx) =>
        withStore(ctx, async (store) => {
          const resolved = await resolveWho(ctx, store, who);
          if (resolved === null) return 1;
          for (const merge of resolved.followed) writeNote(ctx, `note: customer ${merge.id} was merged into customer ${merge.mergedInto}; exporting that whole person.`);
          const data = await exportSubjectData(store, resolved.id);
          const target = await openExportTarget(flags.output, flags.output === undefined ? ctx.io.stdout : undefined);
          try {
            await target.write(`${JSON.stringify(data, null, 2)}\n`);
            await target.complete();
          } catch (error) {
            target.abandon();
            throw error;
          }
          const summary = summarizeSubjectData(data, flags.output);
          if (flags.output === undefined) writeNote(ctx, summary);
          else if (ctx.json) writeJson(ctx, { file: flags.output, customerId: data.customer_id, records: data.records });
          else writeResult(ctx, summary);
          return 0;
        }),
      ),
    );

  privacy
    .command('forget')
    .description(
      'Erase one person for good: every personal value about them goes, everywhere custdb keeps it (history, merges, import details included); their orders stay for the books, anonymised; their identifiers are kept only as keyed hashes, so no later import brings them back. Cannot be undone.',
    )
    .argument('<who>', WHO_HELP)
    .addHelpText(
      'after',
      `
Examples:
  $ custdb privacy forget jane@example.com          # shows what goes, then asks
  $ custdb privacy forget 42 --yes --json           # scripts: no question

A merged-away id is followed to the customer it was merged into: the whole person goes.
Exit codes: 0 erased; 1 no such customer, several match, already erased, or you said no;
2 could not run (no terminal to ask in without --yes, no database, a role that may not erase).`,
    )
    .action((who: string) =>
      run((ctx) =>
        withStore(ctx, async (store) => {
          const resolved = await resolveWho(ctx, store, who);
          if (resolved === null) return 1;
          for (const merge of resolved.followed) writeNote(ctx, `note: customer ${merge.id} was merged into customer ${merge.mergedInto}; forgetting that whole person.`);
          const plan = await previewForget(store, resolved.id);
          if (!ctx.json) writeNote(ctx, [`Forgetting customer ${resolved.id} removes:`, ...describeErasureCounts(plan.counts)].join('\n'));
          if (!(await confirmChange(ctx, `Erase customer ${resolved.id} for good (this cannot be undone)?`))) return 1;
          const result = await forgetCustomer(store, resolved.id, ctx.actor);
          if (!result.logEmptied) warnLogKept(ctx, store.location);
          if (ctx.json) writeJson(ctx, { customerId: resolved.id, followedMerges: resolved.followed, erasedOn: result.erasedOn, records: result.people[0]?.records ?? [], counts: result.counts });
          else writeResult(ctx, `Erased customer ${resolved.id} on ${result.erasedOn}; ${formatCount(result.counts.suppressions)} identifiers suppressed, ${formatCount(result.counts.ordersKept)} orders kept anonymised. This cannot be undone.`);
          return 0;
        }),
      ),
    );

  return privacy;
}

/** Another process's open read kept SQLite's write-ahead log, which still holds the erased pages as they were. */
export function warnLogKept(ctx: CommandContext, file: string): void {
  writeWarning(
    ctx,
    `another process is reading ${file}: the erased values are gone from the database, but older copies of its pages stay in ${file}-wal until that read ends and a custdb command is the last to close the database (SQLite then folds the log into the file and removes it).`,
  );
}
