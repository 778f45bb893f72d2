import { Option, type Command } from 'commander';
import type { Store } from '../../db/open-store.js';
import {
  DEFAULT_MATCH_THRESHOLD,
  DEFAULT_MERGE_THRESHOLD,
  findCustomerDuplicates,
  type CustomerDuplicates,
  type DuplicateCluster,
  type DuplicatePair,
  type PairReason,
} from '../../dedupe-run/find-customer-duplicates.js';
import { loadCustomerCards, type CustomerCard } from '../../dedupe-run/load-customer-cards.js';
import { recordDistinct } from '../../dedupe-run/record-distinct.js';
import { formatCsvLine } from '../../csv/format-csv-line.js';
import { NotFoundError, UsageError } from '../../errors.js';
import type { CustomerRow } from '../../merge/customer-snapshot.js';
import { mergeCluster, previewClusterMerge, type ClusterPreview } from '../../merge/merge-cluster.js';
import type { CommandContext } from '../context.js';
import type { RunAction } from '../program.js';
import { writeJson, writeNote, writeResult } from '../render/output.js';
import { renderTable } from '../render/table.js';
import { withStore, confirmChange } from '../command-helpers.js';

interface DedupeFlags {
  review?: boolean;
  merge?: boolean;
  threshold?: string;
  explain?: string[];
  format: 'table' | 'csv' | 'json';
}

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
    .addHelpText(
      'after',
      `
Examples:
  $ custdb dedupe
  $ custdb dedupe --format json > duplicates.json
  $ custdb dedupe --explain 12 40
  $ custdb dedupe --review
  $ custdb dedupe --merge --threshold 0.995 --yes

Pairs marked "not the same person" in --review are never proposed again. Every merge can be undone
with "custdb merges undo ID". Exit codes: 0 done (duplicates found or not), 1 merge declined,
2 could not run (bad option, unknown customer, no terminal for --review, --merge without a terminal or --yes).`,
    )
    .action((flags: DedupeFlags) =>
      run(async (ctx) => {
        const modes = [flags.review, flags.merge, flags.explain !== undefined].filter(Boolean).length;
        if (modes > 1) throw new UsageError('Use one of --review, --merge and --explain at a time.', { hint: 'Run "custdb dedupe --help".' });
        const explainIds = flags.explain === undefined ? undefined : parseExplainIds(flags.explain);
        const threshold = flags.threshold === undefined ? undefined : parseThreshold(flags.threshold);
        if (flags.review && !ctx.interactive) {
          throw new UsageError('dedupe --review asks questions, and there is no terminal to ask in.', {
            hint: 'Run it in a terminal (without --json), or list with "custdb dedupe --format json" and merge with "custdb dedupe --merge --yes".',
          });
        }
        return withStore(ctx, async (store) => {
          if (explainIds) return explain(ctx, store, explainIds[0], explainIds[1]);
          if (flags.merge) return mergeAboveThreshold(ctx, store, threshold ?? DEFAULT_MERGE_THRESHOLD);
          const found = findCustomerDuplicates(store, { threshold: threshold ?? DEFAULT_MATCH_THRESHOLD });
          if (flags.review) return review(ctx, store, found);
          await list(ctx, store, found, ctx.json ? 'json' : flags.format);
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

// ---- listing ----

async function list(ctx: CommandContext, store: Store, found: CustomerDuplicates, format: 'table' | 'csv' | 'json'): Promise<void> {
  const ids = found.clusters.flatMap((c) => c.ids).concat(found.possible.flatMap((p) => [p.left, p.right]));
  const cards = await loadCustomerCards(store, ids);
  if (format === 'json') {
    writeJson(ctx, {
      threshold: found.threshold,
      customers: found.customers,
      candidatePairs: found.candidatePairs,
      skippedDistinct: found.skippedDistinct,
      seconds: round(found.seconds, 3),
      clusters: found.clusters.map((c) => c.ids),
      clusterDetails: found.clusters.map((c) => ({ ids: c.ids, probability: round(c.probability, 6), flaggedAtImport: c.flaggedAtImport, survivor: Math.min(...c.ids) })),
      pairs: found.pairs.map(describePair),
    });
    return;
  }
  if (format === 'csv') {
    const header = ['group', 'probability', 'customer_id', 'first_name', 'last_name', 'email', 'phone', 'postal_code', 'city', 'flagged_at_import', 'why'];
    const lines = [formatCsvLine(header, true)];
    const groups: { ids: number[]; probability: number; flagged: boolean; strongest: DuplicatePair | undefined }[] = [
      ...found.clusters.map((c) => ({ ids: c.ids, probability: c.probability, flagged: c.flaggedAtImport, strongest: c.pairs[0] })),
      ...found.possible.map((p) => ({ ids: [p.left, p.right], probability: p.probability, flagged: true, strongest: p })),
    ];
    groups.forEach((g, k) => {
      const why = g.strongest ? topReasons(g.strongest.reasons, 3).map((r) => r.words).join('; ') : '';
      for (const id of g.ids) {
        const c = cards.get(id);
        lines.push(
          formatCsvLine(
            [String(k + 1), g.probability.toFixed(4), String(id), c?.first_name, c?.last_name, c?.email, c?.phone_e164 ?? c?.phone, c?.postal_code, c?.city, g.flagged ? 'yes' : 'no', why],
            true,
          ),
        );
      }
    });
    writeResult(ctx, lines.join('\n'));
    return;
  }
  const rows: string[][] = [];
  found.clusters.forEach((cluster, k) => rows.push(...clusterRows(ctx, String(k + 1), cluster.ids, cluster.probability, cluster.pairs[0], cards)));
  found.possible.forEach((pair, k) => rows.push(...clusterRows(ctx, `${found.clusters.length + k + 1}?`, [pair.left, pair.right], pair.probability, pair, cards)));
  const head = `${found.clusters.length === 0 ? 'No' : found.clusters.length} group${found.clusters.length === 1 ? '' : 's'} of duplicates among ${found.customers.toLocaleString('en-US')} customers (threshold ${found.threshold})`;
  const possible = found.possible.length > 0 ? `, and ${found.possible.length} possible duplicate${found.possible.length === 1 ? '' : 's'} flagged at import (marked ?)` : '';
  writeNote(ctx, `${head}${possible}; ${found.seconds.toFixed(1)} s.`);
  if (rows.length > 0) {
    writeResult(ctx, renderTable(['group', 'sure', 'id', 'name', 'email', 'phone', 'city', 'why'], rows, ctx));
    writeNote(ctx, 'Nothing changed. Next: "custdb dedupe --review" to decide group by group, "custdb dedupe --explain ID ID" for the reasons.');
  }
}

function clusterRows(ctx: CommandContext, label: string, ids: number[], probability: number, strongest: DuplicatePair | undefined, cards: Map<number, CustomerCard>): string[][] {
  const why = strongest ? topReasons(strongest.reasons, 3).map(shortReason) : [];
  return ids.map((id, k) => {
    const c = cards.get(id);
    return [
      k === 0 ? label : '',
      k === 0 ? percent(probability) : '',
      String(id),
      fullName(c),
      c?.email ?? '',
      c?.phone_e164 ?? c?.phone ?? '',
      c?.city ?? '',
      k === 0 ? why.join('\n') : '',
    ].map((cell, column) => (column === 2 && k === 0 ? ctx.paint.bold(cell) : cell));
  });
}

function describePair(pair: DuplicatePair) {
  return {
    left: pair.left,
    right: pair.right,
    probability: round(pair.probability, 6),
    weight: round(pair.weight, 3),
    decision: pair.decision,
    flaggedAtImport: pair.flaggedAtImport,
    reasons: pair.reasons.map((r) => ({ field: r.field, level: r.level, weight: round(r.weight, 3), words: r.words, text: r.text })),
  };
}

// ---- explain ----

async function explain(ctx: CommandContext, store: Store, a: number, b: number): Promise<number> {
  if (a === b) throw new UsageError(`--explain needs two different customers, got ${a} twice.`);
  const cards = await loadCustomerCards(store, [a, b]);
  for (const id of [a, b]) {
    const card = cards.get(id);
    if (!card) throw new NotFoundError(`There is no customer ${id}.`, { hint: 'Find ids with "custdb dedupe" or "custdb export customers".' });
    if (card.status !== 'active') {
      throw new NotFoundError(`Customer ${id} is ${card.status}${card.merged_into === null ? '' : ` into ${card.merged_into}`}; only active customers are compared.`, {
        hint: card.merged_into === null ? undefined : `Explain with ${card.merged_into} instead, or undo the merge ("custdb merges list").`,
      });
    }
  }
  const found = findCustomerDuplicates(store);
  const explanation = found.explain(a, b);
  if (!explanation) throw new NotFoundError(`Customer ${a} or ${b} is not active.`);
  const decision = await store.db
    .selectFrom('dedupe_decisions')
    .selectAll()
    .where('left_id', '=', Math.min(a, b))
    .where('right_id', '=', Math.max(a, b))
    .executeTakeFirst();
  if (ctx.json) {
    writeJson(ctx, {
      left: a,
      right: b,
      probability: round(explanation.probability, 6),
      weight: round(explanation.weight, 3),
      threshold: found.threshold,
      markedDistinct: decision ? { by: decision.actor, at: decision.decided_at } : null,
      prior: { weight: round(explanation.priorWeight, 3), text: explanation.priorText },
      fields: explanation.fields.map((f) => ({ field: f.field, level: f.level, weight: round(f.weight, 3), termFrequencyWeight: round(f.termFrequencyWeight, 3), words: f.words, text: f.text })),
    });
    return 0;
  }
  const verdict =
    decision !== undefined
      ? `marked not the same person by ${decision.actor} on ${decision.decided_at.slice(0, 10)}, so never proposed`
      : explanation.probability >= found.threshold
        ? `proposed as duplicates (threshold ${found.threshold})`
        : `not proposed (below the threshold ${found.threshold})`;
  const lines = [
    `#${a} ${fullName(cards.get(a))} and #${b} ${fullName(cards.get(b))}: ${percent(explanation.probability)} likely the same person — ${verdict}.`,
    '',
    `  ${explanation.priorText}`,
    ...explanation.fields.map((f) => `  ${f.weight > 0.05 ? ctx.paint.green(f.text) : f.weight < -0.05 ? ctx.paint.red(f.text) : ctx.paint.dim(f.text)}`),
    `  = match weight ${signed(explanation.weight)} bits → probability ${explanation.probability.toFixed(4)}`,
  ];
  writeResult(ctx, lines.join('\n'));
  return 0;
}

// ---- merge above a threshold ----

async function mergeAboveThreshold(ctx: CommandContext, store: Store, threshold: number): Promise<number> {
  const found = findCustomerDuplicates(store, { threshold });
  const clusters = found.clusters.filter((c) => c.probability >= threshold);
  if (clusters.length === 0) {
    if (ctx.json) writeJson(ctx, { threshold, status: 'nothing-to-merge', merges: [] });
    else writeResult(ctx, `No duplicates at or above ${threshold} among ${found.customers.toLocaleString('en-US')} customers; nothing to merge.`);
    return 0;
  }
  const previews: ClusterPreview[] = [];
  for (const cluster of clusters) previews.push(await previewClusterMerge(store, cluster.ids));
  if (!ctx.json && !ctx.quiet) {
    const lines = [`Merge plan (threshold ${threshold}):`];
    clusters.forEach((cluster, k) => lines.push(...describePreview(previews[k]!, cluster)));
    ctx.io.stderr.write(`${lines.join('\n')}\n`);
  }
  const merging = clusters.reduce((n, c) => n + c.ids.length - 1, 0);
  if (!(await confirmChange(ctx, `Merge ${merging} customer${merging === 1 ? '' : 's'} into ${clusters.length} (${clusters.length} group${clusters.length === 1 ? '' : 's'})?`))) return 1;
  const done = [];
  for (const cluster of clusters) {
    const applied = await mergeCluster(store, cluster.ids, { actor: ctx.actor, probability: cluster.probability, command: 'dedupe --merge' });
    done.push({ survivorId: Math.min(...cluster.ids), mergedIds: applied.map((m) => m.mergedId), mergeIds: applied.map((m) => m.mergeId), probability: round(cluster.probability, 6), applied });
  }
  if (ctx.json) writeJson(ctx, { threshold, status: 'merged', merges: done });
  else {
    const lines = done.map((d) => `  #${d.survivorId} ← ${d.mergedIds.map((id) => `#${id}`).join(', ')}   (merge ${d.mergeIds.join(', ')})`);
    writeResult(ctx, [`Merged ${merging} customer${merging === 1 ? '' : 's'} into ${done.length}:`, ...lines, 'Undo any of them with "custdb merges undo ID".'].join('\n'));
  }
  return 0;
}

function describePreview(preview: ClusterPreview, cluster: DuplicateCluster): string[] {
  const others = cluster.ids.filter((id) => id !== preview.survivorId);
  const lines = [`  #${preview.survivorId} keeps, absorbing ${others.map((id) => `#${id}`).join(', ')}  (${percent(cluster.probability)} sure)`];
  for (const plan of preview.plans) {
    const changes = plan.fields.filter((f) => f.changes && !f.field.endsWith('_norm') && !f.field.endsWith('_e164') && !f.field.endsWith('_at') && !f.field.endsWith('_source'));
    for (const f of changes) lines.push(`      ${f.field}: ${show(f.value)} from #${plan.mergedId} — ${f.reason}`);
    if (plan.addTags.length > 0) lines.push(`      tags: + ${plan.addTags.join(', ')}`);
    for (const a of plan.attributes) lines.push(`      attr.${a.name}: ${show(a.value)} — ${a.reason}`);
    if (plan.identities.length > 0) lines.push(`      identities: + ${plan.identities.map((i) => `${i.source}:${i.externalId}`).join(', ')}`);
  }
  return lines;
}
// ---- review ----

interface ReviewItem {
  ids: number[];
  probability: number;
  pairs: DuplicatePair[];
  flagged: string | null;
}

/** Orders what --review shows: possible duplicates flagged at import first, then the rest; most certain first within each. */
export function reviewOrder(found: CustomerDuplicates): ReviewItem[] {
  const items: ReviewItem[] = [
    ...found.clusters.map((c) => ({ ids: c.ids, probability: c.probability, pairs: c.pairs, flagged: c.pairs.find((p) => p.flaggedAtImport !== null)?.flaggedAtImport ?? null })),
    ...found.possible.map((p) => ({ ids: [p.left, p.right], probability: p.probability, pairs: [p], flagged: p.flaggedAtImport })),
  ];
  return items.sort((x, y) => Number(y.flagged !== null) - Number(x.flagged !== null) || y.probability - x.probability || (x.ids[0] ?? 0) - (y.ids[0] ?? 0));
}

async function review(ctx: CommandContext, store: Store, found: CustomerDuplicates): Promise<number> {
  const { askReviewDecision } = await import('../prompts.js');
  const items = reviewOrder(found);
  const counts = { merged: 0, distinct: 0, skipped: 0 };
  const err = ctx.io.stderr;
  if (items.length === 0) {
    writeResult(ctx, `No duplicates to review among ${found.customers.toLocaleString('en-US')} customers (threshold ${found.threshold}).`);
    return 0;
  }
  err.write(`${items.length} group${items.length === 1 ? '' : 's'} to review, most certain first${items.some((i) => i.flagged) ? ' (flagged at import first)' : ''}. Each answer is saved at once; quit any time and run again to go on.\n`);
  let quit = false;
  for (const [k, item] of items.entries()) {
    const cards = await loadCustomerCards(store, item.ids);
    // An earlier answer in this session may have merged one of them away.
    if (item.ids.some((id) => cards.get(id)?.status !== 'active')) continue;
    const preview = await previewClusterMerge(store, item.ids);
    err.write(`\n${renderGroup(ctx, k + 1, items.length, item, cards, preview)}\n`);
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
      (left > 0 ? `; ${left} group${left === 1 ? '' : 's'} left for next time ("custdb dedupe --review").` : '.'),
  );
  return 0;
}

const REVIEW_FIELDS: { label: string; value: (c: CustomerRow, tags: string[]) => string | null }[] = [
  { label: 'first name', value: (c) => c.first_name },
  { label: 'last name', value: (c) => c.last_name },
  { label: 'email', value: (c) => c.email },
  { label: 'phone', value: (c) => c.phone_e164 ?? c.phone },
  { label: 'birth date', value: (c) => c.birth_date },
  { label: 'company', value: (c) => c.company },
  { label: 'address', value: (c) => c.address_line1 },
  { label: 'address 2', value: (c) => c.address_line2 },
  { label: 'postal code', value: (c) => c.postal_code },
  { label: 'city', value: (c) => c.city },
  { label: 'region', value: (c) => c.region },
  { label: 'country', value: (c) => c.country },
  { label: 'email consent', value: (c) => c.email_consent },
  { label: 'sms consent', value: (c) => c.sms_consent },
  { label: 'tags', value: (_c, tags) => (tags.length > 0 ? tags.join(', ') : null) },
  { label: 'notes', value: (c) => c.notes },
  { label: 'updated', value: (c) => c.updated_at.slice(0, 10) },
];

function renderGroup(ctx: CommandContext, number: number, total: number, item: ReviewItem, cards: Map<number, CustomerCard>, preview: ClusterPreview): string {
  const paint = ctx.paint;
  const head = [' ', 'field', ...item.ids.map((id) => (id === preview.survivorId ? `#${id} (kept)` : `#${id}`)), 'after merge'];
  const rows: string[][] = [];
  const after = preview.result;
  // Fit the terminal: the marker and field columns take about 22 characters, each value column 3 more than its text.
  const columns = (ctx.io.stderr as { columns?: number }).columns ?? 100;
  const width = Math.max(12, Math.floor((columns - 22) / (item.ids.length + 1)) - 3);
  for (const field of REVIEW_FIELDS) {
    const values = item.ids.map((id) => {
      const card = cards.get(id);
      return card ? field.value(card, card.tags) : null;
    });
    const merged = field.value(after.customer, after.tags);
    if (values.every((v) => v === null || v === '') && (merged === null || merged === '')) continue;
    const differ = new Set(values.map((v) => (v ?? '').toLowerCase())).size > 1;
    rows.push([
      differ ? paint.yellow('≠') : '',
      differ ? paint.bold(field.label) : field.label,
      ...values.map((v) => (differ ? paint.yellow(clip(v ?? '', width)) : clip(v ?? '', width))),
      clip(merged ?? '', width),
    ]);
  }
  const strongest = item.pairs[0];
  const why = strongest ? topReasons(strongest.reasons, 4).map((r) => r.text) : [];
  const title = `${paint.bold(`Group ${number} of ${total}`)} — ${percent(item.probability)} likely the same person${item.flagged ? `; flagged at import: ${item.flagged}` : ''}`;
  return [title, renderTable(head, rows, ctx), `why: ${why.join('; ')}`].join('\n');
}

// ---- small formatting helpers ----

/** The n reasons that moved the weight most, leaving out missing fields and repeated words (swapped names count once). */
function topReasons(reasons: PairReason[], n: number): PairReason[] {
  const top: PairReason[] = [];
  const sorted = reasons.filter((r) => r.level !== 'missing').sort((a, b) => Math.abs(b.weight) - Math.abs(a.weight));
  for (const reason of sorted) {
    if (top.length < n && !top.some((r) => r.words === reason.words)) top.push(reason);
  }
  return top;
}

function shortReason(r: PairReason): string {
  return `${r.words} ${signed(r.weight)}`;
}

function fullName(c: CustomerRow | undefined): string {
  return [c?.first_name, c?.last_name].filter((p) => p !== null && p !== undefined && p !== '').join(' ');
}

function percent(p: number): string {
  if (p >= 0.9995 && p < 1) return '>99.9%';
  return `${(p * 100).toFixed(1)}%`;
}

function signed(x: number): string {
  const r = Math.round(x * 10) / 10;
  return r > 0 ? `+${r.toFixed(1)}` : r.toFixed(1);
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

/** One line of at most `width` characters; long text loses its middle, so differing endings (.com / .con) stay visible. */
function clip(text: string, width = 28): string {
  const oneLine = text.replace(/\s*\n\s*/g, ' / ');
  if (oneLine.length <= width) return oneLine;
  const head = Math.ceil((width - 1) / 2);
  return `${oneLine.slice(0, head)}…${oneLine.slice(oneLine.length - (width - 1 - head))}`;
}

function show(value: string | null): string {
  return value === null ? '(empty)' : JSON.stringify(clip(value, 40));
}
