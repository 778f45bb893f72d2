import { closeSync, existsSync, openSync, statSync } from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely } from 'kysely';
import { DatabaseOpenError, SchemaMismatchError, UsageError } from '../errors.js';
import { compareMigrations, type MigrationState } from './compare-migrations.js';
import { BUSY_TIMEOUT_MS, SQLITE_CONNECTION_PRAGMAS, sqliteDialect, type Dialect } from './dialect.js';
import { loadMigrations } from './load-migrations.js';
import { nowIso } from './clock.js';
import { translateDatabaseError } from './translate-database-error.js';
import type { Database } from './tables.js';
import { WriteFirstSqliteDialect } from './write-first-sqlite-dialect.js';

export interface Store {
  readonly db: Kysely<Database>;
  readonly dialect: Dialect;
  /** The file path (or, later, the server URL without its password). */
  readonly location: string;
  /** The raw SQLite handle, for the few hot paths that use prepared statements directly. */
  readonly sqlite: BetterSqlite3.Database;
  close(): Promise<void>;
}

export interface OpenStoreOptions {
  /** A file path; `postgres://…` URLs are recognised but not yet supported. */
  location: string;
  /** Create the file when it does not exist (otherwise a missing file is an error). */
  create: boolean;
  /** 'apply' brings the schema up to date; 'check' only refuses unusable databases (doctor). */
  migrations: 'apply' | 'check';
}

export interface OpenedStore {
  store: Store;
  /** True when this call created the file. */
  created: boolean;
  /** Migration state before anything was applied. */
  before: MigrationState;
  /** Names of the migrations this call applied. */
  applied: string[];
}

/**
 * Opens (and, if asked, creates and migrates) a custdb database.
 * Throws DatabaseOpenError for a missing/unreadable/foreign file and
 * SchemaMismatchError for a database from a newer build or with a broken
 * migration history — in both cases before writing a single byte to it.
 */
export async function openStore(options: OpenStoreOptions): Promise<OpenedStore> {
  if (/^postgres(ql)?:\/\//i.test(options.location)) {
    throw new UsageError('PostgreSQL databases are not supported by this build yet.', {
      hint: 'Use a SQLite file path with --db (or CUSTDB_DB).',
    });
  }
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
  if (exists) {
    const stat = statSync(file);
    if (!stat.isFile()) throw new DatabaseOpenError(`${file} is not a file.`, { hint: 'Pass the path of a database file with --db.' });
    if (stat.size > 0) {
      // Look before migrating or setting pragmas: a database from a newer custdb must not be changed by this one.
      const state = compareMigrations(known, readAppliedMigrationsWithoutWriting(file));
      assertUsable(state, file);
    }
  } else {
    createPrivateFile(file);
    created = true;
  }

  const sqlite = openSqlite(file);
  try {
    const applied = readAppliedMigrations(sqlite);
    const before = compareMigrations(known, applied);
    assertUsable(before, file);
    const appliedNow: string[] = [];
    if (options.migrations === 'apply') {
      for (const migration of migrations.filter((m) => before.pending.includes(m.name))) {
        applyMigration(sqlite, migration.name, migration.sql, known.indexOf(migration.name) + 1);
        appliedNow.push(migration.name);
      }
    }
    const db = new Kysely<Database>({ dialect: new WriteFirstSqliteDialect({ database: sqlite }) });
    const store: Store = {
      db,
      dialect: sqliteDialect,
      location: file,
      sqlite,
      close: async () => {
        await db.destroy();
        if (sqlite.open) sqlite.close();
      },
    };
    return { store, created, before, applied: appliedNow };
  } catch (error) {
    sqlite.close();
    throw translateDatabaseError(error, file);
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
function readAppliedMigrationsWithoutWriting(file: string): string[] {
  let sqlite: BetterSqlite3.Database | undefined;
  try {
    sqlite = new BetterSqlite3(file, { fileMustExist: true, timeout: BUSY_TIMEOUT_MS });
    return readAppliedMigrations(sqlite);
  } catch (error) {
    throw translateDatabaseError(error, file);
  } finally {
    sqlite?.close();
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

function assertUsable(state: MigrationState, file: string): void {
  if (state.unknown.length > 0) {
    throw new SchemaMismatchError(
      `${file} was updated by a newer custdb (it has migration ${state.unknown.join(', ')}, which this build does not know). Nothing was changed.`,
      { hint: 'Upgrade custdb to the version that wrote this database.' },
    );
  }
  if (state.outOfOrder.length > 0) {
    throw new SchemaMismatchError(
      `${file} has a broken migration history: ${state.outOfOrder.join(', ')} missing or applied out of order. Nothing was changed.`,
      { hint: 'Restore the database from a backup, or run "custdb doctor" for details.' },
    );
  }
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

function openSqlite(file: string): BetterSqlite3.Database {
  try {
    const sqlite = new BetterSqlite3(file, { fileMustExist: true, timeout: BUSY_TIMEOUT_MS });
    for (const pragma of SQLITE_CONNECTION_PRAGMAS) sqlite.pragma(pragma);
    return sqlite;
  } catch (error) {
    throw translateDatabaseError(error, file);
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
