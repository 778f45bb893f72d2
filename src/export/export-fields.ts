import { UnknownFieldError } from '../errors.js';
import { didYouMean } from '../filter/suggest-closest.js';
import { CUSTOMER_FIELDS } from '../model/customer-fields.js';
import { ATTRIBUTE_PREFIX, SCALAR_QUERY_FIELDS } from '../model/query-fields.js';

/** Columns every customer export starts with, whatever --fields says. */
export const ALWAYS_EXPORTED = ['id', 'external_ids'] as const;

/**
 * Fields exported by default: every stored canonical one (full_name is derived, so only on request), then
 * the customer's orders count and total spent, as Shopify's customer export carries them (import ignores
 * them again: they are computed from orders).
 */
export const DEFAULT_EXPORT_FIELDS = [...CUSTOMER_FIELDS.filter((f) => f !== 'external_id' && f !== 'full_name'), 'orders_count', 'total_spent'];

/** Columns the customers snapshot reads itself; any other field (computed ones, timestamps) is read through a query. */
const SNAPSHOT_FIELDS = new Set<string>([...ALWAYS_EXPORTED, ...CUSTOMER_FIELDS, 'orders_count', 'total_spent']);

/** Whether these columns need the per-customer field query rather than the snapshot (see exportCustomers). */
export function needsFieldQuery(columns: readonly string[]): boolean {
  return columns.some((column) => !SNAPSHOT_FIELDS.has(column) && !column.startsWith(ATTRIBUTE_PREFIX));
}

/**
 * Decides the export's columns: `id`, `external_ids`, then the requested
 * fields (default: every canonical field, orders_count and total_spent, and
 * every custom attribute as `attr.<name>`). Any query field may be asked for
 * (see src/model/query-fields.ts). Throws UnknownFieldError naming the valid fields.
 */
export function chooseExportColumns(requested: readonly string[] | undefined, attributeNames: readonly string[]): string[] {
  const attributes = attributeNames.map((name) => `attr.${name}`);
  if (requested === undefined || requested.length === 0) return [...ALWAYS_EXPORTED, ...DEFAULT_EXPORT_FIELDS, ...attributes];
  const valid = new Set<string>([...SNAPSHOT_FIELDS, ...SCALAR_QUERY_FIELDS.map((f) => f.name)]);
  const unknown = requested.filter((f) => !valid.has(f) && !f.startsWith(ATTRIBUTE_PREFIX));
  if (unknown.length > 0) {
    const guess = unknown.length === 1 ? didYouMean(unknown[0]!, [...valid]) : '';
    throw new UnknownFieldError(`Unknown field${unknown.length > 1 ? 's' : ''} for --fields: ${unknown.join(', ')}${guess}.`, {
      hint: `Fields: ${[...valid].join(', ')}, or attr.NAME for a custom field${attributeNames.length > 0 ? ` (${attributes.slice(0, 8).join(', ')}${attributes.length > 8 ? ', …' : ''})` : ''}.`,
    });
  }
  const rest = requested.filter((f) => !(ALWAYS_EXPORTED as readonly string[]).includes(f));
  return [...ALWAYS_EXPORTED, ...new Set(rest)];
}
