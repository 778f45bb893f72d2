import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { connectSqlite } from '../../src/db/sqlite/encryption.js';
import { CLI_DIALECT } from '../helpers/cli-database.js';
import { BIN, makeWorkdir, runCli } from '../helpers/run-cli.js';
import { runCliInProcess } from '../helpers/run-cli-in-process.js';

// rekey rewrites a database file; on PostgreSQL it only refuses (see the last case), so the rest is SQLite's.

const OLD = 'old passphrase';
const NEW = 'new passphrase';
const sqliteOnly = describe.skipIf(CLI_DIALECT !== 'sqlite');
const key = (secret: string) => ({ secret: Buffer.from(secret), source: 'test' });

function sha256(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

async function run(cwd: string, args: string[], env: Record<string, string> = {}) {
  return runCliInProcess(args, { cwd, env });
}

/** A database holding customers.csv, encrypted with `secret` (or plain when undefined). */
async function database(secret: string | undefined): Promise<{ cwd: string; file: string }> {
  const cwd = makeWorkdir('customers.csv');
  const env: Record<string, string> = secret === undefined ? {} : { CUSTDB_KEY: secret };
  for (const args of [secret === undefined ? ['init'] : ['init', '--encrypt'], ['import', 'customers.csv']]) {
    const result = await run(cwd, args, env);
    expect(result.code, result.stderr).toBe(0);
  }
  return { cwd, file: path.join(cwd, 'customers.db') };
}

/** How many customers the file holds, opened with `secret`; throws when that does not open it. */
function countCustomers(file: string, secret: string | undefined): number {
  const sqlite = connectSqlite(file, secret === undefined ? undefined : key(secret));
  try {
    return Number(sqlite.prepare('SELECT count(*) FROM customers').pluck().get());
  } finally {
    sqlite.close();
  }
}

sqliteOnly('custdb rekey', () => {
  it('CUSTDB_KEY=old CUSTDB_NEW_KEY=new custdb rekey: the new key opens it, the old one no longer; the audit log says so without the key', async () => {
    const { cwd, file } = await database(OLD);
    const result = await run(cwd, ['rekey'], { CUSTDB_KEY: OLD, CUSTDB_NEW_KEY: NEW });
    expect([result.code, result.stderr]).toEqual([0, '']);
    expect(result.stdout).toBe(`Changed the key of ${file} (chacha20): from now on it opens only with the new key.\n`);
    expect(countCustomers(file, NEW)).toBe(18);
    expect(() => countCustomers(file, OLD)).toThrow(/^Wrong key for/);
    expect((await run(cwd, ['query', '--count'], { CUSTDB_KEY: NEW })).stdout).toBe('18\n');
    const sqlite = connectSqlite(file, key(NEW));
    const events = sqlite.prepare(`SELECT summary, details_json FROM events WHERE command = 'rekey'`).all() as { summary: string; details_json: string }[];
    sqlite.close();
    expect(events).toEqual([{ summary: 'rekeyed the database file', details_json: '{"outcome":"rekeyed","cipher":"chacha20"}' }]);
    // Still in WAL mode, as every custdb file is.
    expect(existsSync(`${file}-journal`)).toBe(false);
    expect(readFileSync(file).length % 4096).toBe(0);
  });

  it('custdb rekey --key-file old.key --new-key-file new.key --json', async () => {
    const { cwd, file } = await database(OLD);
    writeFileSync(path.join(cwd, 'old.key'), `${OLD}\n`);
    writeFileSync(path.join(cwd, 'new.key'), `${NEW}\n`);
    const result = await run(cwd, ['rekey', '--key-file', 'old.key', '--new-key-file', 'new.key', '--json']);
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ path: file, outcome: 'rekeyed', cipher: 'chacha20' });
    expect(countCustomers(file, NEW)).toBe(18);
  });

  it('CUSTDB_NEW_KEY=… custdb rekey on a plain database encrypts it; custdb rekey --decrypt --yes makes it plain again', async () => {
    const { cwd, file } = await database(undefined);
    const encrypted = await run(cwd, ['rekey'], { CUSTDB_NEW_KEY: NEW });
    expect([encrypted.code, encrypted.stdout]).toEqual([0, `Encrypted ${file} (chacha20): from now on it opens only with the new key.\n`]);
    expect(readFileSync(file).includes('jane.obrien@example.com')).toBe(false);
    expect((await run(cwd, ['query', '--count'])).stderr).toMatch(/is encrypted: give its key/);
    expect((await run(cwd, ['query', '--count'], { CUSTDB_KEY: NEW })).stdout).toBe('18\n');

    const refused = await run(cwd, ['rekey', '--decrypt'], { CUSTDB_KEY: NEW });
    expect([refused.code, refused.stderr]).toEqual([2, expect.stringMatching(/there is no terminal to ask in\.\n {2}Add --yes/)]);
    const decrypted = await run(cwd, ['rekey', '--decrypt', '--yes'], { CUSTDB_KEY: NEW });
    expect([decrypted.code, decrypted.stdout]).toEqual([0, `Decrypted ${file}: it is stored unencrypted now, and opens without a key.\n`]);
    expect(readFileSync(file).subarray(0, 15).toString()).toBe('SQLite format 3');
    expect(countCustomers(file, undefined)).toBe(18);
    expect((await run(cwd, ['query', '--count'], { CUSTDB_KEY: NEW })).stderr).toMatch(/is not encrypted, but a key was given/);

    const again = await run(cwd, ['rekey', '--decrypt', '--yes']);
    expect([again.code, again.stderr]).toEqual([1, expect.stringContaining('is not encrypted: there is nothing to decrypt.')]);
  });

  it('refuses, exit 2 and the file byte for byte as it was: no new key, a wrong current key, none at all, --decrypt with --new-key-file', async () => {
    const { cwd, file } = await database(OLD);
    const hash = sha256(file);
    const cases: [Record<string, string>, string[], RegExp][] = [
      [{ CUSTDB_KEY: OLD }, ['rekey'], /rekey needs the new key, and none was given\.\n {2}Give it with --new-key-file FILE or CUSTDB_NEW_KEY/],
      [{ CUSTDB_KEY: NEW, CUSTDB_NEW_KEY: 'third' }, ['rekey'], /Wrong key for .*: the key from CUSTDB_KEY does not open it/],
      [{ CUSTDB_NEW_KEY: 'third' }, ['rekey'], /is encrypted: give its key with CUSTDB_KEY/],
      [{ CUSTDB_KEY: OLD }, ['rekey', '--decrypt', '--yes', '--new-key-file', 'x'], /--decrypt removes the key, and --new-key-file gives a new one/],
      [{ CUSTDB_KEY: OLD, CUSTDB_NEW_KEY: '' }, ['rekey'], /rekey needs the new key/],
    ];
    for (const [env, args, message] of cases) {
      const result = await run(cwd, args, env);
      expect([result.code, result.stderr], JSON.stringify(env)).toEqual([2, expect.stringMatching(message)]);
      expect(sha256(file)).toBe(hash);
    }
    expect(countCustomers(file, OLD)).toBe(18);
  });

  describe('all or nothing (spawned binary)', () => {
    it('custdb rekey while another process has the file open: exit 2, in use, and the old key still opens it', async () => {
      const { cwd, file } = await database(OLD);
      const hash = sha256(file);
      const other = connectSqlite(file, key(OLD));
      try {
        other.pragma('journal_mode = WAL');
        other.prepare('SELECT count(*) FROM customers').get();
        const result = await runCli(['rekey'], { cwd, env: { CUSTDB_KEY: OLD, CUSTDB_NEW_KEY: NEW } });
        expect([result.code, result.stderr]).toEqual([2, expect.stringMatching(/is in use by another process, and rekey needs it to itself\.\n {2}Wait for/)]);
      } finally {
        other.close();
      }
      expect(sha256(file)).toBe(hash);
      expect(countCustomers(file, OLD)).toBe(18);
    });

    it('custdb rekey killed while it rewrites the pages: the old key opens the file, whole, and the new one does not', async () => {
      const { cwd, file } = await database(OLD);
      // Enough pages that the rewrite is still going when the test sees its journal appear.
      const sqlite = connectSqlite(file, key(OLD));
      sqlite.exec(`CREATE TABLE filler (b BLOB); WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20000) INSERT INTO filler SELECT randomblob(2000) FROM n`);
      const fillerSum = sqlite.prepare('SELECT sum(length(b)) FROM filler').pluck().get();
      sqlite.close();

      const child = spawn(process.execPath, [BIN, 'rekey'], { cwd, env: { PATH: process.env.PATH ?? '', HOME: cwd, CUSTDB_KEY: OLD, CUSTDB_NEW_KEY: NEW }, stdio: 'ignore' });
      const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
      const deadline = Date.now() + 30_000;
      // Killed once the rewrite's journal holds a few MB of old pages: a journal seen only for a moment (switching out
      // of WAL) may be gone before the kill lands.
      const journalBytes = () => {
        try {
          return statSync(`${file}-journal`).size;
        } catch {
          return 0;
        }
      };
      while (journalBytes() < 4_000_000 && Date.now() < deadline && child.exitCode === null) await new Promise((r) => setTimeout(r, 1));
      child.kill('SIGKILL');
      expect(await exited).toBe('SIGKILL');
      // Killed mid-way: a hot journal holds the pages as they were.
      expect(existsSync(`${file}-journal`)).toBe(true);

      const reopened = connectSqlite(file, key(OLD));
      try {
        expect(reopened.pragma('integrity_check', { simple: true })).toBe('ok');
        expect(reopened.prepare('SELECT sum(length(b)) FROM filler').pluck().get()).toBe(fillerSum);
        expect(reopened.prepare('SELECT count(*) FROM customers').pluck().get()).toBe(18);
      } finally {
        reopened.close();
      }
      expect(() => countCustomers(file, NEW)).toThrow(/^Wrong key for/);
      const query = await run(cwd, ['query', '--count'], { CUSTDB_KEY: OLD });
      expect([query.code, query.stdout]).toEqual([0, '18\n']);
    });
  });
});

describe('custdb rekey on PostgreSQL', () => {
  it.skipIf(CLI_DIALECT !== 'postgres')('exits 2: encryption at rest is the server’s business', async () => {
    const cwd = makeWorkdir('customers.csv');
    expect((await run(cwd, ['init'])).code).toBe(0);
    const result = await run(cwd, ['rekey'], { CUSTDB_NEW_KEY: NEW });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('custdb encrypts database files only');
  });
});
