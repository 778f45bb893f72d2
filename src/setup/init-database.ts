import { statSync } from 'node:fs';
import { openStore } from '../db/open-store.js';
import { recordEvent } from '../audit/record-event.js';

export interface InitResult {
  path: string;
  /** 'created' a new file, 'migrated' an existing one, or found it 'up-to-date'. */
  outcome: 'created' | 'migrated' | 'up-to-date';
  applied: string[];
  schemaVersion: string;
  /** File permission bits, e.g. '0600'; null for a database on a server. */
  mode: string | null;
}

/**
 * Creates the database (mode 0600) or brings an existing one up to date.
 * Never changes a database made by a newer custdb (throws SchemaMismatchError first).
 */
export async function initDatabase(location: string, actor: string): Promise<InitResult> {
  const { store, created, applied, before } = await openStore({ location, create: true, migrations: 'apply' });
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
    };
  } finally {
    await store.close();
  }
}
