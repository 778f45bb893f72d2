import { z } from 'zod';

/**
 * Value transforms a mapping can attach to a column. Plain data (JSON-serialisable,
 * saved with a mapping), interpreted only by `applyTransform`.
 *
 * - `strip-apostrophe`: drop one leading `'` (Shopify/Square protect ids, phones, zips from Excel).
 * - `invert-boolean`: yes↔no for opt-out columns (Salesforce `HasOptedOutOfEmail`); answers `true`/`false`.
 * - `map-values`: look the trimmed, lower-cased value up in `values`; unknown values kept (or emptied).
 * - `split-list`: split on any of `separators`, trim, drop empties, optionally drop a `strip-prefix`
 *   (Google's `* ` on primary labels) and `drop` items (Google's `myContacts` system group).
 * - `quoted-list`: Mailchimp TAGS cells: `"VIP","Blog"` → [VIP, Blog].
 */
export const TransformSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('strip-apostrophe') }),
  z.object({ kind: z.literal('invert-boolean') }),
  z.object({
    kind: z.literal('map-values'),
    values: z.record(z.string(), z.string()),
    otherwise: z.enum(['keep', 'empty']).optional(),
  }),
  z.object({
    kind: z.literal('split-list'),
    separators: z.array(z.string().min(1)).min(1),
    stripPrefix: z.string().optional(),
    drop: z.array(z.string()).optional(),
  }),
  z.object({ kind: z.literal('quoted-list') }),
]);

export type Transform = z.infer<typeof TransformSchema>;

/** Transforms whose result is a list of values rather than one value. */
export function isListTransform(transform: Transform | undefined): boolean {
  return transform?.kind === 'split-list' || transform?.kind === 'quoted-list';
}

const TRUE_WORDS = new Set(['true', 'yes', 'y', '1', 'x', 'on', 'ja', 'oui', 'si', 'sí', 'wahr', 'checked']);
const FALSE_WORDS = new Set(['false', 'no', 'n', '0', 'off', 'nein', 'non', 'falsch', 'unchecked']);

/**
 * Applies one transform to a raw cell. List transforms return `string[]` (never
 * containing empty strings), the others return a string. Never throws: a value a
 * transform does not understand comes back unchanged for the normaliser to judge.
 * @example applyTransform({ kind: 'strip-apostrophe' }, "'04616") // "04616"
 */
export function applyTransform(transform: Transform, value: string): string | string[] {
  switch (transform.kind) {
    case 'strip-apostrophe':
      return value.startsWith("'") ? value.slice(1) : value;
    case 'invert-boolean': {
      const word = value.trim().toLowerCase();
      if (TRUE_WORDS.has(word)) return 'false';
      if (FALSE_WORDS.has(word)) return 'true';
      return value;
    }
    case 'map-values': {
      const mapped = transform.values[value.trim().toLowerCase()];
      if (mapped !== undefined) return mapped;
      return transform.otherwise === 'empty' ? '' : value;
    }
    case 'split-list':
      return splitList(value, transform.separators, transform.stripPrefix, transform.drop);
    case 'quoted-list':
      return parseQuotedList(value);
  }
}

function splitList(value: string, separators: readonly string[], stripPrefix?: string, drop?: readonly string[]): string[] {
  let parts = [value];
  for (const separator of separators) if (value.includes(separator)) parts = parts.flatMap((part) => part.split(separator));
  const dropped = drop === undefined || drop.length === 0 ? undefined : new Set(drop.map((item) => item.toLowerCase()));
  const items: string[] = [];
  for (const part of parts) {
    let item = part.trim();
    if (stripPrefix !== undefined && item.startsWith(stripPrefix)) item = item.slice(stripPrefix.length).trim();
    if (item !== '' && !dropped?.has(item.toLowerCase())) items.push(item);
  }
  return items;
}

/**
 * Mailchimp writes tags as `"VIP","Blog"` inside the (CSV-unquoted) cell. Items
 * are quoted strings with `""` escapes, separated by commas; a cell that is not
 * in that form is read as a plain comma list.
 */
function parseQuotedList(value: string): string[] {
  const text = value.trim();
  if (!text.startsWith('"')) return splitList(text, [',']);
  const items: string[] = [];
  let position = 0;
  while (position < text.length) {
    while (position < text.length && (text[position] === ',' || text[position] === ' ')) position += 1;
    if (position >= text.length) break;
    if (text[position] !== '"') {
      const end = text.indexOf(',', position);
      const item = text.slice(position, end === -1 ? text.length : end).trim();
      if (item !== '') items.push(item);
      position = end === -1 ? text.length : end;
      continue;
    }
    position += 1;
    let item = '';
    while (position < text.length) {
      const char = text[position];
      if (char === '"' && text[position + 1] === '"') {
        item += '"';
        position += 2;
      } else if (char === '"') {
        position += 1;
        break;
      } else {
        item += char;
        position += 1;
      }
    }
    const trimmed = item.trim();
    if (trimmed !== '') items.push(trimmed);
  }
  return items;
}
