import { accessSync, constants, existsSync } from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3-multiple-ciphers';
import { CustdbError, DatabaseBusyError, DatabaseOpenError, DatabaseReadOnlyError } from '../../errors.js';
import { BUSY_TIMEOUT_MS } from '../dialect.js';

/**
 * Turns a better-sqlite3 error into a CustdbError that says what happened to
 * which file and what to do. Errors it does not recognise are returned
 * unchanged (the CLI then reports them as bugs).
 */
export function translateSqliteError(error: unknown, file: string): unknown {
  if (error instanceof CustdbError || !(error instanceof BetterSqlite3.SqliteError)) return error;
  const code = error.code;
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    return new DatabaseBusyError(`${file} is locked by another process (waited ${BUSY_TIMEOUT_MS / 1000} s).`, {
      hint: 'Wait for the other custdb command (an import, a backup) to finish, then run this again.',
      cause: error,
    });
  }
  if (code === 'SQLITE_NOTADB') {
    return new DatabaseOpenError(`${file} is not a SQLite database.`, {
      hint: 'Point --db at a custdb database, or at a new file name to create one.',
      cause: error,
    });
  }
  if (code.startsWith('SQLITE_CORRUPT')) {
    return new DatabaseOpenError(`${file} is damaged: ${error.message}.`, {
      hint: 'Run "custdb doctor" to see what is wrong, and restore from a backup.',
      cause: error,
    });
  }
  if (code === 'SQLITE_READONLY_DIRECTORY') {
    const folder = path.dirname(file);
    return new DatabaseReadOnlyError(
      `${file} is read-only: its folder ${folder} is not writable, and SQLite needs to create ${path.basename(file)}-wal and -shm beside the file.`,
      { hint: `Make the folder writable by you (chmod u+w "${folder}"), or move the database to a folder you can write in and point --db at it.`, cause: error },
    );
  }
  if (code.startsWith('SQLITE_READONLY')) {
    return new DatabaseReadOnlyError(`${file} is read-only: ${READ_ONLY_REASONS[code] ?? error.message}.`, {
      hint: `Make it writable by you (chmod u+w "${file}", and its -wal and -shm files if there are any), or run custdb as the user who owns it.`,
      cause: error,
    });
  }
  const lockedOutBy = code.startsWith('SQLITE_CANTOPEN') ? [`${file}-wal`, `${file}-shm`].filter((side) => existsSync(side) && !canReadAndWrite(side)) : [];
  if (lockedOutBy.length > 0) {
    const names = lockedOutBy.map((side) => path.basename(side)).join(' and ');
    return new DatabaseOpenError(`Cannot open ${file}: you may not read and write ${names} beside it (SQLite's working files, left by another user or a process that was killed).`, {
      hint: 'Give yourself read and write access to them (chown or chmod), or run custdb as the user who owns them.',
      cause: error,
    });
  }
  if (code.startsWith('SQLITE_CANTOPEN') || code.startsWith('SQLITE_PERM') || code.startsWith('SQLITE_AUTH')) {
    return new DatabaseOpenError(`Cannot open ${file} for writing: ${error.message}.`, {
      hint: 'Check the file and its folder are writable by you.',
      cause: error,
    });
  }
  if (code === 'SQLITE_FULL' || code.startsWith('SQLITE_IOERR')) {
    return new DatabaseOpenError(`Could not write to ${file}: ${error.message}. Nothing from this command was kept.`, {
      hint: 'Free some disk space, then run the command again.',
      cause: error,
    });
  }
  return error;
}

const READ_ONLY_REASONS: Partial<Record<string, string>> = {
  SQLITE_READONLY: 'you may read the file but not write to it',
  SQLITE_READONLY_CANTINIT: 'its -shm file is not writable by you',
  SQLITE_READONLY_CANTLOCK: 'its -shm file is not writable by you',
  SQLITE_READONLY_RECOVERY: 'its -wal file needs recovering, which needs write access',
  SQLITE_READONLY_ROLLBACK: 'it has an unfinished journal to roll back, which needs write access',
  SQLITE_READONLY_DBMOVED: 'the file was moved or deleted while custdb had it open',
};

function canReadAndWrite(file: string): boolean {
  try {
    accessSync(file, constants.R_OK | constants.W_OK);
    return true;
  } catch {
    return false;
  }
}
