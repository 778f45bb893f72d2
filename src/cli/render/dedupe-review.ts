import type { CustomerCard } from '../../dedupe-run/load-customer-cards.js';
import type { ReviewItem } from '../../dedupe-run/order-for-review.js';
import type { CustomerRow } from '../../merge/customer-snapshot.js';
import type { ClusterPreview } from '../../merge/merge-cluster.js';
import type { CommandContext } from '../context.js';
import { topReasons } from './dedupe-words.js';
import { formatPercent } from './numbers.js';
import { formatCount } from './format-count.js';
import { renderTable } from './table.js';
import { clip } from './text-layout.js';

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

export interface ReviewPosition {
  number: number;
  total: number;
}

/**
 * One group of `dedupe --review`, fitted to `width` columns: the members side
 * by side with differing fields marked ≠, the customer the merge would leave,
 * and the strongest reasons.
 */
export function renderReviewGroup(at: ReviewPosition, item: ReviewItem, cards: Map<number, CustomerCard>, preview: ClusterPreview, width: number, ctx: CommandContext): string {
  const paint = ctx.paint;
  const head = [' ', 'field', ...item.ids.map((id) => (id === preview.survivorId ? `#${id} (kept)` : `#${id}`)), 'after merge'];
  const rows: string[][] = [];
  const after = preview.result;
  // The marker and field columns take about 22 characters, each value column 3 more than its text.
  const cellWidth = Math.max(12, Math.floor((width - 22) / (item.ids.length + 1)) - 3);
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
      ...values.map((v) => (differ ? paint.yellow(clip(v ?? '', cellWidth)) : clip(v ?? '', cellWidth))),
      clip(merged ?? '', cellWidth),
    ]);
  }
  const strongest = item.pairs[0];
  const why = strongest ? topReasons(strongest.reasons, 4).map((r) => r.text) : [];
  const title = `${paint.bold(`Group ${formatCount(at.number)} of ${formatCount(at.total)}`)} — ${formatPercent(item.probability)} likely the same person${item.flagged ? `; flagged at import: ${item.flagged}` : ''}`;
  return [title, renderTable(head, rows, ctx), `why: ${why.join('; ')}`].join('\n');
}
