import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { connectSqlite } from '../../src/db/sqlite/encryption.js';
import { CLI_DIALECT } from '../helpers/cli-database.js';
import { FIXTURES, makeWorkdir, runCli } from '../helpers/run-cli.js';
import { runCliInProcess } from '../helpers/run-cli-in-process.js';

// Encryption at rest is a file's: these run on SQLite alone (the PostgreSQL run skips them), but for the
// refusal of --encrypt on a PostgreSQL URL, which needs no server.

const KEY = 'correct horse battery staple';
const withKey = (key = KEY): Record<string, string> => ({ CUSTDB_KEY: key });
const sqliteOnly = describe.skipIf(CLI_DIALECT !== 'sqlite');

/** Runs each command in `cwd` in process, expecting exit 0; returns the last one's stdout. */
async function runAll(cwd: string, env: Record<string, string> | undefined, ...commands: string[][]): Promise<string> {
  let stdout = '';
  for (const args of commands) {
    const result = await runCliInProcess(args, { cwd, ...(env === undefined ? {} : { env }) });
    expect(result.code, `custdb ${args.join(' ')}: ${result.stderr}`).toBe(0);
    stdout = result.stdout;
  }
  return stdout;
}

function sha256(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

/** The emails and names of a fixture file, as they would sit in a plain database's pages. */
function personalValues(fixture: string): string[] {
  const rows = parse(readFileSync(path.join(FIXTURES, fixture)), { columns: true }) as Record<string, string>[];
  const values = rows.flatMap((row) => [row.Email, row['First Name'], row['Last Name']]).filter((v): v is string => v !== undefined && v.length >= 4);
  return [...new Set(values.map((v) => v.toLowerCase()))];
}

/** Which of `values` appear in the file's raw bytes (as grep -a would find them), the case of A–Z ignored. */
function foundIn(file: string, values: string[]): string[] {
  const asciiLower = (text: string) => text.replace(/[A-Z]/g, (c) => c.toLowerCase());
  const bytes = asciiLower(readFileSync(file).toString('latin1'));
  return values.filter((value) => bytes.includes(asciiLower(Buffer.from(value, 'utf8').toString('latin1'))));
}

const SESSION = [
  ['import', 'customers.csv', '--default-country', 'US'],
  ['import', 'customers-typed-twice.csv', '--default-country', 'US'],
  ['dedupe', '--merge', '--yes'],
  ['segment', 'add', 'vips', '--where', 'tags contains "vip"'],
  ['import', 'customers-typed-again.csv', '--default-country', 'US'],
  ['imports', 'undo', '3', '--yes'],
];

sqliteOnly('custdb on an encrypted database file', () => {
  it('custdb init --encrypt, import, dedupe --merge, segment, imports undo, query, show, export and doctor all work with CUSTDB_KEY, and the export is the one a plain database gives', async () => {
    const fixtures = ['customers.csv', 'dedupe/customers-typed-twice.csv', 'dedupe/customers-typed-again.csv'];
    const encrypted = makeWorkdir(...fixtures);
    const plain = makeWorkdir(...fixtures);
    expect(await runAll(encrypted, withKey(), ['init', '--encrypt'])).toMatch(/^Created .*customers\.db \(readable by you only, mode 0600, encrypted with chacha20\)/);
    await runAll(plain, undefined, ['init']);
    await runAll(encrypted, withKey(), ...SESSION);
    await runAll(plain, undefined, ...SESSION);

    const questions = [
      ['query', '--where', 'orders_count = 0 and country = "US"', '--fields', 'id,email,rfm_segment', '--format', 'csv'],
      ['segment', 'count', 'vips'],
      ['show', 'jane.obrien@example.com'],
      ['export', 'customers'],
      ['dedupe', '--format', 'csv'],
    ];
    for (const args of questions) {
      const mine = await runAll(encrypted, withKey(), args);
      expect(mine, args.join(' ')).toBe(await runAll(plain, undefined, args));
    }
    expect(await runAll(encrypted, withKey(), ['export', 'customers'])).toContain('jane.obrien@example.com');

    const doctor = await runAll(encrypted, withKey(), ['doctor']);
    expect(doctor).toMatch(/^ {2}encrypted {5}yes \(chacha20\)$/m);
    expect(doctor).toMatch(/No damage found/);
    expect(JSON.parse(await runAll(encrypted, withKey(), ['doctor', '--json'])).cipher).toBe('chacha20');
    expect(JSON.parse(await runAll(plain, undefined, ['doctor', '--json'])).cipher).toBeNull();
    expect(await runAll(plain, undefined, ['doctor'])).not.toMatch(/encrypted/);
  });

  it('the key from --key-file or CUSTDB_KEY_FILE (a final line break is not part of it) opens what CUSTDB_KEY made', async () => {
    const cwd = makeWorkdir('customers.csv');
    await runAll(cwd, withKey(), ['init', '--encrypt'], ['import', 'customers.csv']);
    writeFileSync(path.join(cwd, 'key.txt'), `${KEY}\n`, { mode: 0o600 });
    writeFileSync(path.join(cwd, 'key-crlf.txt'), `${KEY}\r\n`, { mode: 0o600 });
    expect(await runAll(cwd, undefined, ['--key-file', 'key.txt', 'query', '--count'])).toBe('18\n');
    expect(await runAll(cwd, undefined, ['query', '--count', '--key-file', 'key-crlf.txt'])).toBe('18\n');
    expect(await runAll(cwd, { CUSTDB_KEY_FILE: 'key.txt' }, ['query', '--count'])).toBe('18\n');
    // --key-file is the one given on this command line: it wins over the environment's key.
    expect(await runAll(cwd, { CUSTDB_KEY: 'not it', CUSTDB_KEY_FILE: 'nor this' }, ['--key-file', 'key.txt', 'query', '--count'])).toBe('18\n');
  });

  it('an encrypted database and its -wal, after an import of the fixtures, hold none of their emails or names in their raw bytes; a plain one holds them all (spawned binary)', async () => {
    const values = [...personalValues('customers.csv'), ...personalValues('orders/shopify_orders.csv')];
    expect(values.length).toBeGreaterThan(30);
    for (const encrypt of [true, false]) {
      const cwd = makeWorkdir('customers.csv', 'orders/shopify_orders.csv');
      const env = encrypt ? withKey() : undefined;
      await runAll(cwd, env, encrypt ? ['init', '--encrypt'] : ['init']);
      const file = path.join(cwd, 'customers.db');
      // A second connection keeps the write-ahead log from being checkpointed away when custdb closes: its pages stay to be
      // looked at. custdb runs as its own process here, as the in-process runner counts this connection as one it left open.
      const holder = connectSqlite(file, encrypt ? { secret: Buffer.from(KEY), source: 'test' } : undefined);
      try {
        for (const args of [['import', 'customers.csv'], ['import', 'shopify_orders.csv']]) {
          const result = await runCli(args, { cwd, ...(env === undefined ? {} : { env }) });
          expect(result.code, result.stderr).toBe(0);
        }
        expect(readFileSync(`${file}-wal`).length).toBeGreaterThan(100_000);
        if (encrypt) {
          expect(foundIn(file, values)).toEqual([]);
          expect(foundIn(`${file}-wal`, values)).toEqual([]);
          expect(() => connectSqlite(file, undefined)).toThrow(/is not a SQLite database/);
          expect(() => connectSqlite(file, { secret: Buffer.from(`${KEY}!`), source: 'test' })).toThrow(/^Wrong key for/);
        } else {
          // The check can fail: a plain database shows every value in its log (the pages not yet checkpointed).
          expect(foundIn(`${file}-wal`, values)).toEqual(values);
        }
      } finally {
        holder.close();
      }
    }
  });

  describe('a missing or wrong key: exit 2 and the file byte for byte as it was', () => {
    async function encryptedDatabase(): Promise<{ cwd: string; file: string; hash: string }> {
      const cwd = makeWorkdir('customers.csv');
      await runAll(cwd, withKey(), ['init', '--encrypt'], ['import', 'customers.csv']);
      const file = path.join(cwd, 'customers.db');
      return { cwd, file, hash: sha256(file) };
    }

    const commands = [['query', '--count'], ['import', 'customers.csv', '--force'], ['doctor'], ['export', 'customers'], ['init'], ['customers', 'tag', '1', 'vip']];

    it.each(commands)('custdb %s … without a key names the ways to give one', async (...args) => {
      const { cwd, file, hash } = await encryptedDatabase();
      const result = await runCliInProcess(args, { cwd });
      expect(result.code).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr).toContain(`custdb: The database ${file} is encrypted: give its key with CUSTDB_KEY (the passphrase), --key-file FILE or CUSTDB_KEY_FILE.`);
      expect(sha256(file)).toBe(hash);
      expect([existsSync(`${file}-wal`), existsSync(`${file}-shm`)]).toEqual([false, false]);
    });

    it.each(commands)('custdb %s … with a wrong key says so, naming where the key came from', async (...args) => {
      const { cwd, file, hash } = await encryptedDatabase();
      const result = await runCliInProcess(args, { cwd, env: withKey('Correct horse battery staple') });
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(`custdb: Wrong key for ${file}: the key from CUSTDB_KEY does not open it`);
      expect(sha256(file)).toBe(hash);
      expect([existsSync(`${file}-wal`), existsSync(`${file}-shm`)]).toEqual([false, false]);
    });

    it('--json gives the refusal as a DatabaseKeyError', async () => {
      const { cwd } = await encryptedDatabase();
      const result = await runCliInProcess(['query', '--count', '--json'], { cwd });
      expect(result.code).toBe(2);
      expect(JSON.parse(result.stdout).error.kind).toBe('DatabaseKeyError');
    });

    it('a key file that is missing or empty exits 2 naming it', async () => {
      const { cwd, file, hash } = await encryptedDatabase();
      const missing = await runCliInProcess(['--key-file', 'nope.key', 'query', '--count'], { cwd });
      expect([missing.code, missing.stderr]).toEqual([2, expect.stringContaining('Cannot read the key file nope.key (--key-file): no such file.')]);
      writeFileSync(path.join(cwd, 'empty.key'), '\n');
      const empty = await runCliInProcess(['query', '--count'], { cwd, env: { CUSTDB_KEY_FILE: 'empty.key' } });
      expect([empty.code, empty.stderr]).toEqual([2, expect.stringMatching(/The key file \S+empty\.key is empty/)]);
      expect(sha256(file)).toBe(hash);
    });
  });

  describe('a key for a database that has none is refused, never used to encrypt it unasked', () => {
    it('custdb query with CUSTDB_KEY on a plain database: exit 2, file unchanged', async () => {
      const cwd = makeWorkdir('customers.csv');
      await runAll(cwd, undefined, ['init'], ['import', 'customers.csv']);
      const file = path.join(cwd, 'customers.db');
      const hash = sha256(file);
      const result = await runCliInProcess(['query', '--count'], { cwd, env: withKey() });
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(`custdb: ${file} is not encrypted, but a key was given (from CUSTDB_KEY); custdb does not encrypt a database unasked.`);
      expect(result.stderr).toContain('custdb rekey');
      expect(sha256(file)).toBe(hash);
    });

    it('custdb import with CUSTDB_KEY into a database that does not exist yet: exit 2, no file made', async () => {
      const cwd = makeWorkdir('customers.csv');
      const result = await runCliInProcess(['import', 'customers.csv'], { cwd, env: withKey() });
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/is a new database, but a key was given .*\n.*custdb init --encrypt/);
      expect(existsSync(path.join(cwd, 'customers.db'))).toBe(false);
    });

    it('custdb init --encrypt on a plain database that exists: exit 2, pointing at rekey', async () => {
      const cwd = makeWorkdir();
      await runAll(cwd, undefined, ['init']);
      const file = path.join(cwd, 'customers.db');
      const hash = sha256(file);
      const result = await runCliInProcess(['init', '--encrypt'], { cwd, env: withKey() });
      expect([result.code, result.stderr]).toEqual([2, expect.stringMatching(/already exists and is not encrypted\.\n.*custdb rekey/)]);
      expect(sha256(file)).toBe(hash);
    });

    it('custdb init --encrypt without a key and without a terminal: exit 2, no file made', async () => {
      const cwd = makeWorkdir();
      const result = await runCliInProcess(['init', '--encrypt'], { cwd });
      expect([result.code, result.stderr]).toEqual([2, expect.stringContaining('needs a key: give it with CUSTDB_KEY (the passphrase), --key-file FILE or CUSTDB_KEY_FILE.')]);
      expect(existsSync(path.join(cwd, 'customers.db'))).toBe(false);
    });
  });

  describe('through the built binary (spawned binary)', () => {
    it('CUSTDB_KEY=… custdb init --encrypt; custdb import customers.csv; custdb export customers; without the key: exit 2', async () => {
      const cwd = makeWorkdir('customers.csv');
      for (const args of [['init', '--encrypt'], ['import', 'customers.csv']]) {
        const result = await runCli(args, { cwd, env: withKey() });
        expect(result.code, result.stderr).toBe(0);
      }
      const exported = await runCli(['export', 'customers', '--fields', 'email'], { cwd, env: withKey() });
      expect([exported.code, exported.stdout]).toEqual([0, expect.stringContaining(',jane.obrien@example.com\n')]);
      const refused = await runCli(['export', 'customers'], { cwd });
      expect([refused.code, refused.stdout, refused.stderr]).toEqual([2, '', expect.stringContaining('is encrypted: give its key')]);
    });
  });
});

describe('custdb init --encrypt on PostgreSQL', () => {
  it('exits 2: encryption at rest is the server’s business', async () => {
    const result = await runCliInProcess(['--db', 'postgres://nobody@127.0.0.1:1/nowhere', 'init', '--encrypt'], { cwd: makeWorkdir(), env: withKey() });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('custdb encrypts database files only: a PostgreSQL database is kept encrypted at rest by its server.');
  });
});
