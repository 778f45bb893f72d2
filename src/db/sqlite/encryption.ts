import { closeSync, openSync, readSync } from 'node:fs';
import BetterSqlite3 from 'better-sqlite3-multiple-ciphers';
import { DatabaseBusyError, DatabaseKeyError } from '../../errors.js';
import { BUSY_TIMEOUT_MS } from '../dialect.js';
import type { DatabaseKey } from '../open-store.js';
import { translateSqliteError } from './translate-sqlite-error.js';

/**
 * The cipher of every encrypted custdb file: SQLite3 Multiple Ciphers' own
 * default, ChaCha20 with a Poly1305 tag on every page and a key derived from
 * the passphrase by PBKDF2-SHA256. Chosen over the SQLCipher-compatible scheme
 * because its key derivation costs a quarter as much (about 0.1 s against
 * 0.45 s here), and custdb pays it on every connection, two or three per
 * command. Named on every open, so a later default cannot lock a file out.
 */
export const SQLITE_CIPHER = 'chacha20';

/** Every unencrypted SQLite file starts with these 16 bytes; an encrypted one starts with its key-derivation salt. */
const PLAIN_HEADER = Buffer.from('SQLite format 3\0', 'latin1');

/** The smallest page SQLite writes; an encrypted file is whole pages, which a text file given as --db seldom is. */
const SMALLEST_PAGE = 512;

/**
 * What a file is, from its first bytes, without opening it as a database:
 * 'empty' (nothing written yet), 'plain' (an unencrypted SQLite file),
 * 'encrypted' (whole pages with no SQLite header: what an encrypted file looks
 * like), or 'other' (neither, so not a database custdb can open).
 */
export function sqliteFileKind(file: string, size: number): 'empty' | 'plain' | 'encrypted' | 'other' {
  if (size === 0) return 'empty';
  const head = Buffer.alloc(PLAIN_HEADER.length);
  const fd = openSync(file, 'r');
  try {
    readSync(fd, head, 0, head.length, 0);
  } finally {
    closeSync(fd);
  }
  if (head.equals(PLAIN_HEADER)) return 'plain';
  return size % SMALLEST_PAGE === 0 ? 'encrypted' : 'other';
}

/**
 * Opens a connection on an existing file, applying `key` (when given) before
 * any other statement and then proving it by reading the schema. A wrong key
 * throws DatabaseKeyError with the connection closed: nothing has been read
 * or written but the first page. Used for every connection custdb makes on a
 * file (the store's, a snapshot's, a backup's copy when it is checked).
 *
 * @example
 * const sqlite = connectSqlite('/srv/crm.db', { secret: Buffer.from('…'), source: 'CUSTDB_KEY' });
 */
export function connectSqlite(file: string, key: DatabaseKey | undefined, options: { timeout?: number } = {}): BetterSqlite3.Database {
  let sqlite: BetterSqlite3.Database | undefined;
  try {
    sqlite = new BetterSqlite3(file, { fileMustExist: true, timeout: options.timeout ?? BUSY_TIMEOUT_MS });
    if (key !== undefined) applyKey(sqlite, key.secret);
    sqlite.prepare('SELECT count(*) FROM sqlite_master').get();
    return sqlite;
  } catch (error) {
    sqlite?.close();
    if (key !== undefined && error instanceof BetterSqlite3.SqliteError && error.code === 'SQLITE_NOTADB') {
      throw new DatabaseKeyError(`Wrong key for ${file}: the key from ${key.source} does not open it (or it is not a custdb database).`, {
        hint: 'Give the key the database was encrypted with, through CUSTDB_KEY, --key-file or CUSTDB_KEY_FILE.',
        cause: error,
      });
    }
    throw translateSqliteError(error, file);
  }
}

/** Sets the cipher and the key of a connection that has run no statement yet. */
export function applyKey(sqlite: BetterSqlite3.Database, secret: Buffer): void {
  sqlite.pragma(`cipher = '${SQLITE_CIPHER}'`);
  sqlite.key(secret);
}

/** The cipher a connection reads its file with, or undefined when the file is not encrypted. */
export function readCipher(sqlite: BetterSqlite3.Database, encrypted: boolean): string | undefined {
  return encrypted ? String(sqlite.pragma('cipher', { simple: true })) : undefined;
}

/**
 * Encrypts, re-keys or decrypts (`next` undefined) a file in place, through
 * SQLite3 Multiple Ciphers' rekey: one transaction rewriting every page, with a
 * rollback journal, so a failure or a killed process leaves the file as it was,
 * opened by the old key. Rekeying needs the rollback journal rather than WAL,
 * and so the file to itself: another connection open on it makes this fail as
 * locked, changing nothing. The file is back in WAL mode afterwards.
 */
export function rekeySqliteFile(file: string, current: DatabaseKey | undefined, next: DatabaseKey | undefined): void {
  const sqlite = connectSqlite(file, current);
  try {
    try {
      sqlite.pragma('journal_mode = DELETE');
    } catch (error) {
      // Leaving WAL needs every other connection gone; SQLite says so at once rather than waiting.
      if (error instanceof BetterSqlite3.SqliteError && error.code.startsWith('SQLITE_BUSY')) {
        throw new DatabaseBusyError(`${file} is in use by another process, and rekey needs it to itself.`, {
          hint: 'Wait for the other custdb commands on it (an import, an export, a backup) to finish, then run rekey again.',
          cause: error,
        });
      }
      throw error;
    }
    if (next === undefined) sqlite.rekey(Buffer.alloc(0));
    else {
      // A plain file takes its cipher from the connection; an encrypted one keeps the cipher it has.
      if (current === undefined) sqlite.pragma(`cipher = '${SQLITE_CIPHER}'`);
      sqlite.rekey(next.secret);
    }
    sqlite.pragma('journal_mode = WAL');
  } catch (error) {
    throw translateSqliteError(error, file);
  } finally {
    sqlite.close();
  }
}
