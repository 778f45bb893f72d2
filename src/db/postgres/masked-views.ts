import { MASKED_SCHEMA, quoteIdent, quoteLiteral } from './access-groups.js';

/*
 * What a masked analyst reads instead of custdb's tables: a view of the same
 * name for every table, in MASKED_SCHEMA, found first through the analyst's
 * search_path, so custdb's unqualified queries (Kysely and raw) read them
 * unchanged. A view shows every column; the personal ones go through a mask:
 *
 *   email        jane.obrien@example.com → j***@example.com   (first letter and the domain)
 *   phone        +14155552671            → +1 ••• ••• 2671     (country calling code and the last four digits)
 *   postal code  97205 → 972••, SW1A 1AA → SW1• •••           (at most the first three letters or digits, and never more than half)
 *   birth date   1980-02-01              → 1980-••-••          (the year: ages and cohorts still work)
 *   free text    notes, address lines, interaction summaries and outcomes → •••
 *
 * An empty value stays empty and NULL stays NULL, so "has an email" still
 * counts right. Past values in the change log, merge plans and snapshots,
 * event details and import summaries (JSON naming a field), import warnings
 * about personal fields, and emails quoted in duplicate reasons are masked the
 * same way. A masked column is not an index: an analyst finds customers by id
 * or name, not by email or phone. Custom fields (attr.*) are shown as they are:
 * they are the business's own categories (favourite roast, tier).
 *
 * Every column of every table must be classified below; a unit test
 * (test/unit/db/masked-columns.test.ts) fails on a column a migration adds
 * without a decision, and until it has one a text column is masked whole.
 */

type Mask = 'plain' | 'email' | 'phone' | 'postal_code' | 'birth_date' | 'text' | 'json' | 'emails_in_text' | { sql: string };

const M = (name: string) => `${MASKED_SCHEMA}.${name}`;

