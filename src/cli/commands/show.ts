import type { Command } from 'commander';
import type { Store } from '../../db/store.js';
import { NotFoundError } from '../../errors.js';
import { segmentsOfCustomer } from '../../query/query-customers.js';
import { readAsOf } from '../../query/read-as-of.js';
import { loadCustomerView, RECENT_LIMIT, type CustomerView, type ConsentView } from '../../customers/load-customer-view.js';
import { parseCustomerReference, resolveCustomer, type CustomerMatch, type FollowedMerge } from '../../customers/resolve-customer.js';
import type { CommandContext } from '../context.js';
import type { RunAction } from '../program.js';
import { terminalText, writeJson, writeNote, writeResult } from '../render/output.js';
import { terminalWidth } from '../render/terminal-width.js';
import { formatCount } from '../render/format-count.js';
import { withStore } from '../command-helpers.js';
import { describeConsentChange } from '../render/consent-history.js';

export const WHO_HELP = 'a customer id, email, phone number, source:external_id or full name (e.g. 42, jane@example.com, +14155552671, shopify:1001, "Jane Smith")';

export function registerShow(program: Command, run: RunAction): void {
  program
    .command('show')
    .description(
      `Show everything about one customer: profile, consent, tags, ids per source, custom fields, metrics, the last ${RECENT_LIMIT} orders (with items) and interactions, and possible duplicates.`,
    )
    .argument('<who>', WHO_HELP)
    .addHelpText(
      'after',
      `
Examples:
  $ custdb show 42
  $ custdb show jane@example.com
  $ custdb show shopify:1001 --json
  $ custdb show "jose garcia"          # a full name: case and accents do not matter

A merged customer is shown as the customer it was merged into (with a note).
Exit codes: 0 shown; 1 no customer matches WHO, or several do (an email shared by
a couple, two people with one name: they are listed, run again with the id); 2 could
not run (no database, WHO is none of id, email, phone, source:id or name).`,
    )
    .action((who: string) =>
      run((ctx) =>
        withStore(ctx, async (store) => {
          const resolved = await resolveWho(ctx, store, who);
          if (resolved === null) return 1;
          const view = await loadCustomerView(store, resolved.id, { segmentsOf: (db, id) => segmentsOfCustomer(db, id, readAsOf(undefined)) });
          if (ctx.json) {
            writeJson(ctx, { query: who, followed_merges: resolved.followed.map(describeFollowed), ...view });
            return 0;
          }
          for (const merge of resolved.followed) writeNote(ctx, `note: customer ${merge.id} was merged into customer ${merge.mergedInto}${merge.mergedAt ? ` on ${day(merge.mergedAt)}` : ''}; showing the survivor.`);
          writeResult(ctx, renderCustomerView(view, terminalWidth(ctx, 'stdout'), ctx));
          return 0;
        }),
      ),
    );
}
/**
 * Resolves a WHO argument to one customer. Nobody → throws NotFoundError (exit 1);
 * several → lists them (stdout, or one JSON document) and returns null, so the command exits 1.
 */
/** Consent changes `show` lists under the consent line, the latest. */
const CONSENT_CHANGES_SHOWN = 3;

export async function resolveWho(ctx: CommandContext, store: Store, who: string): Promise<{ id: number; followed: FollowedMerge[] } | null> {
  const defaultCountry = (await store.db.selectFrom('settings').select('value').where('key', '=', 'default-country').executeTakeFirst())?.value ?? null;
  const resolution = await resolveCustomer(store, parseCustomerReference(who, defaultCountry));
  if (resolution.kind === 'none') {
    throw new NotFoundError(`No customer matches ${who}.`, { hint: 'Search by id, email, phone, source:external_id or full name; "custdb export customers" lists everyone.', exitCode: 1 });
  }
  if (resolution.kind === 'ambiguous') {
    if (ctx.json) writeJson(ctx, { query: who, ambiguous: true, matches: resolution.matches });
    else {
      ctx.io.stderr.write(`custdb: ${resolution.matches.length} customers match ${terminalText(ctx, who)}; give the id of the one you mean (e.g. custdb show ${resolution.matches[0]?.id ?? 'ID'}):\n`);
      writeResult(ctx, resolution.matches.map((m) => `  ${describeMatch(m)}`).join('\n'));
    }
    return null;
  }
  return { id: resolution.id, followed: resolution.followed };
}

