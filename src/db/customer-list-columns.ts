import { sql, type RawBuilder } from 'kysely';
import type { Dialect } from './dialect.js';

/** Separates the values of a list column (tags, external ids): a control character no stored value holds. */
export const LIST_SEPARATOR = '\u001f';

/**
 * A customer's several-valued fields as one column each, correlated on the
 * per-customer field query's `cf.id`: its tags (sorted), its identities as
 * `source:external_id` (in the order they were learnt), joined by
 * LIST_SEPARATOR (NULL for none); and one custom attribute's value by name
 * (the name a bound value).
 */
export const customerListColumns = {
  tags: (dialect: Dialect): RawBuilder<string | null> =>
    sql<string | null>`(SELECT ${sql.raw(dialect.textList('t.tag', 't.tag'))} FROM customer_tags t WHERE t.customer_id = cf.id)`,
  externalIds: (dialect: Dialect): RawBuilder<string | null> =>
    sql<string | null>`(SELECT ${sql.raw(dialect.textList(`ci.source || ':' || ci.external_id`, 'ci.id'))} FROM customer_identities ci WHERE ci.customer_id = cf.id)`,
  attribute: (name: string): RawBuilder<string | null> =>
    sql<string | null>`(SELECT a.value FROM customer_attributes a WHERE a.customer_id = cf.id AND a.name = ${name})`,
};
