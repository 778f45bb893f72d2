import { sql } from 'kysely';
import type { Store } from '../store.js';

/**
 * Runs `work` (which writes through `store`) so that what it deletes or
 * overwrites leaves no bytes behind in a SQLite file: with secure_delete on,
 * SQLite zeroes freed cells and pages as it writes; afterwards a TRUNCATE
 * checkpoint copies the log into the file and empties the -wal, whose older
 * frames still hold the pages as they were. `logEmptied` is false when another
 * connection's open read kept the checkpoint from finishing: the old frames
 * stay in the -wal until it ends and a later checkpoint overwrites them. On a
 * server the data is not a file custdb controls: `work` just runs.
 */
export async function overwriteFreedBytes<T>(store: Store, work: () => Promise<T>): Promise<{ value: T; logEmptied: boolean }> {
  if (store.dialect.name !== 'sqlite') return { value: await work(), logEmptied: true };
  // One connection serves the store, so the pragma holds for the transaction `work` opens on it.
  await sql`PRAGMA secure_delete = ON`.execute(store.db);
  let value: T;
  try {
    value = await work();
  } finally {
    await sql`PRAGMA secure_delete = OFF`.execute(store.db);
  }
  const { rows } = await sql<{ busy: number }>`PRAGMA wal_checkpoint(TRUNCATE)`.execute(store.db);
  return { value, logEmptied: rows[0]?.busy === 0 };
}
