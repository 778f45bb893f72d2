import { closeSync, existsSync, openSync, statSync } from 'node:fs';
import path from 'node:path';
import type BetterSqlite3 from 'better-sqlite3-multiple-ciphers';
import { Kysely, sql } from 'kysely';
import { DatabaseKeyError, DatabaseOpenError, UsageError } from '../../errors.js';
import { assertMigrationsUsable } from '../assert-migrations-usable.js';
import { compareMigrations } from '../compare-migrations.js';
import { sqliteDialect } from '../dialect.js';
import { loadMigrations } from '../load-migrations.js';
import { nowIso } from '../clock.js';
import type { DatabaseKey, KeySupply, OpenedStore, OpenStoreOptions } from '../open-store.js';
import type { BulkInsert, IntegrityReport, NewImportBatch, SnapshotSharing, Store } from '../store.js';
import type { Database } from '../tables.js';
import { SQLITE_CONNECTION_PRAGMAS } from './connection-settings.js';
import { connectSqlite, readCipher, rekeySqliteFile, sqliteFileKind } from './encryption.js';
import { openSqliteCustomerSnapshot } from './sqlite-customer-snapshot.js';
import { SqliteBulkInsert } from './sqlite-bulk-insert.js';
import { writeSqliteBackup } from './sqlite-backup.js';
import { beginSqliteImport } from './sqlite-import-session.js';
import { translateSqliteError } from './translate-sqlite-error.js';
import { WriteFirstSqliteDialect } from './write-first-sqlite-dialect.js';

/**
 * Opens (and, if asked, creates and migrates) a custdb database file.
 * Throws DatabaseOpenError for a missing/unreadable/foreign file,
 * DatabaseKeyError for an encrypted file without its key (or a key for a file
 * that has none), and SchemaMismatchError for a database from a newer build or
 * with a broken migration history — in every case before writing a single
 * byte to it.
 */
export async function openSqliteStore(options: OpenStoreOptions): Promise<OpenedStore> {
  const file = path.resolve(options.location);
  const exists = existsSync(file);
  if (!exists && !options.create) {
    throw new DatabaseOpenError(`No database at ${file}.`, {
      hint: `Create one with "custdb init --db ${options.location}", or point --db / CUSTDB_DB at an existing file.`,
    });
  }
  const migrations = loadMigrations(sqliteDialect);
  const known = migrations.map((m) => m.name);

  let created = false;
  let key: DatabaseKey | undefined;
  if (exists) {
    const stat = statSync(file);
    if (!stat.isFile()) throw new DatabaseOpenError(`${file} is not a file.`, { hint: 'Pass the path of a database file with --db.' });
    key = await keyToOpen(file, sqliteFileKind(file, stat.size), options);
    if (stat.size > 0) {
      // Look before migrating or setting pragmas: a database from a newer custdb must not be changed by this one.
      const state = compareMigrations(known, readAppliedMigrationsWithoutWriting(file, key));
      assertMigrationsUsable(state, file);
    }
  } else {
    // The key first: a create that cannot have one leaves no empty file behind.
    key = await keyToOpen(file, 'empty', options);
    createPrivateFile(file);
    created = true;
  }

  const sqlite = openSqlite(file, key);
  try {
    const applied = readAppliedMigrations(sqlite);
    const before = compareMigrations(known, applied);
    assertMigrationsUsable(before, file);
    const appliedNow: string[] = [];
    if (options.migrations === 'apply') {
      for (const migration of migrations.filter((m) => before.pending.includes(m.name))) {
        applyMigration(sqlite, migration.name, migration.sql, known.indexOf(migration.name) + 1);
        appliedNow.push(migration.name);
      }
    }
    return { store: new SqliteStore(sqlite, file, key), created, before, applied: appliedNow };
  } catch (error) {
    sqlite.close();
    throw translateSqliteError(error, file);
  }
}

/**
 * A store on one SQLite connection: Kysely and the hot paths' prepared
 * statements share it, so an import's statements and its Kysely queries run
 * in the same transaction.
 */
class SqliteStore implements Store {
  readonly db: Kysely<Database>;
  readonly dialect = sqliteDialect;
  readonly file: string;
  readonly cipher: string | undefined;

  constructor(
    private readonly sqlite: BetterSqlite3.Database,
    readonly location: string,
    private readonly key: DatabaseKey | undefined,
  ) {
    this.db = new Kysely<Database>({ dialect: new WriteFirstSqliteDialect({ database: sqlite }) });
    this.file = location;
    this.cipher = readCipher(sqlite, key !== undefined);
  }

  async transaction<T>(work: (db: Kysely<Database>) => Promise<T>): Promise<T> {
    try {
      return await this.db.transaction().execute(work);
    } catch (error) {
      throw translateSqliteError(error, this.location);
    }
  }

