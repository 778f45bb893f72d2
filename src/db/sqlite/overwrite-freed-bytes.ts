import { sql } from 'kysely';
import type { Store } from '../store.js';

/**
 * Runs `work` (which writes through `store`) so that what it deletes or
 * overwrites leaves no bytes behind in a SQLite file: with secure_delete on,
 * SQLite zeroes freed cells and pages as it writes; afterwards a TRUNCATE
 * checkpoint copies the log into the file and empties the -wal, whose older
 * frames still hold the pages as they were. On a server the data is not a
 * file custdb controls: `work` just runs.
 */
export async function overwriteFreedBytes<T>(store: Store, work: () => Promise<T>): Promise<T> {
  if (store.dialect.name !== 'sqlite') return work();
  // One connection serves the store, so the pragma holds for the transaction `work` opens on it.
  await sql`PRAGMA secure_delete = ON`.execute(store.db);
  let result: T;
  try {
    result = await work();
  } finally {
    await sql`PRAGMA secure_delete = OFF`.execute(store.db);
  }
  await sql`PRAGMA wal_checkpoint(TRUNCATE)`.execute(store.db);
  return result;
}
