/**
 * Errors for "could not run": each carries a one-line message and, where there
 * is one, a hint naming the fix. The CLI prints message + hint and exits 2
 * (or `exitCode` when a subclass says otherwise). Expected outcomes — rejected
 * rows, validation findings — are returned as values, never thrown.
 */
export class CustdbError extends Error {
  readonly hint: string | undefined;
  readonly exitCode: 1 | 2;

  constructor(message: string, options: { hint?: string; cause?: unknown; exitCode?: 1 | 2 } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.hint = options.hint;
    this.exitCode = options.exitCode ?? 2;
  }
}

/** The command line itself is wrong: unknown command, bad option value. */
export class UsageError extends CustdbError {}

/** A file named on the command line is missing or unreadable. */
export class InputFileError extends CustdbError {}

/** A file custdb was asked to write (or writes beside an input, like rejects) cannot be created or written. */
export class OutputFileError extends CustdbError {}

/** The database file is missing, unreadable, or not a custdb database. */
export class DatabaseOpenError extends CustdbError {}

/** The database is locked by another process for longer than the busy timeout. */
export class DatabaseBusyError extends CustdbError {}

/** The database file, or the folder SQLite keeps its -wal/-shm files in, is not writable by this user. */
export class DatabaseReadOnlyError extends CustdbError {}

/** The database was migrated by a newer custdb, or its migration history does not match this build. */
export class SchemaMismatchError extends CustdbError {}

/** A filter expression or --fields list names a field that does not exist. */
export class UnknownFieldError extends CustdbError {}

/** An import file has no column for a field the import needs. */
export class MissingColumnError extends CustdbError {}

/** A person, batch or merge named on the command line does not exist. */
export class NotFoundError extends CustdbError {}
