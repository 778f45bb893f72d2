import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3-multiple-ciphers';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../src/db/open-store.js';
import { SchemaMismatchError, DatabaseOpenError } from '../../src/errors.js';

/** The migrations this build ships, in order. */
const SHIPPED = readdirSync(new URL('../../schema/sqlite/', import.meta.url))
  .filter((f) => f.endsWith('.sql'))
  .sort()
  .map((f) => f.replace(/\.sql$/, ''));

function tempDb(): string {
  return path.join(mkdtempSync(path.join(tmpdir(), 'custdb-db-')), 'test.db');
}

function tableNames(file: string): string[] {
  const db = new BetterSqlite3(file, { readonly: true });
  try {
    return db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`).pluck().all() as string[];
  } finally {
    db.close();
  }
}

describe('migrations on a real SQLite file', () => {
  it('apply to an empty database and create the whole data model', async () => {
    const file = tempDb();
    const { store, created, applied } = await openStore({ location: file, create: true, migrations: 'apply' });
    await store.close();
    expect(created).toBe(true);
    expect(applied).toEqual(SHIPPED);
    expect(tableNames(file)).toEqual(
      expect.arrayContaining([
        'customers', 'customer_identities', 'customer_attributes', 'customer_tags', 'orders', 'order_items', 'products',
        'interactions', 'import_batches', 'changes', 'merges', 'dedupe_decisions', 'segments', 'suppressions', 'events',
        'schema_migrations',
      ]),
    );
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('re-applying is a no-op', async () => {
    const file = tempDb();
    await (await openStore({ location: file, create: true, migrations: 'apply' })).store.close();
    const again = await openStore({ location: file, create: false, migrations: 'apply' });
    await again.store.close();
    expect(again.created).toBe(false);
    expect(again.applied).toEqual([]);
    expect(again.before.pending).toEqual([]);
  });

  it('sets WAL, foreign keys and a busy timeout on every connection', async () => {
    const { store } = await openStore({ location: tempDb(), create: true, migrations: 'apply' });
    try {
      const pragma = async (name: string) => Object.values((await sql<Record<string, unknown>>`PRAGMA ${sql.raw(name)}`.execute(store.db)).rows[0] ?? {})[0];
      expect(await pragma('journal_mode')).toBe('wal');
      expect(await pragma('foreign_keys')).toBe(1);
      expect(await pragma('busy_timeout')).toBe(5000);
      await expect(store.db.insertInto('customer_tags').values({ customer_id: 999, tag: 'x' }).execute()).rejects.toThrow(/FOREIGN KEY/);
    } finally {
      await store.close();
    }
  });

  it('refuses a database with a future migration and leaves it byte-for-byte unchanged', async () => {
    const file = tempDb();
    await (await openStore({ location: file, create: true, migrations: 'apply' })).store.close();
    const raw = new BetterSqlite3(file);
    raw.prepare(`INSERT INTO schema_migrations VALUES (99, '0099-future', '2030-01-01T00:00:00.000Z')`).run();
    raw.pragma('wal_checkpoint(TRUNCATE)');
    raw.close();
    const before = readFileSync(file);
    await expect(openStore({ location: file, create: false, migrations: 'apply' })).rejects.toThrow(SchemaMismatchError);
    expect(readFileSync(file).equals(before)).toBe(true);
  });

  it('refuses a SQLite file that is not a custdb database', async () => {
    const file = tempDb();
    const raw = new BetterSqlite3(file);
    raw.exec('CREATE TABLE notes (body TEXT)');
    raw.close();
    await expect(openStore({ location: file, create: false, migrations: 'apply' })).rejects.toThrow(DatabaseOpenError);
  });
});
