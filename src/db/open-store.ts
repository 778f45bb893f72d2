import { UsageError } from '../errors.js';
import type { MigrationState } from './compare-migrations.js';
import { openPostgresStore } from './postgres/open-postgres-store.js';
import { openSqliteStore } from './sqlite/open-sqlite-store.js';
import type { Store } from './store.js';

/** The passphrase of an encrypted database file, and where it came from, for messages: "the key from …" `CUSTDB_KEY`, `key file /path`, `the terminal`. */
export interface DatabaseKey {
  secret: Buffer;
  source: string;
}

/** Where an encrypted file's key comes from, asked only when a file turns out to need one. */
export interface KeySupply {
  /** The key given up front (CUSTDB_KEY, a key file), or undefined when none was. */
  given(): DatabaseKey | undefined;
  /** Asks for the key of `file` (in a terminal); absent when there is no one to ask. */
  ask?: (file: string) => Promise<DatabaseKey>;
}

export interface OpenStoreOptions {
  /** A file path, or a `postgres://` URL. */
  location: string;
  /** Create the database when it does not exist (otherwise a missing one is an error). */
  create: boolean;
  /** 'apply' brings the schema up to date; 'check' only refuses unusable databases (doctor). */
  migrations: 'apply' | 'check';
  /** The key of an encrypted file; without it an encrypted file is refused, naming the ways to give one. */
  key?: KeySupply;
  /** A file this call creates is encrypted with the key (which must then be given or asked for). */
  encrypt?: boolean;
}

export interface OpenedStore {
  store: Store;
  /** True when this call created the database. */
  created: boolean;
  /** Migration state before anything was applied. */
  before: MigrationState;
  /** Names of the migrations this call applied. */
  applied: string[];
}

/**
 * Opens (and, if asked, creates and migrates) a custdb database: a SQLite
 * file, or a PostgreSQL database named by a `postgres://` URL. Refuses a
 * database it cannot use (missing, foreign, from a newer build, encrypted
 * without its key) before writing anything to it.
 */
export async function openStore(options: OpenStoreOptions): Promise<OpenedStore> {
  if (!isPostgresUrl(options.location)) return openSqliteStore(options);
  if (options.encrypt === true) throw serverEncryptionError();
  return openPostgresStore(options);
}

/**
 * Encrypts a database file, changes its key, or decrypts it (`next`
 * undefined), in place and all at once: on any failure the file is as it was,
 * opened by its old key. The file must not be open elsewhere. The new key is
 * read once the current one has opened the file, so a terminal asks for the
 * current key first.
 */
export async function rekeyDatabase(
  location: string,
  current: KeySupply,
  next: (() => Promise<DatabaseKey>) | undefined,
): Promise<{ file: string; encryptedBefore: boolean; cipher: string | undefined }> {
  if (isPostgresUrl(location)) {
    // As with every command, a database that cannot be used (missing, from a newer custdb) is refused as such first.
    const { store } = await openPostgresStore({ location, create: false, migrations: 'check' });
    await store.close();
    throw serverEncryptionError();
  }
  const { rekeySqliteDatabase } = await import('./sqlite/open-sqlite-store.js');
  return rekeySqliteDatabase(location, current, next);
}

export function isPostgresUrl(location: string): boolean {
  return /^postgres(ql)?:\/\//i.test(location);
}

function serverEncryptionError(): UsageError {
  return new UsageError('custdb encrypts database files only: a PostgreSQL database is kept encrypted at rest by its server.', {
    hint: "Use the server's disk or tablespace encryption (ask whoever runs it), and drop --encrypt.",
  });
}
