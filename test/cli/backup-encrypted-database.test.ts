import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect } from 'vitest';
import { connectSqlite, sqliteFileKind } from '../../src/db/sqlite/encryption.js';
import { sqliteOnly } from '../helpers/cli-database.js';
import { FIXTURES, makeWorkdir } from '../helpers/run-cli.js';
import { runCliInProcess } from '../helpers/run-cli-in-process.js';

// Encryption at rest belongs to a SQLite file, so these run on SQLite alone.
const it = sqliteOnly('an encrypted database is a SQLite file');

const KEY = { CUSTDB_KEY: 'correct horse battery staple' };

async function run(cwd: string, args: string[], env: Record<string, string> = KEY): Promise<{ code: number; stdout: string; stderr: string }> {
  return runCliInProcess(args, { cwd, env });
}

/** An encrypted database holding customers.csv. */
async function encryptedWorkdir(): Promise<string> {
  const cwd = makeWorkdir('customers.csv', 'orders/shopify_orders.csv');
  for (const args of [['init', '--encrypt'], ['import', 'customers.csv']]) {
    const result = await run(cwd, args);
    expect(result.code, result.stderr).toBe(0);
  }
  return cwd;
}

const FIXTURE_EMAILS = (parse(readFileSync(path.join(FIXTURES, 'customers.csv')), { columns: true }) as Record<string, string>[])
  .map((row) => row.Email!)
  .filter((email) => email.includes('@'));

const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

describe('custdb backup and restore of an encrypted database', () => {
  it('a backup is encrypted with the database key (no fixture email in its bytes), and restores with that key to the export taken at backup time', async () => {
    const cwd = await encryptedWorkdir();
    const atBackup = await run(cwd, ['export', 'customers', '--format', 'csv']);
    expect(atBackup.code, atBackup.stderr).toBe(0);

    const backup = await run(cwd, ['backup', 'b.db', '--json']);
    expect(backup.code, backup.stderr).toBe(0);
    const file = path.join(cwd, 'b.db');
    expect(JSON.parse(backup.stdout)).toMatchObject({ file, encrypted: false, counts: { customers: 18 } });
    expect(FIXTURE_EMAILS.length).toBeGreaterThan(10);
    const bytes = readFileSync(file).toString('latin1').toLowerCase();
    expect(FIXTURE_EMAILS.filter((email) => bytes.includes(email.toLowerCase()))).toEqual([]);
    expect(sqliteFileKind(file, statSync(file).size)).toBe('encrypted');
    expect(() => connectSqlite(file, undefined)).toThrow();

    expect((await run(cwd, ['import', 'shopify_orders.csv', '--as', 'orders'])).code).toBe(0);
    const restored = await run(cwd, ['restore', 'b.db', '--yes']);
    expect(restored.code, restored.stderr).toBe(0);
    expect((await run(cwd, ['export', 'customers', '--format', 'csv'])).stdout).toBe(atBackup.stdout);
    expect((await run(cwd, ['query', '--where', 'orders_count > 0', '--format', 'csv'])).stdout.trim().split('\n')).toHaveLength(1);
    const doctor = await run(cwd, ['doctor']);
    expect(doctor.code, doctor.stdout + doctor.stderr).toBe(0);
    // The restored database is still the encrypted one: it opens with the key only.
    expect((await run(cwd, ['show', '1'], {})).code).toBe(2);
  });

  it('restore of an encrypted database backup without the key, or with another key, exits 2 and leaves the database as it was', async () => {
    const cwd = await encryptedWorkdir();
    expect((await run(cwd, ['backup', 'b.db'])).code).toBe(0);
    const database = path.join(cwd, 'customers.db');
    const before = sha256(database);

    const noKey = await run(cwd, ['restore', 'b.db', '--yes'], {});
    expect([noKey.code, noKey.stderr]).toEqual([2, expect.stringMatching(/customers\.db is encrypted, and no key was given to open it\. Nothing was changed\.[\s\S]*CUSTDB_KEY/)]);
    const otherKey = await run(cwd, ['restore', 'b.db', '--yes'], { CUSTDB_KEY: 'another passphrase' });
    expect([otherKey.code, otherKey.stderr]).toEqual([2, expect.stringMatching(/Wrong key/)]);

    // A new machine: no database yet, the backup alone.
    const fresh = makeWorkdir();
    const elsewhere = await run(fresh, ['restore', path.join(cwd, 'b.db'), '--yes'], {});
    expect([elsewhere.code, elsewhere.stderr]).toEqual([2, expect.stringMatching(/b\.db is encrypted, and no key was given to open it\. Nothing was changed\.[\s\S]*A backup of an encrypted database is encrypted with that database's key/)]);
    expect(sha256(database)).toBe(before);
    expect((await run(fresh, ['restore', path.join(cwd, 'b.db'), '--yes'])).code).toBe(0);
    expect((await run(fresh, ['query', '--where', 'orders_count = 0', '--format', 'csv'])).stdout.trim().split('\n')).toHaveLength(19);

    // Onto a plain database, the key given is the backup's alone: the plain one is counted and replaced.
    const plain = makeWorkdir('customers.csv');
    expect((await run(plain, ['import', 'customers.csv'], {})).code).toBe(0);
    const onPlain = await run(plain, ['restore', path.join(cwd, 'b.db'), '--yes']);
    expect(onPlain.code, onPlain.stderr).toBe(0);
    expect(onPlain.stderr).not.toMatch(/cannot be read/);
    expect((await run(plain, ['show', '1'], {})).code).toBe(2);
  });

  it('an age-encrypted backup of an encrypted database restores with the passphrase and the database key', async () => {
    const cwd = await encryptedWorkdir();
    const passphrase = { ...KEY, CUSTDB_BACKUP_PASSPHRASE: 'a backup passphrase' };
    const backup = await run(cwd, ['backup', 'b.db.age', '--encrypt', '--passphrase'], passphrase);
    expect(backup.code, backup.stderr).toBe(0);
    const atBackup = (await run(cwd, ['export', 'customers', '--format', 'csv'])).stdout;
    expect((await run(cwd, ['import', 'shopify_orders.csv', '--as', 'orders'])).code).toBe(0);
    const restored = await run(cwd, ['restore', 'b.db.age', '--passphrase', '--yes'], passphrase);
    expect(restored.code, restored.stderr).toBe(0);
    expect((await run(cwd, ['export', 'customers', '--format', 'csv'])).stdout).toBe(atBackup);
  });
});