  async bulkTransaction<T>(work: (db: Kysely<Database>, bulk: BulkInsert) => Promise<T>): Promise<T> {
    // Kysely's SQLite connection is this one: the prepared statements run inside its transaction.
    const bulk = new SqliteBulkInsert(this.sqlite);
    return this.transaction((db) => work(db, bulk));
  }

  async readTransaction<T>(work: (db: Kysely<Database>) => Promise<T>): Promise<T> {
    // A deferred BEGIN: a read transaction that does not wait for, or block, writers.
    this.sqlite.exec('BEGIN');
    try {
      const result = await work(this.db);
      this.sqlite.exec('COMMIT');
      return result;
    } catch (error) {
      throw translateSqliteError(error, this.location);
    } finally {
      if (this.sqlite.inTransaction) this.sqlite.exec('ROLLBACK');
    }
  }

  async beginImport(batch: NewImportBatch) {
    try {
      return beginSqliteImport(this.sqlite, this.db, batch);
    } catch (error) {
      throw translateSqliteError(error, this.location);
    }
  }

  openCustomerSnapshot<T>(options: { nulls: boolean; share?: SnapshotSharing<T> }) {
    return openSqliteCustomerSnapshot(this.sqlite, this.location, this.key, options);
  }

  async checkIntegrity(): Promise<IntegrityReport> {
    let damage: string[];
    try {
      damage = (this.sqlite.pragma('integrity_check') as { integrity_check: string }[]).map((row) => row.integrity_check).filter((line) => line !== 'ok');
    } catch (error) {
      damage = [(error as Error).message];
    }
    if (damage.length > 0) damage.push(...this.findUnreadableTables());
    let danglingReferences: IntegrityReport['danglingReferences'] = [];
    try {
      const rows = this.sqlite.pragma('foreign_key_check') as { table: string; rowid: number; parent: string }[];
      danglingReferences = rows.map((row) => ({ table: row.table, row: row.rowid, parent: row.parent }));
    } catch {
      // A file too damaged to check its keys has already said so above.
    }
    return { damage, danglingReferences };
  }

  async writeBackup(file: string) {
    try {
      return writeSqliteBackup(this.sqlite, file, this.key);
    } catch (error) {
      throw translateSqliteError(error, this.location);
    }
  }

  async tableNames(): Promise<string[]> {
    const rows = await sql<{ name: string }>`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`.execute(this.db);
    return rows.rows.map((row) => row.name);
  }

  async close(): Promise<void> {
    await this.db.destroy();
    if (this.sqlite.open) this.sqlite.close();
  }

  /** Names the tables that cannot be read end to end, so "malformed" comes with a where. */
  private findUnreadableTables(): string[] {
    const tables = this.sqlite.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).pluck().all() as string[];
    const damaged: string[] = [];
    for (const table of tables) {
      try {
        this.sqlite.prepare(`SELECT * FROM "${table.replaceAll('"', '""')}"`).all();
      } catch (error) {
        damaged.push(`table ${table} cannot be read: ${(error as Error).message}`);
      }
    }
    return damaged;
  }
}

/**
 * Migration names recorded in an existing file, read before anything is
 * migrated or set. A read-write connection that only reads is used on
 * purpose: a read-only one cannot remove the -wal/-shm files it makes, and
 * removing them by hand could remove another process's live write-ahead log,
 * losing its commit. SQLite removes them itself when the last connection
 * closes (checkpointing whatever committed log another program left, which
 * changes no content).
 */
function readAppliedMigrationsWithoutWriting(file: string, key: DatabaseKey | undefined): string[] {
  const sqlite = connectSqlite(file, key);
  try {
    return readAppliedMigrations(sqlite);
  } catch (error) {
    throw translateSqliteError(error, file);
  } finally {
    sqlite.close();
  }
}

function readAppliedMigrations(sqlite: BetterSqlite3.Database): string[] {
  const tables = sqlite.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).pluck().all() as string[];
  if (!tables.includes('schema_migrations')) {
    if (tables.length > 0) {
      throw new DatabaseOpenError(`${sqlite.name} is a SQLite database, but not a custdb one (it has no schema_migrations table).`, {
        hint: 'Point --db at a custdb database, or at a new file name to create one.',
      });
    }
    return [];
  }
  return sqlite.prepare('SELECT name FROM schema_migrations ORDER BY position').pluck().all() as string[];
}

/** Creates an empty file readable and writable by its owner only; SQLite gives its -wal/-shm files the same mode. */
function createPrivateFile(file: string): void {
  try {
    closeSync(openSync(file, 'wx', 0o600));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'its folder does not exist' : code === 'EACCES' ? 'permission denied' : String(code);
    throw new DatabaseOpenError(`Cannot create the database ${file}: ${reason}.`, {
      hint: 'Choose a writable location with --db.',
      cause: error,
    });
  }
}