/** How each column of each table is shown to a masked analyst. */
export const COLUMN_MASKS: Readonly<Record<string, Readonly<Record<string, Mask>>>> = {
  schema_migrations: { position: 'plain', name: 'plain', applied_at: 'plain' },
  import_batches: {
    id: 'plain', kind: 'plain', source: 'plain', file_name: 'plain', file_sha256: 'plain', status: 'plain', started_at: 'plain',
    finished_at: 'plain', undone_at: 'plain', rows_total: 'plain', inserted: 'plain', updated: 'plain', unchanged: 'plain',
    rejected: 'plain', mapping_json: 'plain', summary_json: 'json', actor: 'plain',
  },
  import_warnings: {
    id: 'plain', batch_id: 'plain', line: 'plain', field: 'plain',
    message: { sql: `CASE WHEN ${M('is_personal_field')}(field) THEN ${M('mask_text')}(message) ELSE message END` },
  },
  customers: {
    id: 'plain', status: 'plain', merged_into: 'plain', first_name: 'plain', last_name: 'plain',
    email: 'email', email_norm: 'email', phone: 'phone', phone_e164: 'phone',
    company: 'plain', job_title: 'plain', address_line1: 'text', address_line2: 'text', city: 'plain', region: 'plain',
    postal_code: 'postal_code', country: 'plain', birth_date: 'birth_date', gender: 'plain', occupation: 'plain', income: 'plain',
    email_consent: 'plain', email_consent_at: 'plain', email_consent_source: 'plain',
    sms_consent: 'plain', sms_consent_at: 'plain', sms_consent_source: 'plain',
    notes: 'text', signup_date: 'plain', created_at: 'plain', updated_at: 'plain', created_batch_id: 'plain',
  },
  customer_identities: { id: 'plain', customer_id: 'plain', source: 'plain', external_id: 'plain', created_at: 'plain', batch_id: 'plain' },
  customer_tags: { customer_id: 'plain', tag: 'plain' },
  customer_attributes: { customer_id: 'plain', name: 'plain', value: 'plain' },
  customer_metrics: {
    customer_id: 'plain', orders_count: 'plain', total_spent_minor: 'plain', currency: 'plain', mixed_currencies: 'plain',
    first_order_at: 'plain', last_order_at: 'plain', interactions_count: 'plain', last_interaction_at: 'plain',
  },
  // Cut points of every customer's values together: no one customer's figures.
  rfm_cut_points: {
    id: 'plain', metrics_version: 'plain', computed_version: 'plain', given_currency: 'plain', main_currency: 'plain',
    r1: 'plain', r2: 'plain', r3: 'plain', r4: 'plain', f1: 'plain', f2: 'plain', f3: 'plain', f4: 'plain',
    m1: 'plain', m2: 'plain', m3: 'plain', m4: 'plain',
  },
  // A customer's scores 1–5: figures about them, no more personal than their metrics.
  rfm_scores: { customer_id: 'plain', r: 'plain', f: 'plain', m: 'plain' },
  // A fit's parameters describe every customer together; a customer's predictions are figures like their metrics.
  model_fits: {
    id: 'plain', fitted_at: 'plain', as_of: 'plain', time_unit: 'plain', horizon_months: 'plain', monthly_discount_rate: 'plain',
    models_json: 'plain', orders_count: 'plain', max_order_id: 'plain', max_order_change_id: 'plain', max_merge_id: 'plain', undone_merges: 'plain',
  },
  customer_predictions: {
    customer_id: 'plain', fit_id: 'plain', p_active: 'plain', expected_orders_90d: 'plain', expected_orders_365d: 'plain',
    predicted_value_12m: 'plain', clv: 'plain',
  },
  products: { id: 'plain', sku: 'plain', name: 'plain', created_at: 'plain' },
  orders: {
    id: 'plain', customer_id: 'plain', source: 'plain', external_id: 'plain', ordered_at: 'plain', status: 'plain', currency: 'plain',
    subtotal_minor: 'plain', discount_minor: 'plain', shipping_minor: 'plain', tax_minor: 'plain', total_minor: 'plain',
    batch_id: 'plain', created_at: 'plain',
  },
  order_items: { id: 'plain', order_id: 'plain', product_id: 'plain', sku: 'plain', name: 'plain', quantity: 'plain', unit_price_minor: 'plain', total_minor: 'plain' },
  interactions: {
    id: 'plain', customer_id: 'plain', occurred_at: 'plain', channel: 'plain', kind: 'plain', summary: 'text', outcome: 'text',
    staff: 'plain', source: 'plain', external_id: 'plain', batch_id: 'plain', created_at: 'plain',
  },
  events: {
    id: 'plain', at: 'plain', actor: 'plain', command: 'plain',
    // A note's summary written before the log was chained (0011) quotes the note ("note on customer 2: Asked for decaf…").
    summary: { sql: `CASE WHEN command = 'customers note' THEN regexp_replace(summary, ': .*$', ': ' || ${M('mask_text')}('x')) ELSE ${M('mask_emails_in_text')}(summary) END` },
    details_json: 'json', db_role: 'plain', prev_hash: 'plain', hash: 'plain',
  },
  // Counts and a hash: nothing personal.
  audit_head: { id: 'plain', unchained_entries: 'plain', chained_entries: 'plain', head_hash: 'plain' },
  merges: {
    id: 'plain', survivor_id: 'plain', merged_id: 'plain', probability: 'plain', plan_json: 'json', snapshot_json: 'json',
    created_at: 'plain', undone_at: 'plain', event_id: 'plain',
  },
  changes: {
    id: 'plain', batch_id: 'plain', merge_id: 'plain', event_id: 'plain', customer_id: 'plain', entity: 'plain', entity_id: 'plain',
    action: 'plain', field: 'plain',
    old_value: { sql: `${M('mask_change')}(field, old_value)` },
    new_value: { sql: `${M('mask_change')}(field, new_value)` },
    at: 'plain',
  },
  dedupe_decisions: { left_id: 'plain', right_id: 'plain', decision: 'plain', decided_at: 'plain', actor: 'plain' },
  duplicate_suspects: { customer_id: 'plain', other_id: 'plain', reason: 'emails_in_text', batch_id: 'plain', created_at: 'plain' },
  segments: { id: 'plain', name: 'plain', where_expr: 'plain', description: 'plain', created_at: 'plain', updated_at: 'plain' },
  // Keyed hashes of erased people's identifiers: no identifier can be read back from them.
  suppressions: { hash: 'plain', kind: 'plain', created_at: 'plain', erased_on: 'plain' },
  // The suppressions' HMAC key: never shown, or the hashes could be tested against guesses.
  suppression_key: { id: 'plain', key: { sql: 'NULL::text' }, created_at: 'plain' },
  saved_mappings: { name: 'plain', kind: 'plain', mapping_json: 'plain', created_at: 'plain', updated_at: 'plain' },
  settings: { key: 'plain', value: 'plain' },
};

/** Field names (in the change log, merge plans, import warnings, JSON) whose values are masked, and how. */
const FIELD_MASKS: Readonly<Record<string, 'email' | 'phone' | 'postal_code' | 'birth_date' | 'text'>> = {
  email: 'email',
  email_norm: 'email',
  phone: 'phone',
  phone_e164: 'phone',
  postal_code: 'postal_code',
  birth_date: 'birth_date',
  address_line1: 'text',
  address_line2: 'text',
  notes: 'text',
  summary: 'text',
  outcome: 'text',
};

/** The bullet the masks write in place of what they hide. */
const HIDDEN = '•••';

/**
 * The mask functions (in MASKED_SCHEMA), one statement each, to run in order;
 * CREATE OR REPLACE, so running them again changes nothing.
 */
