import type pg from 'pg';
import { DatabaseOpenError, PermissionDeniedError } from '../../errors.js';
import { assertMigrationsUsable } from '../assert-migrations-usable.js';
import { nowIso } from '../clock.js';
import { compareMigrations, type Migration, type MigrationState } from '../compare-migrations.js';
import { postgresDialect } from '../dialect.js';
import { loadMigrations } from '../load-migrations.js';
import { quoteIdent } from './access-groups.js';
import { applyAccessPrivileges, readAccessSetting, type AccessSetting, type Query } from './apply-access-privileges.js';
import { translatePostgresError } from './translate-postgres-error.js';
import { TAKE_WRITE_LOCK_SQL } from './write-lock.js';

export interface PostgresMigrationResult {
  /** Migration state before anything was applied. */
  before: MigrationState;
  /** Names of the migrations this call applied, in order. */
  applied: string[];
}

/**
 * Reads a PostgreSQL database's migration history and, with 'apply', applies
 * the migrations of schema/postgres/ it lacks, each in its own transaction
 * under custdb's write lock, so that concurrent custdb processes apply each
 * one once. Once team access is set up (`custdb access`), each migration
 * runs as the database's owner group — the server refuses anyone else, and
 * what it creates belongs to the group — and is followed, in its
 * transaction, by the groups' privileges and the masked views made again
 * from the new columns. Throws DatabaseOpenError for a database with tables but no
 * schema_migrations, and SchemaMismatchError for a newer or broken history —
 * both before writing anything. `location` names the database in messages
 * (redactUrl). 'check' only reads and refuses.
 */
export async function migratePostgres(
  pool: pg.Pool,
  location: string,
  mode: 'apply' | 'check',
  migrations: readonly Migration[] = loadMigrations(postgresDialect),
): Promise<PostgresMigrationResult> {
  const known = migrations.map((m) => m.name);
  const client = await pool.connect().catch((error: unknown) => {
    throw translatePostgresError(error, location);
  });
  try {
    const before = compareMigrations(known, (await readHistory(client, location)).names);
    assertMigrationsUsable(before, location);
    const applied: string[] = [];
    // Only a database that lacks migrations waits for the write lock: an up-to-date one is read, as on SQLite, while another process writes.
    if (mode === 'apply' && before.pending.length > 0) {
      for (;;) {
        const name = await applyNextMigration(client, location, migrations);
        if (name === undefined) break;
        applied.push(name);
      }
    }
    return { before, applied };
  } catch (error) {
    throw translatePostgresError(error, location);
  } finally {
    client.release();
  }
}

/**
 * Applies the first migration still pending, in one transaction, and returns
 * its name (undefined when none is pending). The history is read again under
 * the lock: another process may have applied some since it was first read.
 */
async function applyNextMigration(client: pg.PoolClient, location: string, migrations: readonly Migration[]): Promise<string | undefined> {
  const known = migrations.map((m) => m.name);
  await client.query('BEGIN');
  try {
    await client.query(TAKE_WRITE_LOCK_SQL);
    const history = await readHistory(client, location);
    const state = compareMigrations(known, history.names);
    assertMigrationsUsable(state, location);
    const next = migrations.find((m) => m.name === state.pending[0]);
    if (next !== undefined) {
      const query: Query = async (text, values) => (await client.query(text, values === undefined ? undefined : [...values])).rows;
      const access = await readAccessSetting(query);
      if (access.set) await actAsOwnerGroup(client, access, location, state.pending);
      if (!history.exists) {
        await client.query(
          'CREATE TABLE schema_migrations (position integer PRIMARY KEY, name text COLLATE "C" NOT NULL UNIQUE, applied_at text COLLATE "C" NOT NULL)',
        );
      }
      // No parameters: pg sends the file as one simple query, which may hold many statements.
      await client.query(next.sql);
      if (access.set) await applyAccessPrivileges(query, access);
      await client.query('INSERT INTO schema_migrations (position, name, applied_at) VALUES ($1, $2, $3)', [known.indexOf(next.name) + 1, next.name, nowIso()]);
    }
    await client.query('COMMIT');
    return next?.name;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  }
}

/**
 * SET LOCAL ROLE to the owner group; a role that is not an owner is refused
 * by the server, and told who may bring the database up to date.
 */
async function actAsOwnerGroup(client: pg.PoolClient, access: AccessSetting, location: string, pending: readonly string[]): Promise<void> {
  // Asked first: once SET ROLE fails, the transaction answers nothing more.
  const { rows } = await client.query<{ user: string }>('SELECT session_user::text AS user');
  try {
    await client.query(`SET LOCAL ROLE ${quoteIdent(access.groups.owner)}`);
  } catch (error) {
    if (!(error instanceof Error && 'code' in error && error.code === '42501')) throw error;
    throw new PermissionDeniedError(
      `${location} lacks migrations this custdb brings (${pending.join(', ')}), and your database role (${rows[0]?.user ?? '?'}) may not apply them: that needs the owner role.`,
      { hint: `Ask an owner of the database (a member of ${access.groups.owner}) to run custdb init with this version of custdb.`, location, serverMessage: error.message, explained: true, cause: error },
    );
  }
}

interface History {
  /** Whether schema_migrations exists. */
  exists: boolean;
  /** Recorded migration names, in the order they were applied. */
  names: string[];
}

/**
 * The migrations the database records. Tables are looked for in the schema
 * custdb creates its own in (the first of search_path, normally public): a
 * database with tables there but no schema_migrations is not custdb's. Views
 * count as tables: a masked analyst's first schema holds views of custdb's
 * tables, schema_migrations included (src/db/postgres/masked-views.ts).
 */
async function readHistory(client: pg.PoolClient, location: string): Promise<History> {
  const { rows: tables } = await client.query<{ tablename: string }>(
    `SELECT relname::text AS tablename FROM pg_catalog.pg_class WHERE relnamespace = current_schema()::regnamespace AND relkind IN ('r', 'p', 'v')`,
  );
  if (!tables.some((t) => t.tablename === 'schema_migrations')) {
    if (tables.length > 0) {
      throw new DatabaseOpenError(`${location} is a PostgreSQL database, but not a custdb one (it has no schema_migrations table).`, {
        hint: 'Point --db at a custdb database, or at a new, empty database (createdb NAME) to create one.',
      });
    }
    return { exists: false, names: [] };
  }
  const { rows } = await client.query<{ name: string }>('SELECT name FROM schema_migrations ORDER BY position');
  return { exists: true, names: rows.map((r) => r.name) };
}
