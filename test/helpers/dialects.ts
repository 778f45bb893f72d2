import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { inject, onTestFinished } from 'vitest';
import { readTestDialects, type TestDialect } from './test-dialects.js';
import { openStore } from '../../src/db/open-store.js';
import type { Store } from '../../src/db/store.js';

export type { TestDialect };

/**
 * The dialects store tests run on: sqlite and postgres, unless
 * CUSTDB_TEST_DIALECTS names fewer.
 *
 * @example
 * describe.each(TEST_DIALECTS)('%s', (dialect) => { … });
 */
export const TEST_DIALECTS: readonly TestDialect[] = readTestDialects(process.env.CUSTDB_TEST_DIALECTS);

export interface FreshDatabase {
  /** What `--db` takes: a file path for SQLite, a postgres:// URL for PostgreSQL. Nothing exists there yet. */
  location: string;
  /** Drops the database, or removes the SQLite file's directory; safe to call twice. */
  dispose(): Promise<void>;
}

let created = 0;

/**
 * A new, empty database of `dialect` that no other test sees: for SQLite a
 * path to a file not yet created, in a fresh temp directory; for PostgreSQL
 * a database just created on the test server, as a URL logging in as its
 * superuser.
 *
 * @example
 * const db = await freshDatabase(dialect);
 * onTestFinished(() => db.dispose());
 * const { store } = await openStore({ location: db.location, create: true, migrations: 'apply' });
 */
export async function freshDatabase(dialect: TestDialect): Promise<FreshDatabase> {
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(path.join(tmpdir(), 'custdb-test-'));
    return {
      location: path.join(dir, 'customers.db'),
      dispose: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  created += 1;
  const name = `custdb_t_${process.pid}_${created}_${randomBytes(4).toString('hex')}`;
  await adminQuery(`CREATE DATABASE "${name}"`);
  const url = new URL(postgresAdminUrl());
  url.pathname = `/${name}`;
  return {
    location: url.toString(),
    dispose: async () => {
      await adminQuery(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    },
  };
}

/**
 * Runs one statement as the test server's superuser, in its `postgres`
 * database (for what a database URL cannot do: roles, other databases), and
 * returns the rows.
 *
 * @example
 * await adminQuery(`CREATE ROLE "${role}" LOGIN`);
 */
export async function adminQuery<Row extends pg.QueryResultRow = pg.QueryResultRow>(sql: string, params: unknown[] = []): Promise<Row[]> {
  const client = new pg.Client({ connectionString: postgresAdminUrl() });
  await client.connect();
  try {
    return (await client.query<Row>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

/** The test server's superuser URL (database `postgres`): for tests that create databases and roles themselves. */
export function postgresAdminUrl(): string {
  const url = inject('postgresAdminUrl');
  if (typeof url !== 'string') {
    throw new Error(
      'No PostgreSQL server for this test: CUSTDB_TEST_DIALECTS leaves it out, or vitest ran without test/setup/postgres-server.ts as globalSetup. Check TEST_DIALECTS before asking for one.',
    );
  }
  return url;
}

/**
 * A new, empty database of `dialect` for one test (dropped, or its folder removed, when the test
 * ends), and a folder for the files the test writes. Call inside a test.
 */
export async function freshLocation(dialect: TestDialect, prefix = 'custdb-test-'): Promise<{ location: string; dir: string }> {
  const database = await freshDatabase(dialect);
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  onTestFinished(async () => {
    await database.dispose();
    rmSync(dir, { recursive: true, force: true });
  });
  return { location: database.location, dir };
}

/**
 * Runs `work` on a store opened at `location` and closes it after, so that CLI runs between two
 * calls find no connection of the test's left open.
 */
export async function withStoreAt<T>(location: string, work: (store: Store) => Promise<T>): Promise<T> {
  const { store } = await openStore({ location, create: false, migrations: 'apply' });
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}
