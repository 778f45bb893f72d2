import BetterSqlite3 from 'better-sqlite3';
import { CustdbError, DatabaseBusyError, DatabaseOpenError } from '../errors.js';

/**
 * Turns a driver error into a CustdbError that says what happened to which
 * file and what to do. Errors it does not recognise are returned unchanged
 * (the CLI then reports them as bugs).
 */
export function translateDatabaseError(error: unknown, file: string): unknown {
  if (error instanceof CustdbError || !(error instanceof BetterSqlite3.SqliteError)) return error;
  const code = error.code;
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    return new DatabaseBusyError(`${file} is locked by another process (waited 5 s).`, {
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
  if (code.startsWith('SQLITE_CANTOPEN') || code.startsWith('SQLITE_PERM') || code.startsWith('SQLITE_READONLY') || code.startsWith('SQLITE_AUTH')) {
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
