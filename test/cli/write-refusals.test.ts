import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3-multiple-ciphers';
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { copyCliDatabase, dumpCliDatabase, queryCliDatabase, sqliteOnly, whileWriteLocked } from '../helpers/cli-database.js';
import { BIN, makeWorkdir, runCli, type CliResult } from '../helpers/run-cli.js';
import { runCliInProcess } from '../helpers/run-cli-in-process.js';

/**
 * Every command that writes, each set up so that on a writable, unlocked copy of
 * the seed database it would change something (the first test proves it).
 */
const WRITING_COMMANDS: readonly (readonly string[])[] = [
  ['customers', 'add', '--first-name', 'Noor', '--email', 'noor@example.com'],
  ['customers', 'edit', '1', '--set', 'company=Acme'],
  ['customers', 'tag', '1', 'vip'],
  ['customers', 'untag', '1', 'newsletter'],
  ['customers', 'note', '1', 'Called about the order'],
  ['config', 'set', 'default-country', 'GB'],
  ['dedupe', '--merge', '--yes'],
  ['imports', 'undo', '2', '--yes'],
  ['merges', 'undo', '9', '--yes'],
  ['import', 'customers-typed-again.csv', '--default-country', 'US'],
  ['privacy', 'forget', '1', '--yes'],
  ['purge', '--inactive-for', '1d', '--as-of', '2099-01-01', '--yes'],
];

const FIXTURES = ['dedupe/customers-typed-twice.csv', 'dedupe/customers-typed-again.csv', 'customers.csv'];

let seed: string;

/** Two import batches, nine merges, and one pair (customers 5 and 35) merged and undone, so dedupe --merge has work. */
beforeAll(async () => {
  const cwd = makeWorkdir(...FIXTURES);
  for (const args of [
    ['init'],
    ['import', 'customers-typed-twice.csv', '--default-country', 'US'],
    ['dedupe', '--merge', '--yes'],
    ['merges', 'undo', '10', '--yes'],
    ['import', 'customers.csv'],
  ]) {
    const result = await runCliInProcess(args, { cwd });
    expect(result.code, `${args.join(' ')}: ${result.stderr}`).toBe(0);
  }
  seed = cwd;
});

/** A fresh folder holding the fixtures and a copy of the seed database. */
async function copyOfSeed(): Promise<string> {
  const cwd = makeWorkdir(...FIXTURES);
  await copyCliDatabase(seed, cwd);
  return cwd;
}

describe('every writing command', () => {
  it('changes the seed database when it is writable and free (so the refusals below refuse a real write)', async () => {
    const before = await dumpCliDatabase(seed);
    for (const args of WRITING_COMMANDS) {
      const cwd = await copyOfSeed();
      const result = await runCliInProcess(args, { cwd });
      const changed = (await dumpCliDatabase(cwd)) !== before;
      expect({ command: args.join(' '), code: result.code, changed }, result.stderr).toEqual({ command: args.join(' '), code: 0, changed: true });
    }
  });

  // Ten processes waiting side by side on a lock this one holds.
  describe('locked by another process (spawned binary)', () => {
    it('custdb <command> against a database another process holds the write lock on: exit 2, "locked by another process (waited 5 s)", nothing changed', async () => {
      const cwd = await copyOfSeed();
      const file = path.join(cwd, 'customers.db');
      const before = await dumpCliDatabase(cwd);
      // Each one waits out the 5 s busy timeout; waiting side by side keeps the test short.
      const results = await whileWriteLocked(cwd, sql`DELETE FROM suppressions`, () => Promise.all(WRITING_COMMANDS.map((args) => runCli([...args], { cwd }))));
      results.forEach((result, k) => {
        const command = WRITING_COMMANDS[k]!.join(' ');
        expect({ command, code: result.code }, result.stderr).toEqual({ command, code: 2 });
        expect(result.stderr, command).toContain(`custdb: ${file} is locked by another process (waited 5 s).\n  Wait for the other custdb command`);
        expect(result.stderr, command).not.toMatch(/internal error/);
      });
      expect(await dumpCliDatabase(cwd)).toEqual(before);
    });
  });
});

/**
 * Runs custdb as a user without write access. Root writes to any file whatever its mode,
 * so when the tests run as root the binary runs as "nobody" (through runuser or setpriv).
 */
const unprivileged = findUnprivilegedRunner();

function findUnprivilegedRunner(): { prefix: string[] } | { missing: string } {
  if (process.getuid?.() !== 0) return { prefix: [] };
  const runners = [
    ['runuser', '-u', 'nobody', '--'],
    ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', '--'],
  ];
  const prefix = runners.find(([tool]) => spawnSync(tool ?? '', ['--help']).status === 0);
  if (prefix === undefined) return { missing: 'the tests run as root, which may write to read-only files, and neither runuser nor setpriv is here to run custdb as "nobody"' };
  // "nobody" must be able to read the built binary and its node_modules (not so under a private home folder).
  const probe = spawnSync(prefix[0] ?? '', [...prefix.slice(1), process.execPath, BIN, '--version']);
  if (probe.status !== 0) return { missing: `"nobody" cannot run ${BIN} here: ${probe.stderr.toString().trim().split('\n')[0]}` };
  return { prefix };
}