function describeMatch(m: CustomerMatch): string {
  const name = [m.first_name, m.last_name].filter(Boolean).join(' ') || '(no name)';
  return [`${m.id}`.padStart(6), name, m.email ?? '', m.phone ?? '', m.city ?? '', m.status === 'active' ? '' : `(${m.status})`].filter((p) => p !== '').join('  ');
}

function describeFollowed(f: FollowedMerge) {
  return { id: f.id, merged_into: f.mergedInto, merged_at: f.mergedAt };
}


/** The text form of the 360° view, fitted to `width` columns. */
export function renderCustomerView(view: CustomerView, width: number, ctx: CommandContext): string {
  const c = view.customer;
  const lines: string[] = [];
  // Values are made inert before they are measured, so the escapes that show a control character count too.
  const fit = (text: string) => {
    const shown = terminalText(ctx, text);
    return shown.length > width ? `${shown.slice(0, width - 1)}…` : shown;
  };
  const field = (label: string, value: string | null | undefined) => {
    if (value !== null && value !== undefined && value !== '') lines.push(fit(`  ${`${label} `.padEnd(11)}${value.replace(/\s*\n\s*/g, ' ⏎ ')}`));
  };
  const heading = (text: string) => lines.push('', ctx.paint.bold(text));

  const name = [c.first_name, c.last_name].filter(Boolean).join(' ') || '(no name)';
  lines.push(ctx.paint.bold(fit(`Customer ${c.id} — ${name}${c.status === 'active' ? '' : ` (${c.status})`}`)));
  if (view.merged_from.length > 0) lines.push(fit(`  merged from customers ${view.merged_from.map((m) => m.id).join(', ')}`));
  field('email', c.email === null ? null : `${c.email}${c.email_norm === null ? '  (invalid)' : ''}`);
  field('phone', c.phone === null ? null : `${c.phone}${c.phone_e164 === null ? '  (not a valid number)' : ''}`);
  field('company', [c.company, c.job_title].filter(Boolean).join(', '));
  field('address', [c.address_line1, c.address_line2, c.city, [c.region, c.postal_code].filter(Boolean).join(' '), c.country].filter(Boolean).join(', '));
  field('born', c.birth_date);
  field('gender', c.gender);
  field('occupation', c.occupation);
  field('income', c.income);
  field('signed up', c.signup_date);
  field('consent', `email ${describeConsent(view.consent.email)}; sms ${describeConsent(view.consent.sms)}`);
  // The latest changes; custdb privacy consent ID lists them all.
  const changes = view.consent.history.filter((e) => e.previous !== null);
  for (const entry of changes.slice(-CONSENT_CHANGES_SHOWN)) field('', describeConsentChange(entry));
  if (changes.length > CONSENT_CHANGES_SHOWN) field('', `… ${changes.length - CONSENT_CHANGES_SHOWN} earlier (custdb privacy consent ${c.id})`);
  field('tags', view.tags.join(', ') || '—');
  for (const [source, ids] of Object.entries(view.identities)) field(`id ${source}`, ids.join(', '));
  Object.entries(view.attributes).forEach(([attribute, value], index) => field(index === 0 ? 'custom' : '', `${attribute}: ${value}`));
  field('notes', c.notes);
  field('record', `created ${minute(c.created_at)}, updated ${minute(c.updated_at)}`);

  const m = view.metrics;
  heading('Metrics');
  if (m.orders_count === 0) lines.push(view.orders.total === 0 ? '  no orders' : `  no paid orders (${formatCount(view.orders.total)} refunded, cancelled or failed, not counted)`);
  else {
    const spent = m.mixed_currencies
      ? `spent ${(m.spend_by_currency ?? []).map((s) => money(s.total_minor, s.currency)).join(' + ')} (mixed currencies, not summed)`
      : `spent ${money(m.total_spent_minor, m.currency)} · average ${money(m.avg_order_value_minor, m.currency)}`;
    const uncounted = view.orders.total - m.orders_count;
    lines.push(fit(`  orders ${formatCount(m.orders_count)}${uncounted > 0 ? ` (not counted: ${formatCount(uncounted)} refunded, cancelled or failed)` : ''}`));
    lines.push(fit(`  ${spent}`));
    lines.push(fit(`  first order ${day(m.first_order_at)} · last order ${day(m.last_order_at)} (${m.days_since_last_order} days ago)`));
  }
  lines.push(fit(`  interactions ${formatCount(m.interactions_count)}${m.last_interaction_at ? ` · last ${day(m.last_interaction_at)}` : ''}`));
  if (view.segments !== null) lines.push(fit(`  segments ${view.segments.join(', ') || '—'}`));

  heading(view.orders.total > view.orders.recent.length ? `Orders (last ${view.orders.recent.length} of ${formatCount(view.orders.total)})` : `Orders (${formatCount(view.orders.total)})`);
  if (view.orders.total === 0) lines.push('  none');
  for (const order of view.orders.recent) {
    // Amounts end two columns short of the edge, order totals and item amounts aligned.
    lines.push(alignRight(`  ${day(order.ordered_at)}  ${`${order.source}:${order.external_id}`.padEnd(18)} ${order.status}`, money(order.total_minor, order.currency), width));
    for (const item of order.items) {
      const amount = item.total_minor ?? (item.unit_price_minor === null ? null : Math.round(item.unit_price_minor * item.quantity));
      const label = `      ${formatQuantity(item.quantity)} × ${item.name}${item.sku ? ` (${item.sku})` : ''}`;
      lines.push(alignRight(label, amount === null ? '' : money(amount, order.currency), width));
    }
  }
  const olderOrders = view.orders.total - view.orders.recent.length;
  if (olderOrders > 0) lines.push(`  … and ${formatCount(olderOrders)} earlier order${olderOrders === 1 ? '' : 's'}`);

  heading(view.interactions.total > view.interactions.recent.length ? `Interactions (last ${view.interactions.recent.length} of ${formatCount(view.interactions.total)})` : `Interactions (${formatCount(view.interactions.total)})`);
  if (view.interactions.total === 0) lines.push('  none');
  for (const interaction of view.interactions.recent) {
    const via = [interaction.kind, interaction.channel && interaction.channel !== interaction.kind ? `by ${interaction.channel}` : null].filter(Boolean).join(' ');
    const outcome = [interaction.outcome ? `→ ${interaction.outcome}` : null, interaction.staff ? `(${interaction.staff})` : null].filter(Boolean).join(' ');
    lines.push(fit(`  ${day(interaction.occurred_at)}  ${via}${outcome ? `  ${outcome}` : ''}`));
    if (interaction.summary) lines.push(fit(`      ${interaction.summary.replace(/\s*\n\s*/g, ' ')}`));
  }
  const olderInteractions = view.interactions.total - view.interactions.recent.length;
  if (olderInteractions > 0) lines.push(`  … and ${formatCount(olderInteractions)} earlier interaction${olderInteractions === 1 ? '' : 's'}`);

  if (view.duplicate_suspects.length > 0) {
    heading(`Possible duplicates (${view.duplicate_suspects.length}, not yet reviewed)`);
    for (const s of view.duplicate_suspects) {
      const other = s.other ? [[s.other.first_name, s.other.last_name].filter(Boolean).join(' '), s.other.email, s.other.phone].filter(Boolean).join(', ') : '';
      lines.push(fit(`  customer ${s.other_id}: ${other}`));
      // The reason says why it was flagged, so it is wrapped rather than cut.
      for (const line of wrapWords(s.reason, width - 4)) lines.push(fit(`    ${line}`));
    }
    lines.push(fit(`  Review with: custdb dedupe --review`));
  }
  return lines.join('\n');
}

