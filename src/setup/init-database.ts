import { statSync } from 'node:fs';
import { openStore, type KeySupply } from '../db/open-store.js';
import { recordEvent } from '../audit/record-event.js';

export interface InitResult {
  path: string;
  /** 'created' a new file, 'migrated' an existing one, or found it 'up-to-date'. */
  outcome: 'created' | 'migrated' | 'up-to-date';
  applied: string[];
  schemaVersion: string;
  /** File permission bits, e.g. '0600'; null for a database on a server. */
  mode: string | null;
  /** The cipher the file is encrypted with (`chacha20`); null when it is not encrypted. */
  cipher: string | null;
}

export interface InitOptions {
  /** Create the file encrypted (SQLite; refused for a server, and for a plain file that already exists). */
  encrypt?: boolean;
  /** The key of an encrypted file, or of the one to create. */
  key?: KeySupply;
}

/**
 * Creates the database (mode 0600) or brings an existing one up to date.
 * With `encrypt`, a new file is encrypted from its first byte.
 * Never changes a database made by a newer custdb (throws SchemaMismatchError first).
 */
export async function initDatabase(location: string, actor: string, options: InitOptions = {}): Promise<InitResult> {
  const { store, created, applied, before } = await openStore({ location, create: true, migrations: 'apply', ...options });
  try {
    const outcome = created ? 'created' : applied.length > 0 ? 'migrated' : 'up-to-date';
    if (outcome !== 'up-to-date') {
      await store.transaction((trx) => recordEvent(trx, { actor, command: 'init', summary: `${outcome} database; applied ${applied.join(', ')}`, details: { applied } }));
    }
    return {
      path: store.location,
      outcome,
      applied,
      schemaVersion: before.known[before.known.length - 1] ?? '',
      mode: store.file === undefined ? null : (statSync(store.file).mode & 0o777).toString(8).padStart(4, '0'),
      cipher: store.cipher ?? null,
    };
  } finally {
    await store.close();
  }
}
