import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3-multiple-ciphers';
import { Kysely, SqliteDialect } from 'kysely';
import { openStore } from '../../src/db/open-store.js';
import { SQLITE_CONNECTION_PRAGMAS } from '../../src/db/sqlite/connection-settings.js';
import type { Database } from '../../src/db/tables.js';

/**
 * For tests of src/db/sqlite/ itself: a new custdb database file (created and
 * migrated by openStore, then closed) and a connection of its own to it, set up
 * as custdb sets up its connections, with a Kysely over the same connection.
 */
export async function openSqliteConnection(prefix = 'custdb-sqlite-'): Promise<{ file: string; sqlite: BetterSqlite3.Database; db: Kysely<Database>; close(): Promise<void> }> {
  const file = path.join(mkdtempSync(path.join(tmpdir(), prefix)), 'customers.db');
  const { store } = await openStore({ location: file, create: true, migrations: 'apply' });
  await store.close();
  const sqlite = new BetterSqlite3(file, { fileMustExist: true });
  for (const pragma of SQLITE_CONNECTION_PRAGMAS) sqlite.pragma(pragma);
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  return {
    file,
    sqlite,
    db,
    close: async () => {
      await db.destroy();
      if (sqlite.open) sqlite.close();
    },
  };
}
