import { createHmac, randomBytes } from 'node:crypto';
import { openSync, readFileSync, writeSync, closeSync } from 'node:fs';
import type { Kysely } from 'kysely';
import { CustdbError } from '../errors.js';
import { nowIso } from './clock.js';
import type { Store } from './store.js';
import type { Database, SuppressionTable } from './tables.js';

/** One identifier of a person, as it is hashed: a normalised email, an E.164 phone, or `source:external_id`. */
export interface Identifier {
  kind: SuppressionTable['kind'];
  value: string;
}

/** What identifies an incoming or stored person: the keys identity resolution matches on. */
export interface IdentifierSource {
  email_norm: string | null;
  phone_e164: string | null;
  externalIds: readonly { source: string; externalId: string }[];
}

/** The suppressions' key is missing while hashes exist: erased people could come back unrecognised. */
export class SuppressionKeyMissingError extends CustdbError {}

const KEY_BYTES = 32;

/** Where SQLite keeps the key: beside the database, so that a copy of the file alone does not carry it. */
export function suppressionKeyFile(databaseFile: string): string {
  return `${databaseFile}.keys`;
}

export function identifiersOf(person: IdentifierSource): Identifier[] {
  const found: Identifier[] = [];
  if (person.email_norm) found.push({ kind: 'email', value: person.email_norm });
  if (person.phone_e164) found.push({ kind: 'phone', value: person.phone_e164 });
  for (const id of person.externalIds) found.push({ kind: 'identity', value: `${id.source}:${id.externalId}` });
  return found;
}

/** HMAC-SHA256 of the identifier under the store's key, in hex; the kind is part of the message, so an email and an id that spell the same differ. */
export function hashIdentifier(key: Buffer, identifier: Identifier): string {
  return createHmac('sha256', key).update(`${identifier.kind}:${identifier.value}`).digest('hex');
}

/**
 * The store's suppression key; with `create`, makes one on first use (32
 * random bytes). SQLite: the file `<db>.keys`, mode 0600; PostgreSQL: the one
 * row of suppression_key. Undefined when there is none and `create` is off.
 */
export async function readSuppressionKey(store: Store, db: Kysely<Database>, options: { create: boolean }): Promise<Buffer | undefined> {
  if (store.file !== undefined) return readKeyFile(suppressionKeyFile(store.file), options.create);
  const row = await db.selectFrom('suppression_key').select('key').where('id', '=', 1).executeTakeFirst();
  if (row) return Buffer.from(row.key, 'hex');
  if (!options.create) return undefined;
  const key = randomBytes(KEY_BYTES);
  await db.insertInto('suppression_key').values({ id: 1, key: key.toString('hex'), created_at: nowIso() }).execute();
  return key;
}

function readKeyFile(file: string, create: boolean): Buffer | undefined {
  const existing = readExistingKey(file);
  if (existing !== undefined || !create) return existing;
  const key = randomBytes(KEY_BYTES);
  // 'wx': two erasures racing to make the key must not each write their own; the loser reads the winner's.
  let fd: number;
  try {
    fd = openSync(file, 'wx', 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return readExistingKey(file);
    throw new CustdbError(`Cannot create the suppression key ${file}: ${(error as Error).message}. Nothing was erased.`, {
      hint: 'custdb keeps it beside the database: make that folder writable by you.',
      cause: error,
    });
  }
  try {
    writeSync(fd, `${key.toString('hex')}\n`);
  } finally {
    closeSync(fd);
  }
  return key;
}

function readExistingKey(file: string): Buffer | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new CustdbError(`Cannot read the suppression key ${file}: ${(error as Error).message}.`, { hint: `Make it readable by you (chmod 600 ${file}).`, cause: error });
  }
  const key = Buffer.from(text.trim(), 'hex');
  if (key.length !== KEY_BYTES) {
    throw new SuppressionKeyMissingError(`${file} does not hold a suppression key (${KEY_BYTES * 2} hex digits).`, { hint: `Put back the ${file} saved with the database's backup.` });
  }
  return key;
}

/** The erased people's hashes of a store, loaded once per import: `erasedOn` answers per row from memory. */
export interface SuppressionList {
  readonly size: number;
  /** The day the person these identifiers name was erased ('YYYY-MM-DD', or '' when not recorded); undefined when none is suppressed. */
  erasedOn(person: IdentifierSource): string | undefined;
}

const NOTHING_SUPPRESSED: SuppressionList = { size: 0, erasedOn: () => undefined };

/**
 * Every suppression of the store with the key to test identifiers against
 * them. Reads no key while nothing is suppressed (most stores); throws
 * SuppressionKeyMissingError when hashes exist but their key does not, since
 * an import could then bring an erased person back unnoticed.
 */
export async function loadSuppressionList(store: Store, db: Kysely<Database> = store.db): Promise<SuppressionList> {
  const rows = await db.selectFrom('suppressions').select(['hash', 'erased_on', 'created_at']).execute();
  if (rows.length === 0) return NOTHING_SUPPRESSED;
  const key = await readSuppressionKey(store, db, { create: false });
  if (key === undefined) {
    const where = store.file !== undefined ? suppressionKeyFile(store.file) : 'the suppression_key table';
    throw new SuppressionKeyMissingError(`The key of the erased people's hashes (${where}) is missing: custdb cannot tell whether a row is someone who was erased.`, {
      hint: store.file !== undefined ? `Put ${where} back from the backup it was saved with (custdb backup keeps it beside the database's copy).` : 'Restore the suppression_key row from a backup of this database.',
    });
  }
  const erased = new Map(rows.map((row) => [row.hash, row.erased_on ?? row.created_at.slice(0, 10)]));
  return {
    size: erased.size,
    erasedOn(person) {
      for (const identifier of identifiersOf(person)) {
        const day = erased.get(hashIdentifier(key, identifier));
        if (day !== undefined) return day;
      }
      return undefined;
    },
  };
}
