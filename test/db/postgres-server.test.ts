import { existsSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { describe, expect, it, onTestFinished } from 'vitest';
import { adminQuery, freshDatabase, TEST_DIALECTS } from '../helpers/dialects.js';

async function queryIn<Row extends pg.QueryResultRow>(url: string, sql: string): Promise<Row[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<Row>(sql)).rows;
  } finally {
    await client.end();
  }
}

async function databaseExists(name: string): Promise<boolean> {
  const rows = await adminQuery('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
  return rows.length === 1;
}

describe.runIf(TEST_DIALECTS.includes('postgres'))('the PostgreSQL test server', () => {
  it('is a real PostgreSQL, version 13 or newer', async () => {
    const [row] = await adminQuery<{ server_version_num: string }>('SHOW server_version_num');
    expect(Number(row?.server_version_num)).toBeGreaterThanOrEqual(130000);
  });

  it('gives each fresh database to one test alone: what one holds, the other does not see', async () => {
    const first = await freshDatabase('postgres');
    onTestFinished(() => first.dispose());
    const second = await freshDatabase('postgres');
    onTestFinished(() => second.dispose());
    expect(first.location).not.toBe(second.location);

    await queryIn(first.location, "CREATE TABLE customers (email text); INSERT INTO customers VALUES ('ana@example.com')");

    expect(await queryIn(first.location, 'SELECT email FROM customers')).toEqual([{ email: 'ana@example.com' }]);
    expect(await queryIn(second.location, "SELECT to_regclass('public.customers') AS found")).toEqual([{ found: null }]);
  });

  it('hands out a postgres:// URL whose database is new and empty, and dispose drops it (twice is fine)', async () => {
    const db = await freshDatabase('postgres');
    const name = new URL(db.location).pathname.slice(1);
    expect(db.location).toMatch(/^postgres:\/\/[^/]+\/custdb_t_\w+$/);
    expect(await databaseExists(name)).toBe(true);
    const [tables] = await queryIn<{ count: string }>(db.location, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'");
    expect(Number(tables?.count)).toBe(0);

    // An open connection does not keep it alive: tests may forget to close one.
    const lingering = new pg.Client({ connectionString: db.location });
    await lingering.connect();
    lingering.on('error', () => undefined);
    await db.dispose();
    await db.dispose();

    expect(await databaseExists(name)).toBe(false);
    await lingering.end().catch(() => undefined);
  });
});

describe.runIf(TEST_DIALECTS.includes('sqlite'))('a fresh SQLite database', () => {
  it('is a path to a file not yet there, in a directory of its own that dispose removes', async () => {
    const db = await freshDatabase('sqlite');
    expect(existsSync(db.location)).toBe(false);
    expect(existsSync(path.dirname(db.location))).toBe(true);
    const other = await freshDatabase('sqlite');
    onTestFinished(() => other.dispose());
    expect(path.dirname(other.location)).not.toBe(path.dirname(db.location));

    await db.dispose();
    await db.dispose();

    expect(existsSync(path.dirname(db.location))).toBe(false);
  });
});
