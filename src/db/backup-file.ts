import { createReadStream, createWriteStream, existsSync, statSync } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { compareMigrations } from './compare-migrations.js';
import { assertMigrationsUsable } from './assert-migrations-usable.js';
import { DatabaseKeyError } from '../errors.js';
import { sqliteDialect } from './dialect.js';
import { loadMigrations } from './load-migrations.js';
import { isPostgresUrl, openStore, type DatabaseKey, type KeySupply } from './open-store.js';
import { replacePostgresRows } from './postgres/postgres-backup.js';
import { sqliteFileKind } from './sqlite/encryption.js';
import { dropBackupInfo, fsyncFile, inspectBackupFile, stampBackupFile } from './sqlite/sqlite-backup.js';
import { fsyncFolder, swapInSqliteFile } from './sqlite/sqlite-restore.js';
import type { Store } from './store.js';

/**
 * A backup is a custdb SQLite database file, whatever the dialect it was
 * taken from: one format that any custdb (and the sqlite3 shell) can open,
 * verify and restore. These are the file-level steps around it.
 */

/** What a backup was copied from: the source's migrations and each table's rows, in the snapshot the copy holds. */
export interface BackupSource {
  migrations: string[];
  counts: Record<string, number>;
  /** The key the copy is encrypted with: an encrypted database's own (its copy is encrypted alike); absent for a plain copy. */
  key?: DatabaseKey;
}

/** A table, and the columns that name a row of the same table (filled in after the table by a copy). */
export interface TableInOrder {
  name: string;
  selfReferences: string[];
}

/** What a backup file holds (inspectBackupFile). */
export interface BackupInspection extends BackupSource {
  /** Why the file cannot be used, one line each; empty when it is a sound custdb database. */
  damage: string[];
  /** Its tables, parents before children. */
  tables: TableInOrder[];
  /** When the backup was taken (ISO timestamp), and the database it was taken from; undefined for a file custdb did not write as a backup. */
  takenAt: string | undefined;
  source: string | undefined;
  /** The row counts custdb recorded in the file as it wrote it; undefined for a file custdb did not write as a backup. */
  recordedCounts: Record<string, number> | undefined;
}

export { fsyncFile, fsyncFolder, inspectBackupFile, stampBackupFile };

/**
 * Checks a backup's migrations against this build's: throws SchemaMismatchError
 * (exit 2) for a backup from a newer custdb or with a broken history, and
 * returns the migrations a restore will apply to an older one.
 */
export function migrationsToApply(inspection: BackupInspection, file: string): string[] {
  const state = compareMigrations(
    loadMigrations(sqliteDialect).map((m) => m.name),
    inspection.migrations,
  );
  assertMigrationsUsable(state, file);
  return state.pending;
}

/**
 * Copies a verified backup into `target` (created readable by its owner only),
 * as a plain custdb database brought up to this build's schema, and opens it:
 * what a restore prepares before anything is replaced.
 */
export async function openRestoredCopy(backupFile: string, target: string, key: DatabaseKey | undefined): Promise<Store> {
  await pipeline(createReadStream(backupFile), createWriteStream(target, { flags: 'wx', mode: 0o600 }));
  dropBackupInfo(target, key);
  const { store } = await openStore({ location: target, create: false, migrations: 'apply', key: { given: () => key } });
  return store;
}

/**
 * Puts a restored copy (closed, from openRestoredCopy) in place of the
 * database at `location`. A file is swapped in by one rename after the old one
 * is kept beside it as `<file>.before-restore` (returned); a PostgreSQL
 * database has every table emptied and refilled in one transaction.
 */
export async function replaceDatabase(
  location: string,
  restoredFile: string,
  keys: { current: DatabaseKey | undefined; restored: DatabaseKey | undefined },
): Promise<{ beforeRestore: string | undefined }> {
  fsyncFile(restoredFile);
  if (!isPostgresUrl(location)) return { beforeRestore: swapInSqliteFile(location, restoredFile, keys.current) };
  const tables = inspectBackupFile(restoredFile, keys.restored).tables;
  const { store: restored } = await openStore({ location: restoredFile, create: false, migrations: 'check', key: { given: () => keys.restored } });
  try {
    const { store } = await openStore({ location, create: false, migrations: 'apply' });
    try {
      await replacePostgresRows(store, restored, tables);
    } finally {
      await store.close();
    }
  } finally {
    await restored.close();
  }
  return { beforeRestore: undefined };
}

/**
 * The key a SQLite file (a backup, or the database a restore replaces) is
 * opened with: none for a plain file, a server or a file not there yet; for
 * an encrypted one, the database key as every command takes it, else a
 * DatabaseKeyError (exit 2) saying whose key the file needs.
 */
export async function keyOfFile(location: string, supply: KeySupply): Promise<DatabaseKey | undefined> {
  if (isPostgresUrl(location) || !existsSync(location)) return undefined;
  if (sqliteFileKind(location, statSync(location).size) !== 'encrypted') return undefined;
  const key = supply.given() ?? (await supply.ask?.(location));
  if (key === undefined) {
    throw new DatabaseKeyError(`${location} is encrypted, and no key was given to open it. Nothing was changed.`, {
      hint: "A backup of an encrypted database is encrypted with that database's key: give it with CUSTDB_KEY (the passphrase), --key-file FILE or CUSTDB_KEY_FILE.",
    });
  }
  return key;
}
