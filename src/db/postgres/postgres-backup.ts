import { sql, type Kysely } from 'kysely';
import { CustdbError, InputFileError } from '../../errors.js';
import type { BackupSource, TableInOrder } from '../backup-file.js';
import { copyTables, countRows, emptyTables } from '../copy-tables.js';
import { NulValueError } from './copy-rows.js';
import { openSqliteStore } from '../sqlite/open-sqlite-store.js';
import { inspectBackupFile } from '../sqlite/sqlite-backup.js';
import type { Store } from '../store.js';
import type { Database } from '../tables.js';

/**
 * A PostgreSQL database's backup: a new custdb SQLite file at `target`
 * (created 0600 by openSqliteStore), filled by bulk inserts from one
 * REPEATABLE READ transaction, so every table is copied, and counted, as of
 * one moment while other sessions go on writing. Returns that moment's
 * migrations and row counts, for the caller to verify the file against.
 */
export async function writePostgresBackup(source: Store, target: string, onRows?: (table: string, rows: number) => void): Promise<BackupSource> {
  const { store: copy } = await openSqliteStore({ location: target, create: true, migrations: 'apply' });
  try {
    // The file's own tables, in foreign-key order, say what to copy: the same tables PostgreSQL has (same migrations), without its views.
    const tables = inspectBackupFile(target, undefined).tables;
    const copyMigrations = (await copy.db.selectFrom('schema_migrations').select('name').orderBy('position').execute()).map((r) => r.name);
    return await source.readTransaction(async (db) => {
      const migrations = (await db.selectFrom('schema_migrations').select('name').orderBy('position').execute()).map((r) => r.name);
      if (migrations.join('\n') !== copyMigrations.join('\n')) {
        throw new CustdbError(`${source.location} has migrations ${migrations.join(', ')}, but this build's backup file has ${copyMigrations.join(', ')}.`, {
          hint: 'Run "custdb init" on the database first, so both are at this build\'s schema.',
        });
      }
      const counts = await countRows(db, tables.map((t) => t.name));
      await copy.bulkTransaction(async (trx, bulk) => {
        await emptyTables(trx, tables);
        await copyTables(db, trx, bulk, tables, onRows);
      });
      return { migrations, counts };
    });
  } finally {
    await copy.close();
  }
}

/**
 * Replaces every row of a PostgreSQL database with a restored copy's, written
 * by COPY in one transaction (custdb's write lock held, so no other custdb write
 * interleaves; a failure anywhere leaves the database as it was), then moves
 * each identity column's sequence past the highest id restored, so the next
 * insert does not collide with a restored row.
 */
export async function replacePostgresRows(store: Store, restored: Store, tables: readonly TableInOrder[]): Promise<void> {
  try {
    await store.bulkTransaction(async (trx, bulk) => {
      await truncateTables(trx, tables);
      await copyTables(restored.db, trx, bulk, tables);
      await resetIdentitySequences(trx);
    });
  } catch (error) {
    if (!(error instanceof NulValueError)) throw error;
    // SQLite stores U+0000 in text, so a backup file can hold one (written there by another program); COPY's refusal speaks of imports.
    throw new InputFileError(`The backup's ${error.what} holds a NUL character (U+0000), which PostgreSQL cannot store: ${error.shown}. Nothing was restored.`, {
      hint: 'Restore the backup into a SQLite file instead (custdb --db FILE restore BACKUP), or remove the NUL characters from it with the sqlite3 shell and restore it again.',
    });
  }
}

/**
 * Empties `tables` in one statement. TRUNCATE, not DELETE: a DELETE checks
 * every row's foreign keys and leaves each row behind for VACUUM, which over
 * a full database costs about as much as the copy itself. TRUNCATE holds its
 * tables' ACCESS EXCLUSIVE lock until the restore commits, so readers wait
 * for the restored rows rather than read the ones being replaced; and it
 * waits for readers already in those tables (a backup being taken) first.
 */
async function truncateTables(db: Kysely<Database>, tables: readonly TableInOrder[]): Promise<void> {
  await sql`TRUNCATE ${sql.join(tables.map((table) => sql.table(table.name)))}`.execute(db);
}

async function resetIdentitySequences(db: Kysely<Database>): Promise<void> {
  const columns = await sql<{ table_name: string; column_name: string }>`
    SELECT table_name, column_name FROM information_schema.columns
     WHERE table_schema = current_schema() AND is_identity = 'YES'`.execute(db);
  for (const { table_name: table, column_name: column } of columns.rows) {
    await sql`SELECT setval(pg_get_serial_sequence(${table}, ${column}), coalesce(max(${sql.ref(column)}), 0) + 1, false) FROM ${sql.table(table)}`.execute(db);
  }
}
