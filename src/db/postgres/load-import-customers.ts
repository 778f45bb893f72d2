import type pg from 'pg';
import { CUSTOMER_VALUE_FIELDS } from '../../model/customer-record.js';
import type { StoredCustomer } from '../customer-writer.js';
import { refuseNul } from './copy-rows.js';

/** A customer as an import's chunk needs it: the row, and what the writer's other lookups answer about it. */
export interface ImportCustomer {
  row: StoredCustomer;
  /** Positions (0-based) in the asked identities of those this customer holds (before following merges). */
  identityHits: number[];
  sources: string[];
  tags: string[];
  attributes: [string, string][];
}

export interface ImportCustomerKeys {
  identities: readonly { source: string; externalId: string }[];
  emails: readonly string[];
  phones: readonly string[];
  /** Per email (phone): customers with it in the table that the caller's writes may already have moved off it. */
  emailExtras: readonly number[];
  phoneExtras: readonly number[];
}

/** Active customers a lookup by email or phone answers with at most (CustomerWriter.findByEmail). */
export const LOOKUP_LIMIT = 10;

/**
 * One round trip for every customer a chunk of rows can reach, with their
 * identity sources, tags and attributes:
 * - the holders of the asked identities, and every customer down their
 *   merged_into chains (up to 100 hops, as SQLite's writer follows);
 * - for each asked email (phone), the active customers with it, lowest id
 *   first: LOOKUP_LIMIT of them plus one per customer of the chunk that a row
 *   may move away from it (an overwrite changes the email of a customer found
 *   by identity; the phone of one found by identity or email), so that the
 *   first LOOKUP_LIMIT stay right in memory whatever the chunk's rows update
 *   (and as many again as the caller's extras say earlier chunks moved).
 */
const LOAD_SQL = `
WITH RECURSIVE
  asked AS (SELECT k.n::int - 1 AS n, k.source, k.external_id FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS k(source, external_id, n)),
  hits AS (SELECT a.n, i.customer_id FROM asked a JOIN customer_identities i ON i.source = a.source AND i.external_id = a.external_id),
  chain (id, depth) AS (
    SELECT DISTINCT customer_id, 0 FROM hits
    UNION
    SELECT c.merged_into, chain.depth + 1 FROM chain JOIN customers c ON c.id = chain.id
     WHERE c.status = 'merged' AND c.merged_into IS NOT NULL AND chain.depth < 100
  ),
  reached AS MATERIALIZED (SELECT c.id, c.email_norm, c.phone_e164 FROM customers c WHERE c.id IN (SELECT id FROM chain)),
  -- Counted once and joined (a hash join), not counted again per asked email, phone or customer: a chunk asks thousands.
  reached_emails AS MATERIALIZED (SELECT email_norm, count(*) AS n FROM reached WHERE email_norm IS NOT NULL GROUP BY email_norm),
  by_email AS MATERIALIZED (
    SELECT m.id, m.phone_e164 FROM unnest($3::text[], $5::int[]) AS e(email, extra)
    LEFT JOIN reached_emails re ON re.email_norm = e.email
    CROSS JOIN LATERAL (
      SELECT c.id, c.phone_e164 FROM customers c WHERE c.email_norm = e.email AND c.status = 'active' ORDER BY c.id
       LIMIT ${LOOKUP_LIMIT} + e.extra + coalesce(re.n, 0)
    ) m
  ),
  movable AS MATERIALIZED (SELECT id, phone_e164 FROM reached UNION SELECT id, phone_e164 FROM by_email),
  movable_phones AS MATERIALIZED (SELECT phone_e164, count(*) AS n FROM movable WHERE phone_e164 IS NOT NULL GROUP BY phone_e164),
  by_phone AS (
    SELECT m.id FROM unnest($4::text[], $6::int[]) AS p(phone, extra)
    LEFT JOIN movable_phones mp ON mp.phone_e164 = p.phone
    CROSS JOIN LATERAL (
      SELECT c.id FROM customers c WHERE c.phone_e164 = p.phone AND c.status = 'active' ORDER BY c.id
       LIMIT ${LOOKUP_LIMIT} + p.extra + coalesce(mp.n, 0)
    ) m
  ),
  hit_lists AS (SELECT customer_id, array_agg(n) AS ns FROM hits GROUP BY customer_id),
  wanted AS (SELECT id FROM reached UNION SELECT id FROM by_email UNION SELECT id FROM by_phone)
SELECT c.id, c.status, c.merged_into, ${CUSTOMER_VALUE_FIELDS.map((f) => `c.${f}`).join(', ')},
       c.email_consent_at, c.email_consent_source, c.sms_consent_at, c.sms_consent_source,
       coalesce(hl.ns, '{}'::int[]) AS identity_hits,
       ARRAY(SELECT DISTINCT i.source FROM customer_identities i WHERE i.customer_id = c.id) AS sources,
       ARRAY(SELECT t.tag FROM customer_tags t WHERE t.customer_id = c.id) AS tags,
       ARRAY(SELECT a.name FROM customer_attributes a WHERE a.customer_id = c.id ORDER BY a.name) AS attribute_names,
       ARRAY(SELECT a.value FROM customer_attributes a WHERE a.customer_id = c.id ORDER BY a.name) AS attribute_values
  FROM wanted w JOIN customers c ON c.id = w.id LEFT JOIN hit_lists hl ON hl.customer_id = c.id`;

type LoadedRow = StoredCustomer & { identity_hits: number[]; sources: string[]; tags: string[]; attribute_names: string[]; attribute_values: string[] };

/** Reads every customer `keys` can reach (see LOAD_SQL), in no particular order. */
export async function loadImportCustomers(client: pg.ClientBase, keys: ImportCustomerKeys): Promise<ImportCustomer[]> {
  if (keys.identities.length === 0 && keys.emails.length === 0 && keys.phones.length === 0) return [];
  const sources = keys.identities.map((k) => k.source);
  const externalIds = keys.identities.map((k) => k.externalId);
  for (const value of [...sources, ...externalIds, ...keys.emails, ...keys.phones]) refuseNul(value, 'a customer lookup');
  const { rows } = await client.query<LoadedRow>({ name: 'custdb_import_customers', text: LOAD_SQL, values: [sources, externalIds, keys.emails, keys.phones, keys.emailExtras, keys.phoneExtras] });
  return rows.map((loaded) => {
    const { identity_hits, sources: customerSources, tags, attribute_names, attribute_values, ...row } = loaded;
    return {
      row,
      identityHits: identity_hits,
      sources: customerSources,
      tags,
      attributes: attribute_names.map((name, i) => [name, attribute_values[i]!] as [string, string]),
    };
  });
}
