import type { Command } from 'commander';
import { UsageError } from '../../errors.js';
import { applyPurge, planPurge } from '../../privacy/purge-inactive.js';
import { readAsOf } from '../../query/read-as-of.js';
import { getSetting } from '../../setup/settings.js';
import { confirmChange, readDuration, withStore } from '../command-helpers.js';
import type { RunAction } from '../program.js';
import { describeErasureCounts } from '../render/erasure-counts.js';
import { formatCount } from '../render/format-count.js';
import { writeJson, writeNote, writeResult } from '../render/output.js';
import { warnLogKept } from './privacy.js';

/** Due customers listed by id before asking; the rest are counted. */
const LISTED = 20;

export function registerPurge(program: Command, run: RunAction): void {
  program
    .command('purge')
    .description(
      'Retention: erase, as "privacy forget" does, every customer with no order, interaction or change for a given time (their orders stay for the books, anonymised). Shows who is due first; cannot be undone.',
    )
    .option('--inactive-for <period>', 'how long without activity: 3y, 18m or 90d (default: the "retention" setting)')
    .option('--as-of <date>', 'count back from this day instead of today (YYYY-MM-DD)')
    .option('--dry-run', 'only show who is due; change nothing')
    .addHelpText(
      'after',
      `
Examples:
  $ custdb purge --inactive-for 3y --dry-run
  $ custdb config set retention 3y && custdb purge            # asks first
  $ custdb purge --inactive-for 3y --yes --json               # cron

A customer is due when nothing happened to them on or after the cut-off day (the as-of day less
the period): no order, no interaction, no recorded change (import update, edit, merge), and they
signed up (else were added to custdb) before it.
Exit codes: 0 erased, or nobody due, or a dry run; 1 you said no; 2 could not run (no period,
a bad period or date, no terminal to ask in without --yes, a role that may not erase).`,
    )
    .action((flags: { inactiveFor?: string; asOf?: string; dryRun?: boolean }) =>
      run((ctx) =>
        withStore(ctx, async (store) => {
          const typed = flags.inactiveFor ?? (await getSetting(store, 'retention'));
          if (typed === undefined) {
            throw new UsageError('How long without activity makes a customer due?', { hint: 'Give --inactive-for 3y (or 18m, 90d), or set it once: custdb config set retention 3y.' });
          }
          const plan = await planPurge(store, readDuration(flags.inactiveFor === undefined ? 'retention' : '--inactive-for', typed), readAsOf(flags.asOf));
          const due = plan.customers.length;
          const heading = `${formatCount(due)} customer${due === 1 ? '' : 's'} with no order, interaction or change since ${plan.cutoff} (inactive for ${plan.inactiveFor} as of ${plan.asOf})`;
          const report = (status: 'nobody-due' | 'dry-run' | 'erased' | 'declined', erasedOn?: string) =>
            writeJson(ctx, { status, asOf: plan.asOf, inactiveFor: plan.inactiveFor, cutoff: plan.cutoff, erasedOn: erasedOn ?? null, customers: plan.customers, counts: plan.counts ?? null });
          if (plan.counts === undefined) {
            if (ctx.json) report('nobody-due');
            else writeResult(ctx, `Nobody is due: no active customer has gone without an order, interaction or change since ${plan.cutoff} (inactive for ${plan.inactiveFor} as of ${plan.asOf}).`);
            return 0;
          }
          const listed = plan.customers.slice(0, LISTED).map((c) => `  customer ${c.id}: last activity ${c.lastActivity.slice(0, 10)}`);
          if (due > LISTED) listed.push(`  … and ${formatCount(due - LISTED)} more`);
          const preview = [`${heading}:`, ...listed, 'Erasing them removes:', ...describeErasureCounts(plan.counts)].join('\n');
          if (flags.dryRun) {
            if (ctx.json) report('dry-run');
            else writeResult(ctx, `${preview}\nDry run: nothing changed.`);
            return 0;
          }
          if (!ctx.json) writeNote(ctx, preview);
          if (!(await confirmChange(ctx, `Erase these ${formatCount(due)} customers for good (this cannot be undone)?`))) {
            if (ctx.json) report('declined');
            return 1;
          }
          const done = await applyPurge(store, plan, ctx.actor);
          if (!done.logEmptied) warnLogKept(ctx, store.location);
          if (ctx.json) report('erased', done.erasedOn);
          else writeResult(ctx, `Erased ${formatCount(due)} customers on ${done.erasedOn}; ${formatCount(done.counts?.ordersKept ?? 0)} of their orders kept anonymised. This cannot be undone.`);
          return 0;
        }),
      ),
    );
}