/** Text broken at spaces into lines of at most `width` characters (a longer word gets a line of its own). */
function wrapWords(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  if (line !== '') lines.push(line);
  return lines;
}

/** `left` then `right` ending two columns short of `width`; `left` is cut with … when both do not fit. */
function alignRight(left: string, right: string, width: number): string {
  const room = width - 2 - right.length - 2;
  const cut = left.length > room ? `${left.slice(0, room - 1)}…` : left.padEnd(room);
  return `${cut}  ${right}`.trimEnd();
}

function describeConsent(consent: ConsentView): string {
  if (consent.state === null) return 'unknown';
  return [consent.state, consent.at ? day(consent.at) : null, consent.source ? `via ${consent.source}` : null].filter(Boolean).join(' ');
}

function day(iso: string | null): string {
  return iso === null ? '—' : iso.slice(0, 10);
}

function minute(iso: string): string {
  return iso.slice(0, 16).replace('T', ' ');
}

function formatQuantity(quantity: number): string {
  return Number.isInteger(quantity) ? String(quantity) : quantity.toFixed(2).replace(/0+$/, '');
}

/** 123456, 'USD' → 'USD 1,234.56'. Minor units are hundredths throughout custdb. */
export function money(minor: number | null, currency: string | null): string {
  if (minor === null) return '—';
  const units = (Math.abs(minor) / 100).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  return `${minor < 0 ? '-' : ''}${currency ? `${currency} ` : ''}${units}`;
}
