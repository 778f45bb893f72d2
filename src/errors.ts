/**
 * Errors for "could not run": each carries a one-line message and, where there
 * is one, a hint naming the fix. The CLI prints message + hint and exits 2
 * (or `exitCode` when a subclass says otherwise). Expected outcomes — rejected
 * rows, validation findings — are returned as values, never thrown.
 */
export class CustdbError extends Error {
  readonly hint: string | undefined;
  readonly exitCode: 1 | 2;

  constructor(message: string, options: { hint?: string | undefined; cause?: unknown; exitCode?: 1 | 2 } = {}) {
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

/** An encrypted database's key is missing or wrong, or a key was given for a database that has none. */
export class DatabaseKeyError extends CustdbError {}

/** The database was migrated by a newer custdb, or its migration history does not match this build. */
export class SchemaMismatchError extends CustdbError {}

/** A filter expression or --fields list names a field that does not exist. */
export class UnknownFieldError extends CustdbError {}

/** An import file has no column for a field the import needs. */
export class MissingColumnError extends CustdbError {}

/** A person, batch or merge named on the command line does not exist. */
export class NotFoundError extends CustdbError {}

/** What a database role is to custdb on a PostgreSQL database (`custdb access`), as the refusal below reports it. */
export interface ActingRole {
  /** The login role of the connection (session_user). */
  user: string;
  /** Its custdb role in this database; undefined when it has none. */
  role: 'owner' | 'staff' | 'analyst' | undefined;
  /** For an analyst: whether personal fields are shown as they are. */
  unmasked: boolean;
  superuser: boolean;
}

/**
 * The database server refused this role something (PostgreSQL's
 * insufficient_privilege, 42501): the role lacks the custdb role the command
 * needs. `serverMessage` keeps the server's own words; `acting` says who the
 * role is to custdb, when it could be found out. Until `explained`, the CLI
 * rewrites the message to name what the command needed (explainRefusal).
 */
export class PermissionDeniedError extends CustdbError {
  /** The database, as messages name it (a URL without password). */
  readonly location: string;
  readonly serverMessage: string;
  /** The login role the location names, when it names one (the server may still know better: `acting`). */
  readonly user: string | undefined;
  readonly acting: ActingRole | undefined;
  readonly explained: boolean;

  constructor(
    message: string,
    options: { hint?: string | undefined; cause?: unknown; location: string; serverMessage: string; user?: string | undefined; acting?: ActingRole | undefined; explained?: boolean },
  ) {
    super(message, options);
    this.location = options.location;
    this.serverMessage = options.serverMessage;
    this.user = options.user;
    this.acting = options.acting;
    this.explained = options.explained ?? false;
  }
}
