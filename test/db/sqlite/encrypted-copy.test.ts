import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type BetterSqlite3 from 'better-sqlite3-multiple-ciphers';
import { describe, expect, it } from 'vitest';
import { joinCustomerSnapshot } from '../../../src/db/customer-snapshot.js';
import { openStore } from '../../../src/db/open-store.js';
import { connectSqlite, sqliteFileKind } from '../../../src/db/sqlite/encryption.js';

// What a copy of an encrypted file can be made with, which `custdb backup` relies on: the fork's own
// online backup refuses an encrypted source; VACUUM INTO on the keyed connection writes a copy encrypted
// with the same cipher and key, needing no key (or ATTACH) of its own. And a second connection of the
// export's own, on another thread, reads the file with the key the snapshot's token carries.

const KEY = { secret: Buffer.from('a passphrase'), source: 'test' };
const EMAIL = 'jane.obrien@example.com';

/** A migrated custdb file (encrypted with KEY when asked) holding one customer, and a connection on it with its key. */
async function database(encrypted: boolean): Promise<{ dir: string; file: string; sqlite: BetterSqlite3.Database }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'custdb-copy-'));
  const file = path.join(dir, 'customers.db');
  const { store } = await openStore({ location: file, create: true, migrations: 'apply', encrypt: encrypted, key: { given: () => (encrypted ? KEY : undefined) } });
  await store.close();
  const sqlite = connectSqlite(file, encrypted ? KEY : undefined);
  sqlite.prepare(`INSERT INTO customers (first_name, email, status, created_at, updated_at) VALUES ('Jane', ?, 'active', 'now', 'now')`).run(EMAIL);
  return { dir, file, sqlite };
}

describe('copying an encrypted database file', () => {
  it("the fork's .backup() refuses an encrypted source, leaving no usable copy", async () => {
    const { dir, sqlite } = await database(true);
    const target = path.join(dir, 'copy.db');
    try {
      await expect(sqlite.backup(target)).rejects.toThrow('backup is not supported with incompatible source and target databases');
    } finally {
      sqlite.close();
    }
    expect(existsSync(target) ? statSync(target).size : 0).toBe(0);
  });

  it('.backup() of a plain source works (so the refusal above is about the encryption)', async () => {
    const { dir, sqlite } = await database(false);
    const target = path.join(dir, 'copy.db');
    await sqlite.backup(target);
    sqlite.close();
    expect(sqliteFileKind(target, statSync(target).size)).toBe('plain');
  });

  it('VACUUM INTO on the keyed connection writes a copy encrypted with the same cipher and key: no plaintext, opens with that key only', async () => {
    const { dir, file, sqlite } = await database(true);
    const target = path.join(dir, 'copy.db');
    try {
      sqlite.prepare('VACUUM INTO ?').run(target);
    } finally {
      sqlite.close();
    }
    const bytes = readFileSync(target);
    expect(sqliteFileKind(target, bytes.length)).toBe('encrypted');
    expect(bytes.includes(EMAIL)).toBe(false);
    // The same key-derivation salt as the source: the same passphrase opens both.
    expect(bytes.subarray(0, 16)).toEqual(readFileSync(file).subarray(0, 16));

    const copy = connectSqlite(target, KEY);
    try {
      expect(copy.pragma('cipher', { simple: true })).toBe('chacha20');
      expect(copy.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(copy.prepare('SELECT email FROM customers').pluck().all()).toEqual([EMAIL]);
    } finally {
      copy.close();
    }
    expect(() => connectSqlite(target, undefined)).toThrow(/is not a SQLite database/);
    expect(() => connectSqlite(target, { secret: Buffer.from('another'), source: 'test' })).toThrow(/^Wrong key for/);
  });
});

describe('a customer snapshot of an encrypted file shared with another thread', () => {
  it('the token, cloned as a worker receives it, carries the key: the second reader reads the same customers', async () => {
    const { file, sqlite } = await database(true);
    sqlite.close();
    const { store } = await openStore({ location: file, create: false, migrations: 'apply', key: { given: () => KEY } });
    try {
      const share = { minCustomers: 0, start: (token: Parameters<typeof joinCustomerSnapshot>[0]) => joinCustomerSnapshot(structuredClone(token)) };
      const { snapshot, shared } = await store.openCustomerSnapshot({ nulls: false, share });
      try {
        expect(shared).toBeDefined();
        const range = { after: 0, upTo: snapshot.maxId };
        const theirs = await shared!.read(range);
        expect(theirs.customers).toHaveLength(1);
        expect(theirs).toEqual(await snapshot.read(range));
      } finally {
        await shared?.close();
        await snapshot.close();
      }
    } finally {
      await store.close();
    }
  });
});
