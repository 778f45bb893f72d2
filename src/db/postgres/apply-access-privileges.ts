import { accessGroupsFor, MASKED_SCHEMA, quoteIdent, quoteLiteral, type AccessGroups } from './access-groups.js';
import { maskedViewStatements, maskFunctionStatements, type TableColumn } from './masked-views.js';

/** Runs one statement (parameters $1… bound to `values`) on the connection of the caller's transaction and returns its rows. */
export type Query = <Row extends object = Record<string, unknown>>(text: string, values?: readonly unknown[]) => Promise<Row[]>;

/** Where custdb's access lives in one database. */
export interface AccessSetting {
  /** The database's name on the server. */
  database: string;
  /** The schema of custdb's tables: where schema_migrations is (normally public). */
  schema: string;
  groups: AccessGroups;
  /**
   * Whether access was set up in this database: its owner group exists and so
   * does the masked schema (a database dropped and made again under the same
   * name finds the old groups, but not the schema).
   */
  set: boolean;
}

/**
 * Reads the database's name, the schema of custdb's tables — the one holding
 * schema_migrations, first in the search path, else the first schema of the
 * search path (a database not yet migrated) — and whether its groups exist.
 */
export async function readAccessSetting(query: Query): Promise<AccessSetting> {
  const [place] = await query<{ database: string; schema: string | null }>(
    `SELECT current_database()::text AS database,
        coalesce((SELECT n.nspname::text FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
            WHERE c.relname = 'schema_migrations' AND c.relkind IN ('r', 'p') AND n.nspname <> $1
            ORDER BY array_position(current_schemas(false), n.nspname::text) NULLS LAST, n.nspname LIMIT 1), current_schema()::text) AS schema`,
    [MASKED_SCHEMA],
  );
  const database = place!.database;
  const groups = accessGroupsFor(database);
  const [found] = await query<{ set: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = $1) AND EXISTS (SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = $2) AS set`,
    [groups.owner, MASKED_SCHEMA],
  );
  return { database, schema: place!.schema ?? 'public', groups, set: found?.set === true };
}

/**
 * First of the two steps of every access change, as the acting role: makes
 * sure the groups exist (the acting role, unless a superuser, becomes a
 * member of the owner group it creates, with ADMIN OPTION), that the owner
 * group owns custdb's tables — so that any owner can migrate them and grant
 * on them; whoever owned them before becomes an owner — and that the masked
 * schema exists, owned by it. Changes nothing
 * once done. A role that may not do this gets 42501 from the server.
 */
export async function prepareAccessGroups(query: Query, setting: AccessSetting): Promise<void> {
  const { groups, database } = setting;
  const all: [string, string][] = [
    [groups.owner, 'owner'],
    [groups.staff, 'staff'],
    [groups.analyst, 'masked analyst'],
    [groups.analystUnmasked, 'unmasked analyst'],
  ];
  const existing = new Set(
    (await query<{ rolname: string }>(`SELECT rolname::text AS rolname FROM pg_catalog.pg_roles WHERE rolname = ANY($1::text[])`, [all.map(([name]) => name)])).map(
      (r) => r.rolname,
    ),
  );
  const [version] = await query<{ num: number }>(`SELECT current_setting('server_version_num')::integer AS num`);
  for (const [name, what] of all) {
    if (existing.has(name)) continue;
    await query(`CREATE ROLE ${quoteIdent(name)} NOLOGIN`);
    await query(`COMMENT ON ROLE ${quoteIdent(name)} IS ${quoteLiteral(`custdb: the ${what} group of database ${database} (custdb access)`)}`);
    if (name === groups.owner && !(await isSuperuser(query))) await query(`GRANT ${quoteIdent(name)} TO SESSION_USER WITH ADMIN OPTION`);
    // From PostgreSQL 16, CREATEROLE no longer lets a role grant membership in roles it has no ADMIN OPTION on:
    // the owner group holds it (without inheriting the group's privileges), and every owner through it.
    if (name !== groups.owner && (version?.num ?? 0) >= 160000) {
      await query(`GRANT ${quoteIdent(name)} TO ${quoteIdent(groups.owner)} WITH ADMIN TRUE, INHERIT FALSE, SET FALSE`);
    }
  }

  const schema = quoteIdent(setting.schema);
  const strangers = await query<{ relname: string; owner: string; owner_is_superuser: boolean }>(
    `SELECT c.relname::text AS relname, o.rolname::text AS owner, o.rolsuper AS owner_is_superuser
      FROM pg_catalog.pg_class c JOIN pg_catalog.pg_roles o ON o.oid = c.relowner
      WHERE c.relnamespace = $1::regnamespace AND c.relkind IN ('r', 'p') AND o.rolname <> $2
      ORDER BY c.relname`,
    [setting.schema, groups.owner],
  );
  if (strangers.length > 0) {
    // A new owner must be able to create in the schema; the other groups must be able to look into it (public: they can already).
    await query(`GRANT CREATE, USAGE ON SCHEMA ${schema} TO ${quoteIdent(groups.owner)}`);
    await query(`GRANT USAGE ON SCHEMA ${schema} TO ${quoteIdent(groups.staff)}, ${quoteIdent(groups.analystUnmasked)}`);
    // Whoever owned the tables (the role that ran custdb init) keeps everything it had: it becomes an owner.
    for (const previous of new Set(strangers.filter((t) => !t.owner_is_superuser).map((t) => t.owner))) {
      await query(`GRANT ${quoteIdent(groups.owner)} TO ${quoteIdent(previous)} WITH ADMIN OPTION`);
    }
    for (const { relname } of strangers) await query(`ALTER TABLE ${schema}.${quoteIdent(relname)} OWNER TO ${quoteIdent(groups.owner)}`);
  }

  const [masked] = await query<{ owner: string | null }>(
    `SELECT (SELECT pg_catalog.pg_get_userbyid(nspowner)::text FROM pg_catalog.pg_namespace WHERE nspname = $1) AS owner`,
    [MASKED_SCHEMA],
  );
  if (masked?.owner === null || masked?.owner === undefined) {
    await query(`CREATE SCHEMA ${quoteIdent(MASKED_SCHEMA)} AUTHORIZATION ${quoteIdent(groups.owner)}`);
    await query(`COMMENT ON SCHEMA ${quoteIdent(MASKED_SCHEMA)} IS ${quoteLiteral('custdb: what masked analysts read instead of the tables (custdb access)')}`);
  } else if (masked.owner !== groups.owner) {
    await query(`ALTER SCHEMA ${quoteIdent(MASKED_SCHEMA)} OWNER TO ${quoteIdent(groups.owner)}`);
  }
}

/**
 * Second step, run as the owner group (the caller has SET LOCAL ROLE to it):
 * gives each group exactly its privileges on every table of custdb's schema
 * and on tables created later (default privileges), and drops and creates
 * the masked views again from the tables' current columns. Run after every
 * access change and after every migration, in the same transaction.
 *
 * - owner: owns everything (all privileges, migrations, access changes);
 * - staff: reads and writes every table, except that it may only read
 *   schema_migrations (migrations are the owner's) and suppressions (erasure
 *   writes them, and erasing is the owner's), and may only add to events
 *   (the audit log), without choosing its db_role;
 * - unmasked analyst: reads every table;
 * - masked analyst: nothing on the tables; reads the views of MASKED_SCHEMA.
 */
export async function applyAccessPrivileges(query: Query, setting: AccessSetting): Promise<void> {
  const { groups } = setting;
  const schema = quoteIdent(setting.schema);
  const staff = quoteIdent(groups.staff);
  const analyst = quoteIdent(groups.analyst);
  const unmasked = quoteIdent(groups.analystUnmasked);
  const others = `${staff}, ${analyst}, ${unmasked}`;

  const columns = await query<{ table: string; column: string; type: string }>(
    `SELECT c.relname::text AS table, a.attname::text AS column, t.typname::text AS type
      FROM pg_catalog.pg_class c
      JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
      JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
      WHERE c.relnamespace = $1::regnamespace AND c.relkind IN ('r', 'p')
      ORDER BY c.relname, a.attnum`,
    [setting.schema],
  );
  const tables = new Set(columns.map((c) => c.table));

  await query(`REVOKE ALL ON ALL TABLES IN SCHEMA ${schema} FROM ${others}`);
  await query(`REVOKE ALL ON ALL SEQUENCES IN SCHEMA ${schema} FROM ${others}`);
  await query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA ${schema} TO ${staff}`);
  await query(`GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA ${schema} TO ${staff}`);
  for (const table of ['schema_migrations', 'suppressions', 'suppression_key', 'events']) {
    if (tables.has(table)) await query(`REVOKE INSERT, UPDATE, DELETE ON ${schema}.${quoteIdent(table)} FROM ${staff}`);
  }
  const eventColumns = columns.filter((c) => c.table === 'events' && c.column !== 'db_role').map((c) => quoteIdent(c.column));
  if (eventColumns.length > 0) await query(`GRANT INSERT (${eventColumns.join(', ')}) ON ${schema}.events TO ${staff}`);
  await query(`GRANT SELECT ON ALL TABLES IN SCHEMA ${schema} TO ${unmasked}`);
  // The suppressions' key is for owners (who erase) and staff (whose imports recognise erased people), not for reading.
  if (tables.has('suppression_key')) await query(`REVOKE SELECT ON ${schema}.suppression_key FROM ${unmasked}`);
  // Tables a later migration creates (as the owner group) get the same, even before this runs again after it.
  await query(`ALTER DEFAULT PRIVILEGES IN SCHEMA ${schema} GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO ${staff}`);
  await query(`ALTER DEFAULT PRIVILEGES IN SCHEMA ${schema} GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO ${staff}`);
  await query(`ALTER DEFAULT PRIVILEGES IN SCHEMA ${schema} GRANT SELECT ON TABLES TO ${unmasked}`);

  const masked = quoteIdent(MASKED_SCHEMA);
  const views = await query<{ relname: string }>(`SELECT c.relname::text AS relname FROM pg_catalog.pg_class c WHERE c.relnamespace = $1::regnamespace AND c.relkind = 'v'`, [
    MASKED_SCHEMA,
  ]);
  if (views.length > 0) await query(`DROP VIEW ${views.map((v) => `${masked}.${quoteIdent(v.relname)}`).join(', ')} CASCADE`);
  for (const statement of maskFunctionStatements()) await query(statement);
  for (const statement of maskedViewStatements(setting.schema, columns as TableColumn[])) await query(statement);
  await query(`GRANT USAGE ON SCHEMA ${masked} TO ${analyst}`);
  await query(`GRANT SELECT ON ALL TABLES IN SCHEMA ${masked} TO ${analyst}`);
  await query(`GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA ${masked} TO ${analyst}`);
}

async function isSuperuser(query: Query): Promise<boolean> {
  const [row] = await query<{ rolsuper: boolean }>(`SELECT rolsuper FROM pg_catalog.pg_roles WHERE rolname = session_user`);
  return row?.rolsuper === true;
}
