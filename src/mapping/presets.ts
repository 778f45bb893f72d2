import type { CustomerField } from '../model/customer-fields.js';
import type { Transform } from './apply-transform.js';
import { parseTarget, type ImportKind, type MultiValue } from './mapping-schema.js';
import { comparableHeader } from './normalize-header.js';
import { GOOGLE_CONTACTS, GOOGLE_CONTACTS_OUTLOOK } from './presets/google.js';
import { HUBSPOT_CONTACTS } from './presets/hubspot.js';
import { MAILCHIMP_CLEANED, MAILCHIMP_SUBSCRIBED, MAILCHIMP_UNSUBSCRIBED } from './presets/mailchimp.js';
import { OUTLOOK_CONTACTS } from './presets/outlook.js';
import { SALESFORCE_CONTACTS } from './presets/salesforce.js';
import { SHOPIFY_CUSTOMERS } from './presets/shopify.js';
import { SQUARE_CUSTOMERS } from './presets/square.js';
import { STRIPE_CUSTOMERS } from './presets/stripe.js';
import { WOOCOMMERCE_CUSTOMERS, WOOCOMMERCE_CUSTOMERS_PLUGIN } from './presets/woocommerce.js';
import { SHOPIFY_ORDERS } from './presets/shopify-orders.js';
import { STRIPE_PAYMENTS } from './presets/stripe-payments.js';
import { WOOCOMMERCE_ORDERS } from './presets/woocommerce-orders.js';

/**
 * One column a preset knows. `headers` are the accepted names (aliases across
 * generations and UI languages), compared with `comparableHeader` (trimmed,
 * case-insensitive, BOM stripped); `{n}` in a header matches a number, and `{n}`
 * in an `attr.` target or `multi.rank` of -1 take that number (Google's growing
 * "E-mail {n} - Value" groups).
 */
export interface PresetColumn {
  headers: readonly string[];
  /** `email`, `attr.NAME` or `ignore`. */
  target: string;
  transform?: Transform;
  multi?: MultiValue;
}

/** A recognisable platform export. Plain data. */
export interface Preset {
  name: string;
  label: string;
  kind: ImportKind;
  source: string;
  /** Each entry must be present: a header of a column (any alias counts), or a list of which any one will do. */
  required: readonly (string | readonly string[])[];
  /** Headers whose presence rules the preset out (the unsubscribed Mailchimp file for the subscribed preset). */
  forbidden?: readonly string[];
  columns: readonly PresetColumn[];
  /** Values every row gets: target (`email_consent`, `attr.NAME`) → value. */
  constants?: Readonly<Record<string, string>>;
}

export const PRESETS: readonly Preset[] = [
  SHOPIFY_CUSTOMERS,
  SQUARE_CUSTOMERS,
  STRIPE_CUSTOMERS,
  MAILCHIMP_SUBSCRIBED,
  MAILCHIMP_UNSUBSCRIBED,
  MAILCHIMP_CLEANED,
  HUBSPOT_CONTACTS,
  WOOCOMMERCE_CUSTOMERS,
  WOOCOMMERCE_CUSTOMERS_PLUGIN,
  GOOGLE_CONTACTS,
  GOOGLE_CONTACTS_OUTLOOK,
  OUTLOOK_CONTACTS,
  SALESFORCE_CONTACTS,
  SHOPIFY_ORDERS,
  STRIPE_PAYMENTS,
  WOOCOMMERCE_ORDERS,
];

/** The preset with this name (case-insensitive), or null. */
export function getPreset(name: string): Preset | null {
  const wanted = name.trim().toLowerCase();
  return PRESETS.find((preset) => preset.name === wanted) ?? null;
}

export interface PresetSummary {
  name: string;
  label: string;
  kind: ImportKind;
  source: string;
  /** Canonical fields the preset fills, in canonical order of first appearance. */
  fields: CustomerField[];
  /** Required headers as written in the preset (alternatives joined with " | "). */
  required: string[];
}

/** Every preset with the fields it maps, for `--list-presets`; never empty. */
export function listPresets(): PresetSummary[] {
  return PRESETS.map((preset) => {
    const fields: CustomerField[] = [];
    const targets = [...preset.columns.map((column) => column.target), ...Object.keys(preset.constants ?? {})];
    for (const text of targets) {
      const target = parseTarget(text);
      if (target?.kind === 'field' && !fields.includes(target.field)) fields.push(target.field);
    }
    return {
      name: preset.name,
      label: preset.label,
      kind: preset.kind,
      source: preset.source,
      fields,
      required: preset.required.map((entry) => (typeof entry === 'string' ? entry : entry.join(' | '))),
    };
  });
}

export interface PresetColumnMatch {
  column: PresetColumn;
  /** Position of the column in `preset.columns`. */
  position: number;
  /** The number a `{n}` alias captured, if any. */
  n: number | null;
}

const PATTERN_CACHE = new Map<string, RegExp>();

function aliasPattern(alias: string): RegExp {
  const cached = PATTERN_CACHE.get(alias);
  if (cached !== undefined) return cached;
  const parts = comparableHeader(alias).split('{n}').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  const pattern = new RegExp(`^${parts.join('(\\d+)')}$`);
  PATTERN_CACHE.set(alias, pattern);
  return pattern;
}

/** The preset column a file header belongs to (by alias, case-insensitively), or null. */
export function matchPresetColumn(preset: Preset, header: string): PresetColumnMatch | null {
  const wanted = comparableHeader(header);
  for (const [position, column] of preset.columns.entries()) {
    for (const alias of column.headers) {
      if (!alias.includes('{n}')) {
        if (comparableHeader(alias) === wanted) return { column, position, n: null };
        continue;
      }
      const found = aliasPattern(alias).exec(wanted);
      if (found?.[1] !== undefined) return { column, position, n: Number(found[1]) };
    }
  }
  return null;
}
