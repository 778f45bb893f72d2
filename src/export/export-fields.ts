import { UnknownFieldError } from '../errors.js';
import { CUSTOMER_FIELDS } from '../model/customer-fields.js';

/** Columns every customer export starts with, whatever --fields says. */
export const ALWAYS_EXPORTED = ['id', 'external_ids'] as const;

/**
 * Fields exported by default: every stored canonical one (full_name is derived, so only on request), then
 * the customer's orders count and total spent, as Shopify's customer export carries them (import ignores
 * them again: they are computed from orders).
 */
export const DEFAULT_EXPORT_FIELDS = [...CUSTOMER_FIELDS.filter((f) => f !== 'external_id' && f !== 'full_name'), 'orders_count', 'total_spent'];

/**
 * Decides the export's columns: `id`, `external_ids`, then the requested
 * fields (default: every canonical field and every custom attribute as
 * `attr.<name>`). Throws UnknownFieldError naming the valid fields.
 */
export function chooseExportColumns(requested: readonly string[] | undefined, attributeNames: readonly string[]): string[] {
  const attributes = attributeNames.map((name) => `attr.${name}`);
  if (requested === undefined || requested.length === 0) return [...ALWAYS_EXPORTED, ...DEFAULT_EXPORT_FIELDS, ...attributes];
  const valid = new Set<string>([...ALWAYS_EXPORTED, ...CUSTOMER_FIELDS, 'orders_count', 'total_spent']);
  const unknown = requested.filter((f) => !valid.has(f) && !f.startsWith('attr.'));
  if (unknown.length > 0) {
    throw new UnknownFieldError(`Unknown field${unknown.length > 1 ? 's' : ''} for --fields: ${unknown.join(', ')}.`, {
      hint: `Fields: ${[...valid].join(', ')}, or attr.NAME for a custom field${attributeNames.length > 0 ? ` (${attributes.slice(0, 8).join(', ')}${attributes.length > 8 ? ', …' : ''})` : ''}.`,
    });
  }
  const rest = requested.filter((f) => !(ALWAYS_EXPORTED as readonly string[]).includes(f));
  return [...ALWAYS_EXPORTED, ...new Set(rest)];
}
