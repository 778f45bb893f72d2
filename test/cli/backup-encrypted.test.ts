import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3-multiple-ciphers';
import { describe, expect, it } from 'vitest';
import { sqliteOnly } from '../helpers/cli-database.js';
import { runCliInProcess } from '../helpers/run-cli-in-process.js';
import { makeWorkdir } from '../helpers/run-cli.js';

const AGE = '/usr/bin/age';
const AGE_KEYGEN = '/usr/bin/age-keygen';
const ageInstalled = existsSync(AGE) && existsSync(AGE_KEYGEN);

/** A new age key pair in `cwd`: the identity file's path and its recipient. */
function makeKeyPair(cwd: string, name: string): { identityFile: string; recipient: string } {
  const identityFile = path.join(cwd, name);
  execFileSync(AGE_KEYGEN, ['-o', identityFile], { stdio: 'ignore' });
  return { identityFile, recipient: execFileSync(AGE_KEYGEN, ['-y', identityFile], { encoding: 'utf8' }).trim() };
}

async function exportCustomers(cwd: string): Promise<string> {
  const result = await runCliInProcess(['export', 'customers', '--format', 'csv'], { cwd });
  expect(result.code, result.stderr).toBe(0);
  return result.stdout;
}

/** The emails and names a database file holds, as stored (at least 4 characters: shorter ones could turn up in any bytes). */
function personalValues(file: string): string[] {
  const sqlite = new BetterSqlite3(file, { readonly: true });
  try {
    const rows = sqlite.prepare('SELECT email, first_name, last_name FROM customers').raw().all() as (string | null)[][];
    return [...new Set(rows.flat().filter((v): v is string => v !== null && v.length >= 4))];
  } finally {
    sqlite.close();
  }
}

const restoreTempDirs = () => readdirSync(tmpdir()).filter((name) => name.startsWith('custdb-restore-')).sort();

