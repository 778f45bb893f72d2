import { closeSync, copyFileSync, existsSync, fsyncSync, linkSync, openSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { DatabaseBusyError } from '../../errors.js';
import type { DatabaseKey } from '../open-store.js';
import { connectSqlite } from './encryption.js';
import { translateSqliteError } from './translate-sqlite-error.js';

/** How long a restore waits for other connections to the database to go before it refuses. */
const IN_USE_WAIT_MS = 1000;

/**
 * Swaps `restoredFile` in as the database `file` with one rename (a reader
 * sees the old database or the new one, never a half-written file) and keeps
 * the old one as `<file>.before-restore`, which it returns (undefined when
 * there was no database yet). `key` opens the old database when it is encrypted.
 *
 * The old database is first taken out of WAL mode, which SQLite allows only
 * when no other connection has it open: its -wal is then folded in and gone,
 * so no write-ahead log of the old file can later be replayed onto the new
 * one, and a database another process is using is refused (DatabaseBusyError)
 * rather than swapped under it. An exclusive lock is held across the rename.
 */
export function swapInSqliteFile(file: string, restoredFile: string, key: DatabaseKey | undefined): string | undefined {
  const target = path.resolve(file);
  if (!existsSync(target)) {
    renameSync(restoredFile, target);
    fsyncFolder(path.dirname(target));
    return undefined;
  }
  const sqlite = connectSqlite(target, key, { timeout: IN_USE_WAIT_MS });
  try {
    try {
      sqlite.pragma('journal_mode = DELETE');
      sqlite.exec('BEGIN EXCLUSIVE');
    } catch (error) {
      if ((error as { code?: string }).code === 'SQLITE_BUSY') {
        throw new DatabaseBusyError(`${target} is in use by another process, so it cannot be replaced now. Nothing was changed.`, {
          hint: 'Stop the other custdb commands (or programs) using the database, then run "custdb restore" again.',
          cause: error,
        });
      }
      throw translateSqliteError(error, target);
    }
    const kept = `${target}.before-restore`;
    rmSync(kept, { force: true });
    try {
      linkSync(target, kept);
    } catch {
      // A file system without hard links: a copy keeps the same bytes (the lock keeps them still).
      copyFileSync(target, kept);
    }
    renameSync(restoredFile, target);
    fsyncFolder(path.dirname(target));
    return kept;
  } finally {
    if (sqlite.inTransaction) sqlite.exec('ROLLBACK');
    sqlite.close();
  }
}

/** Makes a rename in `folder` durable: the folder's entry, not only the file's bytes, reaches the disk. */
export function fsyncFolder(folder: string): void {
  const fd = openSync(folder, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
