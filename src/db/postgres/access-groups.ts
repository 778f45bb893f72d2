import { createHash } from 'node:crypto';
import pg from 'pg';

/** The group roles (NOLOGIN) that carry one database's privileges; login roles are members of one. */
export interface AccessGroups {
  /** Owns custdb's tables and the masked views; may do everything, access changes included. */
  owner: string;
  /** Reads and writes custdb's data, but not the erasure record (suppressions), the migration history, or old events. */
  staff: string;
  /** Reads through the masked views only (MASKED_SCHEMA). */
  analyst: string;
  /** Reads every table as it is. */
  analystUnmasked: string;
}

/** The schema, in each custdb database, of the views masked analysts read instead of the tables. */
export const MASKED_SCHEMA = 'custdb_masked';

/** The longest database name kept whole in group names; role names end at 63 bytes. */
const LONGEST_PLAIN = 30;

/**
 * The group role names for `database`: role names are cluster-wide, so each
 * carries the database's name (custdb_shop_staff). A name that is not plain
 * lower-case ASCII, or too long, is shortened and given a hash of the whole
 * name, so that two databases never share groups ("Shop" and "shop" included).
 *
 * @example accessGroupsFor('shop').staff // 'custdb_shop_staff'
 */
export function accessGroupsFor(database: string): AccessGroups {
  const plain = database.toLowerCase().replace(/[^a-z0-9_]/g, '_');
  const key =
    plain === database && plain.length <= LONGEST_PLAIN ? plain : `${plain.slice(0, LONGEST_PLAIN - 7)}_${createHash('sha256').update(database).digest('hex').slice(0, 6)}`;
  const prefix = `custdb_${key}`;
  return { owner: `${prefix}_owner`, staff: `${prefix}_staff`, analyst: `${prefix}_analyst`, analystUnmasked: `${prefix}_analyst_unmasked` };
}

/** Every group, in the order a role's access is decided: a member of several is what the first says. */
export function groupsInOrder(groups: AccessGroups): string[] {
  return [groups.owner, groups.staff, groups.analystUnmasked, groups.analyst];
}

/** Quotes a name for SQL as PostgreSQL does ("a""b"). */
export function quoteIdent(name: string): string {
  return pg.escapeIdentifier(name);
}

/** Quotes a text as an SQL literal, for statements that take no parameters (CREATE ROLE … PASSWORD, COMMENT ON). */
export function quoteLiteral(text: string): string {
  return pg.escapeLiteral(text);
}