describe.runIf(ageInstalled)('custdb backup --encrypt (age) and restore of an encrypted backup', () => {
  it('custdb backup --recipient age1…: the standard age tool opens it; its bytes hold no email or name; restore --identity gives the export back', async () => {
    const cwd = makeWorkdir('customers.csv');
    expect((await runCliInProcess(['import', 'customers.csv'], { cwd })).code).toBe(0);
    const atBackup = await exportCustomers(cwd);
    const owner = makeKeyPair(cwd, 'owner-key.txt');
    makeKeyPair(cwd, 'stranger-key.txt');

    const backup = await runCliInProcess(['backup', 'enc.db.age', '--encrypt', '--recipient', owner.recipient, '--json'], { cwd });
    expect(backup.code, backup.stderr).toBe(0);
    expect(JSON.parse(backup.stdout)).toMatchObject({ file: path.join(cwd, 'enc.db.age'), encrypted: true });
    const sealed = readFileSync(path.join(cwd, 'enc.db.age'));
    expect(sealed.subarray(0, 22).toString('latin1')).toBe('age-encryption.org/v1\n');

    // Debian's age decrypts it to a sound custdb database holding the customers; that plain file holds the
    // fixture's emails and names in its bytes (so the check below can fail), the encrypted one none of them.
    execFileSync(AGE, ['-d', '-i', owner.identityFile, '-o', path.join(cwd, 'plain.db'), path.join(cwd, 'enc.db.age')]);
    const plain = new BetterSqlite3(path.join(cwd, 'plain.db'), { readonly: true });
    expect(plain.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(plain.prepare('SELECT count(*) FROM customers').pluck().get()).toBe(18);
    plain.close();
    const values = personalValues(path.join(cwd, 'plain.db'));
    expect(values.length).toBeGreaterThan(30);
    const plainBytes = readFileSync(path.join(cwd, 'plain.db'));
    expect(values.filter((v) => plainBytes.includes(Buffer.from(v)))).toEqual(values);
    expect(values.filter((v) => sealed.includes(Buffer.from(v)))).toEqual([]);

    const tempsBefore = restoreTempDirs();
    const noKey = await runCliInProcess(['restore', 'enc.db.age', '--yes'], { cwd });
    expect([noKey.code, noKey.stderr]).toEqual([2, expect.stringMatching(/is encrypted \(age\)[\s\S]*--identity FILE, or --passphrase/)]);
    const wrongKey = await runCliInProcess(['restore', 'enc.db.age', '--yes', '--identity', 'stranger-key.txt'], { cwd });
    expect([wrongKey.code, wrongKey.stderr]).toEqual([2, expect.stringMatching(/cannot be decrypted with the identity in stranger-key\.txt.*Nothing was changed/)]);
    const missingKey = await runCliInProcess(['restore', 'enc.db.age', '--yes', '--identity', 'nowhere.txt'], { cwd });
    expect([missingKey.code, missingKey.stderr]).toEqual([2, expect.stringMatching(/Cannot read the identity file nowhere\.txt: ENOENT/)]);

    writeFileSync(path.join(cwd, 'more.csv'), 'Email,First Name\nlate@example.com,Late\n');
    expect((await runCliInProcess(['import', 'more.csv'], { cwd })).code).toBe(0);
    const restored = await runCliInProcess(['restore', 'enc.db.age', '--yes', '--identity', 'owner-key.txt'], { cwd });
    expect(restored.code, restored.stderr).toBe(0);
    expect(restored.stderr).toMatch(/enc\.db\.age \(decrypted\), taken/);
    expect(await exportCustomers(cwd)).toBe(atBackup);
    // The decrypted copy is gone once the restore is done, whatever its outcome.
    expect(restoreTempDirs()).toEqual(tempsBefore);
  });

  it('custdb backup --recipients-file encrypts to each listed key; bad encryption options exit 2 and write nothing', async () => {
    const cwd = makeWorkdir('customers.csv');
    expect((await runCliInProcess(['import', 'customers.csv'], { cwd })).code).toBe(0);
    const first = makeKeyPair(cwd, 'first.txt');
    const second = makeKeyPair(cwd, 'second.txt');
    writeFileSync(path.join(cwd, 'recipients.txt'), `# the owner and the accountant\n${first.recipient}\n\n${second.recipient}\n`);
    const toBoth = await runCliInProcess(['backup', 'both.db.age', '--recipients-file', 'recipients.txt'], { cwd });
    expect(toBoth.code, toBoth.stderr).toBe(0);
    expect(toBoth.stdout).toMatch(/encrypted with age/);
    for (const key of ['first.txt', 'second.txt']) {
      execFileSync(AGE, ['-d', '-i', path.join(cwd, key), '-o', path.join(cwd, `${key}.db`), path.join(cwd, 'both.db.age')]);
      expect(readFileSync(path.join(cwd, `${key}.db`)).subarray(0, 16).toString('latin1')).toBe('SQLite format 3\0');
    }


    const refusals: [string[], RegExp][] = [
      [['backup', 'x.db.age', '--encrypt'], /--encrypt needs someone to encrypt to/],
      [['backup', 'x.db.age', '--passphrase'], /no terminal to ask in[\s\S]*CUSTDB_BACKUP_PASSPHRASE/],
      [['backup', 'x.db.age', '--recipient', 'age1notakey'], /Not an age recipient/],
      [['backup', 'x.db.age', '--recipient', first.recipient, '--passphrase'], /either to recipients or with a passphrase/],
    ];
    for (const [args, message] of refusals) {
      const result = await runCliInProcess(args, { cwd });
      expect([args.join(' '), result.code, result.stderr]).toEqual([args.join(' '), 2, expect.stringMatching(message)]);
    }
    expect(existsSync(path.join(cwd, 'x.db.age'))).toBe(false);
    expect(readdirSync(cwd).filter((f) => f.includes('.tmp'))).toEqual([]);
  });

  // Scrypt makes each passphrase take seconds by design (three of them here), and nothing of it depends on the dialect.
  sqliteOnly('age passphrases do not depend on the dialect')('custdb backup --passphrase with CUSTDB_BACKUP_PASSPHRASE; restore with the wrong one exits 2, the right one restores', async () => {
    const cwd = makeWorkdir('customers.csv');
    expect((await runCliInProcess(['import', 'customers.csv'], { cwd })).code).toBe(0);
    const atBackup = await exportCustomers(cwd);
    const env = { CUSTDB_BACKUP_PASSPHRASE: 'correct horse battery staple' };
    const withPassphrase = await runCliInProcess(['backup', 'pass.db.age', '--encrypt', '--passphrase'], { cwd, env });
    expect(withPassphrase.code, withPassphrase.stderr).toBe(0);
    const before = readFileSync(path.join(cwd, 'customers.db'));
    const wrong = await runCliInProcess(['restore', 'pass.db.age', '--yes', '--passphrase'], { cwd, env: { CUSTDB_BACKUP_PASSPHRASE: 'wrong' } });
    expect([wrong.code, wrong.stderr]).toEqual([2, expect.stringMatching(/cannot be decrypted with the passphrase given/)]);
    expect(readFileSync(path.join(cwd, 'customers.db')).equals(before)).toBe(true);
    const right = await runCliInProcess(['restore', 'pass.db.age', '--yes', '--passphrase'], { cwd, env });
    expect(right.code, right.stderr).toBe(0);
    expect(await exportCustomers(cwd)).toBe(atBackup);
  });
});
