import { Option, type Command } from 'commander';
import type { Store } from '../../db/store.js';
import { explainCustomerPair } from '../../dedupe-run/explain-customer-pair.js';
import { DEFAULT_MATCH_THRESHOLD, DEFAULT_MERGE_THRESHOLD, findCustomerDuplicates, type CustomerDuplicates } from '../../dedupe-run/find-customer-duplicates.js';
import { listDuplicateGroups } from '../../dedupe-run/list-duplicate-groups.js';
import { loadCustomerCards, readGroupCards } from '../../dedupe-run/load-customer-cards.js';
import { orderForReview } from '../../dedupe-run/order-for-review.js';
import { recordDistinct } from '../../dedupe-run/record-distinct.js';
import { UsageError } from '../../errors.js';
import type { AppliedMerge } from '../../merge/apply-merge-plan.js';
import { mergeCluster, mergeClusters, previewClusterMerge, previewClusterMerges } from '../../merge/merge-cluster.js';
import type { CommandContext } from '../context.js';
import type { RunAction } from '../program.js';
import { writeDedupeCsv } from '../render/dedupe-csv.js';
import { explanationJson, renderExplanation } from '../render/dedupe-explain.js';
import { writeDedupeJson } from '../render/dedupe-json.js';
import { renderMergePlan, renderMergesDone } from '../render/dedupe-merge.js';
import { renderReviewGroup } from '../render/dedupe-review.js';
import { describeFound, describeLeftOut, renderDedupeTable } from '../render/dedupe-table.js';
import { countOf, roundTo } from '../render/numbers.js';
import { formatCount } from '../render/format-count.js';
import { writeJson, writeNote, writeResult } from '../render/output.js';
import { terminalWidth } from '../render/terminal-width.js';
import { wrapText } from '../render/text-layout.js';
import { withStore, confirmChange } from '../command-helpers.js';

interface DedupeFlags {
  review?: boolean;
  merge?: boolean;
  threshold?: string;
  explain?: string[];
  format: 'table' | 'csv' | 'json';
  limit?: string;
}

/** Groups the table shows unless --limit says otherwise: the most certain, which are the ones worth a look first. */
const TABLE_LIMIT = 50;
/** Customers per table when a long list is shown whole: one table of every row overflowed the stack, and cli-table3 slows as a table grows. */
const TABLE_PAGE_IDS = 1000;

export function registerDedupe(program: Command, run: RunAction): void {
  program
    .command('dedupe')
    .description(
      'Find customers entered more than once and list them in groups, with how sure the match is and why. Changes nothing unless --review or --merge.',
    )
    .option('--review', 'go through the groups in the terminal, most certain first, and decide: merge / not the same / skip / quit')
    .option('--merge', `merge every group at or above --threshold (default ${DEFAULT_MERGE_THRESHOLD} for --merge); previews and asks first`)
    .option('--threshold <P>', `match probability a pair needs, 0–1 or a percentage (default ${DEFAULT_MATCH_THRESHOLD}; ${DEFAULT_MERGE_THRESHOLD} with --merge)`)
    .option('--explain <ids...>', 'explain field by field how two customers compare, e.g. --explain 12 40')
    .addOption(new Option('--format <format>', 'output format of the list').choices(['table', 'csv', 'json']).default('table'))
    .option('--limit <N>', `list only the N most certain groups in the table or CSV; 0 lists all (default: ${TABLE_LIMIT} in the table, all in CSV)`)
    .addHelpText(
      'after',
      `
Examples:
  $ custdb dedupe
  $ custdb dedupe --limit 10
  $ custdb dedupe --format csv > duplicates.csv
  $ custdb dedupe --format json > duplicates.json
  $ custdb dedupe --explain 12 40
  $ custdb dedupe --review
  $ custdb dedupe --merge --threshold 0.995 --yes

The table shows the ${TABLE_LIMIT} most certain groups and says how many it left out; CSV and JSON list every
group (written as they are produced, so any number fits). Pairs marked "not the same person" in --review are
never proposed again. Every merge can be undone with "custdb merges undo ID". Exit codes: 0 done (duplicates
found or not), 1 merge declined, 2 could not run (bad option, unknown customer, no terminal for --review,
--merge without a terminal or --yes).`,
    )
    .action((flags: DedupeFlags) =>
      run(async (ctx) => {
        const modes = [flags.review, flags.merge, flags.explain !== undefined].filter(Boolean).length;
        if (modes > 1) throw new UsageError('Use one of --review, --merge and --explain at a time.', { hint: 'Run "custdb dedupe --help".' });
        const explainIds = flags.explain === undefined ? undefined : parseExplainIds(flags.explain);
        const threshold = flags.threshold === undefined ? undefined : parseThreshold(flags.threshold);
        const format = ctx.json ? 'json' : flags.format;
        const limit = flags.limit === undefined ? undefined : parseLimit(flags.limit, format);
        if (flags.review && !ctx.interactive) {
          throw new UsageError('dedupe --review asks questions, and there is no terminal to ask in.', {
            hint: 'Run it in a terminal (without --json), or list with "custdb dedupe --format json" and merge with "custdb dedupe --merge --yes".',
          });
        }
        return withStore(ctx, async (store) => {
          if (explainIds) return explain(ctx, store, explainIds[0], explainIds[1]);
          if (flags.merge) return mergeAboveThreshold(ctx, store, threshold ?? DEFAULT_MERGE_THRESHOLD);
          const found = await findCustomerDuplicates(store, { threshold: threshold ?? DEFAULT_MATCH_THRESHOLD });
          if (flags.review) return review(ctx, store, found);
          await list(ctx, store, found, format, limit);
          return 0;
        });
      }),
    );
}

