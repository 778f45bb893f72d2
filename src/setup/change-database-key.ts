import { recordEvent } from '../audit/record-event.js';
import { openStore, rekeyDatabase, type DatabaseKey, type KeySupply } from '../db/open-store.js';

export interface ChangeKeyResult {
  path: string;
  /** 'encrypted' a plain file, 'rekeyed' an encrypted one, or 'decrypted' it. */
  outcome: 'encrypted' | 'rekeyed' | 'decrypted';
  /** The cipher the file is encrypted with now; null once decrypted. */
  cipher: string | null;
}

/**
 * Encrypts a database file with the key `readNext` gives, changes its key to
 * it, or decrypts it (`readNext` undefined), then records that in the audit
 * log (never a key). All or nothing: on failure the old key still opens the file.
 */
export async function changeDatabaseKey(
  location: string,
  options: { current: KeySupply; readNext: (() => Promise<DatabaseKey>) | undefined; actor: string },
): Promise<ChangeKeyResult> {
  let next: DatabaseKey | undefined;
  const readNext = options.readNext;
  const keep = readNext === undefined ? undefined : async () => (next = await readNext());
  const { file, encryptedBefore, cipher } = await rekeyDatabase(location, options.current, keep);
  const outcome = next === undefined ? 'decrypted' : encryptedBefore ? 'rekeyed' : 'encrypted';
  const { store } = await openStore({ location: file, create: false, migrations: 'check', key: { given: () => next } });
  try {
    await store.transaction((db) => recordEvent(db, { actor: options.actor, command: 'rekey', summary: `${outcome} the database file`, details: { outcome, cipher: cipher ?? null } }));
    return { path: file, outcome, cipher: cipher ?? null };
  } finally {
    await store.close();
  }
}
