/**
 * The fields a filter (`--where`), `query --fields`, `--sort` and exports can
 * name, with their types: one catalogue for the filter language
 * (src/filter/), the per-customer field query (src/db/customer-fields-query.ts)
 * and the commands. Every scalar field is one column of that query, under
 * the same name; the set-valued fields are answered by the filter compiler
 * from their own tables.
 *
 * Money is in major units (orders store minor units: cents). Timestamps are
 * UTC ISO strings, dates 'YYYY-MM-DD' (see src/db/tables.ts).
 */
export type QueryFieldType = 'integer' | 'number' | 'text' | 'date' | 'timestamp' | 'consent';

export interface QueryField {
  readonly name: string;
  readonly type: QueryFieldType;
  /** Computed from orders and interactions (not stored on the customer row). */
  readonly computed: boolean;
  readonly description: string;
}

function field(name: string, type: QueryFieldType, description: string, computed = false): QueryField {
  return { name, type, computed, description };
}

/**
 * Predictions of the newest `custdb analytics fit` (customer_predictions): empty for
 * customers who had no counted order by its as-of day. Money in the orders' major units.
 */
export const PREDICTION_QUERY_FIELDS: readonly QueryField[] = [
  field('p_active', 'number', 'probability the customer is still buying (BG/NBD), 0–1', true),
  field('expected_orders_90d', 'number', 'expected purchase days in the next 90 days (BG/NBD)', true),
  field('expected_orders_365d', 'number', 'expected purchase days in the next 365 days (BG/NBD)', true),
  field('predicted_value_12m', 'number', 'expected spend in the next 12 months, undiscounted (BG/NBD × Gamma-Gamma)', true),
  field('clv', 'number', 'customer lifetime value over the fit\'s horizon, discounted monthly (default 12 months at 1%)', true),
];

/** Scalar fields: one value (or empty) per customer. */
export const SCALAR_QUERY_FIELDS: readonly QueryField[] = [
  field('id', 'integer', 'customer id'),
  field('first_name', 'text', 'first name'),
  field('last_name', 'text', 'last name'),
  field('full_name', 'text', 'first and last name'),
  field('email', 'text', 'email address'),
  field('phone', 'text', 'phone number as written'),
  field('company', 'text', 'company'),
  field('job_title', 'text', 'job title'),
  field('address_line1', 'text', 'address, first line'),
  field('address_line2', 'text', 'address, second line'),
  field('city', 'text', 'city'),
  field('region', 'text', 'state, county or region'),
  field('postal_code', 'text', 'postal code'),
  field('country', 'text', 'ISO country code'),
  field('birth_date', 'date', 'date of birth'),
  field('gender', 'text', 'gender'),
  field('occupation', 'text', 'occupation'),
  field('income', 'text', 'income'),
  field('email_consent', 'consent', 'email marketing consent: granted, denied or empty'),
  field('sms_consent', 'consent', 'SMS marketing consent: granted, denied or empty'),
  field('notes', 'text', 'notes'),
  field('signup_date', 'date', 'date the customer signed up'),
  field('created_at', 'timestamp', 'when custdb first stored the customer'),
  field('updated_at', 'timestamp', 'when custdb last changed the customer'),
  field('orders_count', 'integer', 'counted orders (refunded, cancelled, voided and failed left out)', true),
  field('total_spent', 'number', 'sum of counted order totals in the customer\'s currency; empty when mixed', true),
  field('avg_order_value', 'number', 'total_spent / orders_count', true),
  field('currency', 'text', 'the one currency of the customer\'s counted orders; empty when mixed or none', true),
  field('first_order_at', 'timestamp', 'first counted order', true),
  field('last_order_at', 'timestamp', 'latest counted order', true),
  field('days_since_last_order', 'integer', 'whole days from the latest counted order to the as-of date', true),
  field('days_since_signup', 'integer', 'whole days from signup_date to the as-of date', true),
  field('interactions_count', 'integer', 'interactions of every kind', true),
  field('last_interaction_at', 'timestamp', 'latest interaction', true),
  field('rfm_recency', 'integer', 'RFM recency score 1–5 (5: most recent)', true),
  field('rfm_frequency', 'integer', 'RFM frequency score 1–5 (5: most orders)', true),
  field('rfm_monetary', 'integer', 'RFM monetary score 1–5 (5: most spent)', true),
  field('rfm_score', 'text', 'the three RFM digits, e.g. "545"', true),
  field('rfm_segment', 'text', 'named RFM segment, e.g. "Champions"', true),
  ...PREDICTION_QUERY_FIELDS,
];

/**
 * Fields with several values per customer, answered from their own tables:
 * `tags contains "vip"`, `source = "shopify"` (the customer has an identity
 * from that source), `external_id = "123"`, and `attr.<name>` (custom fields,
 * one value each, named with the prefix).
 */
export const SET_QUERY_FIELDS = ['tags', 'source', 'external_id'] as const;
export const ATTRIBUTE_PREFIX = 'attr.';

const BY_NAME = new Map(SCALAR_QUERY_FIELDS.map((f) => [f.name, f]));

export function scalarQueryField(name: string): QueryField | undefined {
  return BY_NAME.get(name);
}

/** Every name a filter may use (for suggestions), `attr.` fields aside. */
export function queryFieldNames(): string[] {
  return [...SCALAR_QUERY_FIELDS.map((f) => f.name), ...SET_QUERY_FIELDS];
}