describe('a read-only database (spawned binary, run as "nobody")', () => {
  if ('missing' in unprivileged) {
    it.skip(`cannot be tested here: ${unprivileged.missing}`, () => {});
    return;
  }
  const { prefix } = unprivileged;

  sqliteOnly('file permissions')('custdb <command> against a database file you may read but not write: exit 2, "is read-only", names chmod, nothing changed', async () => {
    const cwd = await copyOfSeed();
    const file = path.join(cwd, 'customers.db');
    // The folder stays writable (SQLite may create its -wal and -shm there); only the file is read-only.
    chmodSync(cwd, 0o777);
    chmodSync(file, 0o444);
    const before = await dumpCliDatabase(cwd);
    const results = await Promise.all(WRITING_COMMANDS.map((args) => runCli(args, { cwd, wrapper: prefix })));
    results.forEach((result, k) => {
      const command = WRITING_COMMANDS[k]!.join(' ');
      expect({ command, code: result.code }, result.stderr).toEqual({ command, code: 2 });
      expect(result.stderr, command).toContain(`custdb: ${file} is read-only: you may read the file but not write to it.\n  Make it writable by you (chmod u+w "${file}"`);
    });
    expect(await dumpCliDatabase(cwd)).toEqual(before);
  });

  sqliteOnly('file permissions')('custdb customers tag 1 vip in a folder you may not write to: exit 2, names the folder and the -wal/-shm SQLite needs there', async () => {
    const cwd = await copyOfSeed();
    const file = path.join(cwd, 'customers.db');
    const before = await dumpCliDatabase(cwd);
    chmodSync(file, 0o666);
    chmodSync(cwd, 0o555);
    const result = await runCli(['customers', 'tag', '1', 'vip'], { cwd, wrapper: prefix });
    chmodSync(cwd, 0o755);
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toContain(`custdb: ${file} is read-only: its folder ${cwd} is not writable, and SQLite needs to create customers.db-wal and -shm beside the file.`);
    expect(result.stderr).toContain(`Make the folder writable by you (chmod u+w "${cwd}")`);
    expect(await dumpCliDatabase(cwd)).toEqual(before);
  });
});

describe('SQLite working files another user left beside the database (spawned binary, run as "nobody")', () => {
  const title = 'custdb customers tag 1 vip, with -wal/-shm you may not read or write: exit 2, names them and chown';
  if ('missing' in unprivileged) it.skip(`${title} — cannot be tested here: ${unprivileged.missing}`, () => {});
  else sqliteOnly("SQLite's -wal and -shm files")(title, async () => {
    const { prefix } = unprivileged;
    const cwd = await copyOfSeed();
    const file = path.join(cwd, 'customers.db');
    chmodSync(cwd, 0o777);
    chmodSync(file, 0o666);
    // An open connection keeps customers.db-wal and -shm in place, made private as a killed process of another user leaves them.
    const holder = new BetterSqlite3(file);
    holder.prepare('SELECT count(*) FROM customers').get();
    chmodSync(`${file}-wal`, 0o600);
    chmodSync(`${file}-shm`, 0o600);
    let result: CliResult;
    try {
      result = await runCli(['customers', 'tag', '1', 'vip'], { cwd, wrapper: prefix });
    } finally {
      holder.close();
    }
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toContain(`custdb: Cannot open ${file}: you may not read and write customers.db-wal and customers.db-shm beside it`);
    expect(result.stderr).toContain('(chown or chmod)');
  });
});

describe('a rejects file that cannot be written', () => {
  // The second row names nobody, so it is rejected.
  const PEOPLE = 'First Name,Email,Birthday\nAnn,ann@example.com,1980-01-02\n,,1980-01-01\nBen,ben@example.com,\n';

  async function customersIn(cwd: string): Promise<number> {
    const [row] = await queryCliDatabase<{ n: number | string }>(cwd, sql`SELECT count(*) AS n FROM customers`);
    return Number(row!.n);
  }

  it('custdb import people.csv --rejects people.csv/rejects.csv: exit 2, names the path and --rejects, imports nothing', async () => {
    const cwd = makeWorkdir();
    writeFileSync(path.join(cwd, 'people.csv'), PEOPLE);
    expect((await runCliInProcess(['init'], { cwd })).code).toBe(0);
    const result = await runCliInProcess(['import', 'people.csv', '--rejects', 'people.csv/rejects.csv', '--max-rejects', '5'], { cwd });
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toBe(
      `custdb: Cannot write the rejected rows to people.csv/rejects.csv: ${path.join(cwd, 'people.csv')} is not a folder. Nothing was imported.\n` +
        '  Choose where rejected rows go with --rejects FILE (a path you can write to).\n',
    );
    expect(await customersIn(cwd)).toBe(0);
  });

  // Run as "nobody" (spawned binary, through runuser or setpriv) when the tests run as root.
  const unwritableFolder = 'custdb import inbox/people.csv, where inbox is not writable by you (spawned binary): exit 2, names the folder and --rejects, imports nothing';
  if ('missing' in unprivileged) it.skip(`${unwritableFolder} — cannot be tested here: ${unprivileged.missing}`, () => {});
  else it(unwritableFolder, async () => {
    const { prefix } = unprivileged;
    const cwd = makeWorkdir();
    chmodSync(cwd, 0o777);
    mkdirSync(path.join(cwd, 'inbox'));
    writeFileSync(path.join(cwd, 'inbox', 'people.csv'), PEOPLE);
    chmodSync(path.join(cwd, 'inbox'), 0o555);
    const result = await runCli(['import', 'inbox/people.csv', '--max-rejects', '5'], { cwd, wrapper: prefix });
    chmodSync(path.join(cwd, 'inbox'), 0o755);
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toContain(`custdb: Cannot write the rejected rows to inbox/people.rejects.csv: you may not write in ${path.join(cwd, 'inbox')}. Nothing was imported.\n`);
    expect(result.stderr).toContain('--rejects FILE');
    expect(readdirSync(path.join(cwd, 'inbox'))).toEqual(['people.csv']);
    expect(await customersIn(cwd)).toBe(0);
  });
});