function parseThreshold(text: string): number {
  const percent = text.trim().endsWith('%');
  const value = Number(percent ? text.trim().slice(0, -1) : text) / (percent ? 100 : 1);
  if (!Number.isFinite(value) || value <= 0 || value >= 1) {
    throw new UsageError(`--threshold ${text} is not a probability between 0 and 1.`, { hint: 'Use e.g. --threshold 0.95 or --threshold 95%.' });
  }
  return value;
}

function parseExplainIds(values: string[]): [number, number] {
  if (values.length !== 2 || values.some((v) => !/^\d+$/.test(v))) {
    throw new UsageError(`--explain needs two customer ids, got "${values.join(' ')}".`, { hint: 'Use e.g. custdb dedupe --explain 12 40' });
  }
  return [Number(values[0]), Number(values[1])];
}

/** --limit as a count of groups (0: all). The JSON document always holds every group, so its shape never depends on a flag. */
function parseLimit(text: string, format: DedupeFlags['format']): number {
  if (!/^\d+$/.test(text.trim())) throw new UsageError(`--limit ${text} is not a number of groups.`, { hint: 'Use e.g. --limit 10, or --limit 0 for all.' });
  if (format === 'json') throw new UsageError('--limit shortens the table and the CSV; the JSON document always lists every group.', { hint: 'Leave out --limit, or use --format csv.' });
  return Number(text);
}

async function list(ctx: CommandContext, store: Store, found: CustomerDuplicates, format: DedupeFlags['format'], limit: number | undefined): Promise<void> {
  if (format === 'json') return writeDedupeJson(ctx.io.stdout, found);
  const groups = listDuplicateGroups(found);
  const wanted = limit ?? (format === 'table' ? TABLE_LIMIT : 0);
  const shown = wanted === 0 ? groups : groups.slice(0, wanted);
  if (format === 'csv') {
    await writeDedupeCsv(ctx.io.stdout, readGroupCards(store, shown));
    return;
  }
  const noteWidth = terminalWidth(ctx, 'stderr');
  writeNote(ctx, wrapText(describeFound(found), noteWidth).join('\n'));
  const width = terminalWidth(ctx, 'stdout');
  for await (const page of readGroupCards(store, shown, TABLE_PAGE_IDS)) writeResult(ctx, renderDedupeTable(page, width, ctx));
  if (shown.length < groups.length) writeResult(ctx, describeLeftOut(shown.length, groups.length, width));
  const next = 'Nothing changed. Next: "custdb dedupe --review" to decide group by group, "custdb dedupe --explain ID ID" for the reasons.';
  if (groups.length > 0) writeNote(ctx, wrapText(next, noteWidth).join('\n'));
}

async function explain(ctx: CommandContext, store: Store, a: number, b: number): Promise<number> {
  if (a === b) throw new UsageError(`--explain needs two different customers, got ${a} twice.`);
  const found = await explainCustomerPair(store, a, b);
  if (ctx.json) writeJson(ctx, explanationJson(found));
  else writeResult(ctx, renderExplanation(found, ctx));
  return 0;
}