export function maskFunctionStatements(): string[] {
  const fieldCases = Object.entries(FIELD_MASKS)
    .map(([field, mask]) => `WHEN ${quoteLiteral(field)} THEN ${M(`mask_${mask}`)}(value)`)
    .join(' ');
  const personal = Object.keys(FIELD_MASKS).map(quoteLiteral).join(', ');
  const hidden = quoteLiteral(HIDDEN);
  // An exception block opens a subtransaction, which a parallel query may not: mask_json is PARALLEL UNSAFE.
  const fn = (signature: string, returns: string, body: string, language = 'sql', parallel = 'SAFE') =>
    `CREATE OR REPLACE FUNCTION ${M(signature)} RETURNS ${returns} LANGUAGE ${language} IMMUTABLE PARALLEL ${parallel} AS $fn$${body}$fn$`;
  return [
    fn('mask_text(value text)', 'text', `SELECT CASE WHEN value IS NULL OR value = '' THEN value ELSE ${hidden} END`),
    fn(
      'mask_email(value text)',
      'text',
      `SELECT CASE WHEN value IS NULL OR value = '' THEN value
        WHEN value ~ '^[^@]+@[^@]*$' THEN left(value, 1) || '***' || substr(value, strpos(value, '@'))
        ELSE '***' END`,
    ),
    // The country calling code by ITU's zones: 1 and 7 are one digit, the two-digit codes are these, the rest have three.
    fn(
      'mask_phone(value text)',
      'text',
      `SELECT CASE WHEN value IS NULL OR value = '' THEN value
        WHEN length(digits) < 7 THEN ${hidden}
        WHEN btrim(value) LIKE '+%' THEN '+' || CASE WHEN digits ~ '^[17]' THEN left(digits, 1)
            WHEN digits ~ '^(2[07]|3[0-469]|4[013-9]|5[1-8]|6[0-6]|8[1246]|9[0-58])' THEN left(digits, 2)
            ELSE left(digits, 3) END || ' ••• ••• ' || right(digits, 4)
        ELSE '••• ••• ' || right(digits, 4) END
        FROM (SELECT regexp_replace(value, '[^0-9]', '', 'g') AS digits) AS d`,
    ),
    fn(
      'mask_postal_code(value text)',
      'text',
      `
DECLARE
  total integer := length(regexp_replace(coalesce(value, ''), '[^[:alnum:]]', '', 'g'));
  keep integer := least(3, ceil(total / 2.0)::integer);
  seen integer := 0;
  result text := '';
  ch text;
BEGIN
  IF value IS NULL OR value = '' THEN RETURN value; END IF;
  FOREACH ch IN ARRAY regexp_split_to_array(value, '') LOOP
    IF ch ~ '[[:alnum:]]' THEN
      seen := seen + 1;
      result := result || CASE WHEN seen <= keep THEN ch ELSE '•' END;
    ELSE
      result := result || ch;
    END IF;
  END LOOP;
  RETURN result;
END`,
      'plpgsql',
    ),
    fn(
      'mask_birth_date(value text)',
      'text',
      `SELECT CASE WHEN value IS NULL OR value = '' THEN value WHEN value ~ '^[0-9]{4}' THEN left(value, 4) || '-••-••' ELSE ${hidden} END`,
    ),
    fn(
      'mask_emails_in_text(value text)',
      'text',
      `SELECT regexp_replace(value, '([^[:space:]()<>/,;:"''])[^[:space:]()<>/,;:"''@]*@', '\\1***@', 'g')`,
    ),
    fn('is_personal_field(field text)', 'boolean', `SELECT coalesce(field IN (${personal}), false)`),
    fn('mask_field(field text, value text)', 'text', `SELECT CASE field ${fieldCases} ELSE value END`),
    // JSON custdb writes (merge plans and snapshots, event details, import summaries): a key naming a personal
    // field has its value masked, and so has the value of an object whose "field" names one ({field, value}).
    fn(
      'mask_jsonb(doc jsonb)',
      'jsonb',
      `
DECLARE
  field text;
  result jsonb;
  item record;
BEGIN
  IF doc IS NULL THEN RETURN NULL; END IF;
  IF jsonb_typeof(doc) = 'array' THEN
    SELECT coalesce(jsonb_agg(${M('mask_jsonb')}(e.value) ORDER BY e.ordinality), '[]'::jsonb) INTO result
      FROM jsonb_array_elements(doc) WITH ORDINALITY AS e(value, ordinality);
    RETURN result;
  END IF;
  IF jsonb_typeof(doc) <> 'object' THEN RETURN doc; END IF;
  IF jsonb_typeof(doc -> 'field') = 'string' AND ${M('is_personal_field')}(doc ->> 'field') THEN field := doc ->> 'field'; END IF;
  result := '{}'::jsonb;
  FOR item IN SELECT key, value FROM jsonb_each(doc) LOOP
    IF jsonb_typeof(item.value) = 'string' AND ${M('is_personal_field')}(item.key) THEN
      result := result || jsonb_build_object(item.key, ${M('mask_field')}(item.key, item.value #>> '{}'));
    ELSIF jsonb_typeof(item.value) = 'string' AND field IS NOT NULL AND item.key IN ('value', 'oldValue', 'newValue', 'old_value', 'new_value', 'before', 'after') THEN
      result := result || jsonb_build_object(item.key, ${M('mask_field')}(field, item.value #>> '{}'));
    ELSIF jsonb_typeof(item.value) = 'string' AND field IS NOT NULL AND item.key = 'message' THEN
      result := result || jsonb_build_object(item.key, ${M('mask_text')}(item.value #>> '{}'));
    ELSE
      result := result || jsonb_build_object(item.key, ${M('mask_jsonb')}(item.value));
    END IF;
  END LOOP;
  RETURN result;
END`,
      'plpgsql',
    ),
    // Text that is not JSON (never written by custdb) is hidden whole rather than failing the analyst's query.
    fn(
      'mask_json(value text)',
      'text',
      `
BEGIN
  IF value IS NULL OR value = '' THEN RETURN value; END IF;
  RETURN ${M('mask_jsonb')}(value::jsonb)::text;
EXCEPTION WHEN invalid_text_representation THEN
  RETURN ${quoteLiteral(HIDDEN)};
END`,
      'plpgsql',
      'UNSAFE',
    ),
    // A change log row without a field holds a whole record as JSON (a customer inserted or deleted).
    fn(
      'mask_change(field text, value text)',
      'text',
      `SELECT CASE WHEN (field IS NULL OR field = '') AND left(ltrim(value), 1) IN ('{', '[') THEN ${M('mask_json')}(value) ELSE ${M('mask_field')}(field, value) END`,
      'sql',
      'UNSAFE',
    ),
    // The views are read-only. Without this trigger a write to a view with masked columns would be refused as
    // "cannot insert into column … of view" (not updatable) before privileges are checked; with it, the server
    // checks privileges first and answers insufficient_privilege (42501) like any other refusal. It never runs
    // for an analyst (who has no write privilege); it refuses a write by anyone else.
    `CREATE OR REPLACE FUNCTION ${M('refuse_write')}() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  RAISE EXCEPTION USING ERRCODE = 'insufficient_privilege', MESSAGE = format('%I.%I is a read-only masked view: write to the table itself', TG_TABLE_SCHEMA, TG_TABLE_NAME);
END$fn$`,
  ];
}

