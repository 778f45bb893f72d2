import type { Kysely } from 'kysely';
import type pg from 'pg';
import type { BulkInsert, BulkValue } from '../store.js';
import type { Database } from '../tables.js';
import { CopyRows } from './copy-rows.js';
import { createSessionKysely } from './create-session-kysely.js';
import { endClient } from './end-client.js';
import { TAKE_WRITE_LOCK_SQL } from './write-lock.js';

/** Rows held as COPY text before they are sent: a few MB, not the whole write. */
const ROWS_PER_COPY = 50_000;

/**
 * Runs `work` in one write transaction on a client of `pool` (custdb's write lock taken first,
 * as every transaction takes it), with Kysely on that client and a BulkInsert that streams
 * COPY … FROM STDIN on it. Commits when `work` resolves; otherwise rolls back and gives the
 * client back. Errors come out as the server gave them: the caller translates.
 */
export async function runPostgresBulkTransaction<T>(pool: pg.Pool, work: (db: Kysely<Database>, bulk: BulkInsert) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let committed = false;
  try {
    await client.query('BEGIN');
    await client.query(TAKE_WRITE_LOCK_SQL);
    // Every insert has finished writing before it resolves: a query has nothing buffered to wait for.
    const result = await work(createSessionKysely(client, async () => {}), new PostgresBulkInsert(client));
    await client.query('COMMIT');
    committed = true;
    return result;
  } finally {
    await endClient(client, committed);
  }
}

class PostgresBulkInsert implements BulkInsert {
  constructor(private readonly client: pg.ClientBase) {}

  async insert(table: keyof Database & string, columns: readonly string[], rows: Iterable<readonly BulkValue[]>): Promise<void> {
    const copy = new CopyRows(table, columns);
    for (const row of rows) {
      if (row.length !== columns.length) throw new RangeError(`a row for ${table} has ${row.length} values for ${columns.length} columns`);
      copy.add(row);
      if (copy.size >= ROWS_PER_COPY) await copy.copyInto(this.client);
    }
    await copy.copyInto(this.client);
  }
}