async function mergeAboveThreshold(ctx: CommandContext, store: Store, threshold: number): Promise<number> {
  const found = await findCustomerDuplicates(store, { threshold });
  const clusters = found.clusters.filter((c) => c.probability >= threshold);
  if (clusters.length === 0) {
    if (ctx.json) writeJson(ctx, { threshold, status: 'nothing-to-merge', merges: [] });
    else writeResult(ctx, `No duplicates at or above ${threshold} among ${countOf(found.customers, 'customer')}; nothing to merge.`);
    return 0;
  }
  const previews = await previewClusterMerges(store, clusters.map((c) => c.ids));
  if (!ctx.json) writeNote(ctx, renderMergePlan(threshold, clusters, previews));
  const merging = clusters.reduce((n, c) => n + c.ids.length - 1, 0);
  if (!(await confirmChange(ctx, `Merge ${countOf(merging, 'customer')} into ${formatCount(clusters.length)} (${countOf(clusters.length, 'group')})?`))) return 1;
  const done: { survivorId: number; mergedIds: number[]; mergeIds: number[]; probability: number; applied: AppliedMerge[] }[] = [];
  const record = (applied: AppliedMerge[][]) => {
    for (const merges of applied) {
      const cluster = clusters[done.length]!;
      const survivorId = cluster.ids.reduce((a, b) => Math.min(a, b));
      done.push({ survivorId, mergedIds: merges.map((m) => m.mergedId), mergeIds: merges.map((m) => m.mergeId), probability: roundTo(cluster.probability, 6), applied: merges });
    }
  };
  try {
    await mergeClusters(store, clusters, { actor: ctx.actor, command: 'dedupe --merge' }, record);
  } catch (error) {
    // Groups are committed a few hundred at a time: say which stay merged before the error is reported.
    if (done.length > 0) writeNote(ctx, describeMergedBeforeError(done.length, clusters.length, done.flatMap((d) => d.mergeIds)));
    throw error;
  }
  if (ctx.json) writeJson(ctx, { threshold, status: 'merged', merges: done });
  else writeResult(ctx, renderMergesDone(done));
  return 0;
}

/** What stays merged when a later transaction of `dedupe --merge` fails: its own groups were rolled back whole. */
function describeMergedBeforeError(merged: number, total: number, mergeIds: readonly number[]): string {
  const span = mergeIds.length === 1 ? `merge ${mergeIds[0]}` : `merges ${mergeIds[0]}–${mergeIds[mergeIds.length - 1]}`;
  return `${formatCount(merged)} of ${countOf(total, 'group')} were merged before the error and stay merged (${span}; "custdb merges undo ID" takes back any one); the other ${formatCount(total - merged)} were not changed.`;
}

async function review(ctx: CommandContext, store: Store, found: CustomerDuplicates): Promise<number> {
  const { askReviewDecision } = await import('../prompts.js');
  const items = orderForReview(found);
  const counts = { merged: 0, distinct: 0, skipped: 0 };
  const err = ctx.io.stderr;
  if (items.length === 0) {
    writeResult(ctx, `No duplicates to review among ${countOf(found.customers, 'customer')} (threshold ${found.threshold}).`);
    return 0;
  }
  err.write(`${countOf(items.length, 'group')} to review, most certain first${items.some((i) => i.flagged) ? ' (flagged at import first)' : ''}. Each answer is saved at once; quit any time and run again to go on.\n`);
  const width = terminalWidth(ctx, 'stderr');
  let quit = false;
  for (const [k, item] of items.entries()) {
    const cards = await loadCustomerCards(store, item.ids);
    // An earlier answer in this session may have merged one of them away.
    if (item.ids.some((id) => cards.get(id)?.status !== 'active')) continue;
    const preview = await previewClusterMerge(store, item.ids);
    err.write(`\n${renderReviewGroup({ number: k + 1, total: items.length }, item, cards, preview, width, ctx)}\n`);
    let answer;
    try {
      answer = await askReviewDecision(ctx.io, `Group ${k + 1} of ${items.length}: are these the same person?`, item.ids.length);
    } catch (error) {
      if (error instanceof Error && error.name === 'ExitPromptError') answer = 'quit' as const;
      else throw error;
    }
    if (answer === 'quit') {
      quit = true;
      break;
    }
    if (answer === 'merge') {
      const applied = await mergeCluster(store, item.ids, { actor: ctx.actor, probability: item.probability, command: 'dedupe --review' });
      counts.merged += 1;
      err.write(`${ctx.paint.green('Merged')} ${applied.map((m) => `#${m.mergedId}`).join(', ')} into #${preview.survivorId} (merge ${applied.map((m) => m.mergeId).join(', ')}).\n`);
    } else if (answer === 'distinct') {
      await recordDistinct(store, item.ids, ctx.actor);
      counts.distinct += 1;
      err.write(`Noted: ${item.ids.map((id) => `#${id}`).join(', ')} are not the same person; they will not be proposed again.\n`);
    } else {
      counts.skipped += 1;
    }
  }
  const left = items.length - counts.merged - counts.distinct;
  writeResult(
    ctx,
    `${quit ? 'Stopped' : 'Done'}: ${counts.merged} merged, ${counts.distinct} not the same, ${counts.skipped} skipped` +
      (left > 0 ? `; ${countOf(left, 'group')} left for next time ("custdb dedupe --review").` : '.'),
  );
  return 0;
}