function openSqlite(file: string, key: DatabaseKey | undefined): BetterSqlite3.Database {
  const sqlite = connectSqlite(file, key);
  try {
    for (const pragma of SQLITE_CONNECTION_PRAGMAS) sqlite.pragma(pragma);
    return sqlite;
  } catch (error) {
    sqlite.close();
    throw translateSqliteError(error, file);
  }
}

function applyMigration(sqlite: BetterSqlite3.Database, name: string, sql: string, position: number): void {
  sqlite.transaction(() => {
    sqlite.exec(
      'CREATE TABLE IF NOT EXISTS schema_migrations (position INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, applied_at TEXT NOT NULL)',
    );
    sqlite.exec(sql);
    sqlite.prepare('INSERT INTO schema_migrations (position, name, applied_at) VALUES (?, ?, ?)').run(position, name, nowIso());
  })();
}

/** The three ways to give a key, for the refusals that lack one. */
const KEY_WAYS = 'CUSTDB_KEY (the passphrase), --key-file FILE or CUSTDB_KEY_FILE';

/**
 * The key a file of this kind is opened with: an encrypted file's (given, else
 * asked for), a new file's when it is to be encrypted, else none. A key given
 * for a file that is not encrypted is refused rather than used to encrypt it
 * unasked; a file that is not a database is left for the open to refuse.
 */
async function keyToOpen(file: string, kind: ReturnType<typeof sqliteFileKind>, options: OpenStoreOptions): Promise<DatabaseKey | undefined> {
  const given = options.key?.given();
  if (kind === 'encrypted') {
    const key = given ?? (await options.key?.ask?.(file));
    if (key === undefined) throw new DatabaseKeyError(`The database ${file} is encrypted: give its key with ${KEY_WAYS}.`, { hint: 'In a terminal, custdb asks for it.' });
    return key;
  }
  if (kind === 'empty' && options.encrypt === true) {
    const key = given ?? (await options.key?.ask?.(file));
    if (key === undefined) throw new DatabaseKeyError(`Encrypting ${file} needs a key: give it with ${KEY_WAYS}.`, { hint: 'In a terminal, custdb asks for it (twice).' });
    return key;
  }
  if (kind === 'plain' && options.encrypt === true) {
    throw new DatabaseKeyError(`${file} already exists and is not encrypted.`, {
      hint: 'Encrypt it in place with "custdb rekey" (the new key from CUSTDB_NEW_KEY, --new-key-file or a prompt).',
    });
  }
  if (given !== undefined && kind !== 'other') {
    const what = kind === 'empty' ? 'is a new database' : 'is not encrypted';
    throw new DatabaseKeyError(`${file} ${what}, but a key was given (from ${given.source}); custdb does not encrypt a database unasked.`, {
      hint:
        kind === 'empty'
          ? 'Create it encrypted with "custdb init --encrypt", or unset CUSTDB_KEY / CUSTDB_KEY_FILE and drop --key-file.'
          : 'Unset CUSTDB_KEY / CUSTDB_KEY_FILE and drop --key-file to open it, or encrypt it with "custdb rekey".',
    });
  }
  return undefined;
}

/**
 * rekeyDatabase on a file (see open-store.ts): the current key as any command
 * gets it, then SQLite3 Multiple Ciphers' rekey in one transaction, then a
 * check that the new key (or none) opens the file.
 */
export async function rekeySqliteDatabase(
  location: string,
  current: KeySupply,
  readNext: (() => Promise<DatabaseKey>) | undefined,
): Promise<{ file: string; encryptedBefore: boolean; cipher: string | undefined }> {
  const file = path.resolve(location);
  if (!existsSync(file) || !statSync(file).isFile() || statSync(file).size === 0) {
    throw new DatabaseOpenError(`No database at ${file}.`, { hint: 'Point --db / CUSTDB_DB at the database file to rekey.' });
  }
  const kind = sqliteFileKind(file, statSync(file).size);
  if (kind === 'other') throw new DatabaseOpenError(`${file} is not a SQLite database.`, { hint: 'Point --db at a custdb database.' });
  if (kind === 'plain' && readNext === undefined) {
    throw new UsageError(`${file} is not encrypted: there is nothing to decrypt.`, { hint: 'To encrypt it, run "custdb rekey" without --decrypt.', exitCode: 1 });
  }
  const key = await keyToOpen(file, kind, { location, create: false, migrations: 'check', key: current });
  // Only a custdb database, and one this build may touch; its schema is not changed.
  const sqlite = connectSqlite(file, key);
  try {
    assertMigrationsUsable(compareMigrations(loadMigrations(sqliteDialect).map((m) => m.name), readAppliedMigrations(sqlite)), file);
  } finally {
    sqlite.close();
  }
  const next = await readNext?.();
  rekeySqliteFile(file, key, next);
  const check = connectSqlite(file, next);
  try {
    return { file, encryptedBefore: key !== undefined, cipher: readCipher(check, next !== undefined) };
  } finally {
    check.close();
  }
}