/** One column of one of custdb's tables, as the catalog lists it. */
export interface TableColumn {
  table: string;
  column: string;
  /** The column's type name (text, integer, …). */
  type: string;
}

/**
 * The statements that create the masked view of each table in `dataSchema`
 * (columns in their order), each with its read-only trigger. Views are
 * dropped and created again by the caller whenever a migration may have
 * changed the columns. A column not in COLUMN_MASKS is hidden whole when it is
 * text, and shown otherwise (ids, numbers).
 */
export function maskedViewStatements(dataSchema: string, columns: readonly TableColumn[]): string[] {
  const tables = new Map<string, TableColumn[]>();
  for (const column of columns) tables.set(column.table, [...(tables.get(column.table) ?? []), column]);
  const statements: string[] = [];
  for (const [table, tableColumns] of tables) {
    const view = `${MASKED_SCHEMA}.${quoteIdent(table)}`;
    const select = tableColumns.map((c) => `${maskExpression(c)} AS ${quoteIdent(c.column)}`).join(', ');
    statements.push(`CREATE VIEW ${view} AS SELECT ${select} FROM ${quoteIdent(dataSchema)}.${quoteIdent(table)}`);
    statements.push(`COMMENT ON VIEW ${view} IS ${quoteLiteral(`custdb: ${table} as a masked analyst reads it (personal fields masked)`)}`);
    statements.push(`CREATE TRIGGER refuse_write INSTEAD OF INSERT OR UPDATE OR DELETE ON ${view} FOR EACH ROW EXECUTE FUNCTION ${M('refuse_write')}()`);
  }
  return statements;
}

function maskExpression(column: TableColumn): string {
  const name = quoteIdent(column.column);
  const mask = COLUMN_MASKS[column.table]?.[column.column] ?? (column.type === 'text' ? 'text' : 'plain');
  if (typeof mask === 'object') return mask.sql;
  switch (mask) {
    case 'plain':
      return name;
    case 'json':
      return `${M('mask_json')}(${name})`;
    default:
      return `${M(`mask_${mask}`)}(${name})`;
  }
}
