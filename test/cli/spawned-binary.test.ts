import { readFileSync, statSync } from 'node:fs';
import { userInfo } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI_DIALECT, NO_DATABASE, NO_DATABASE_HINT } from '../helpers/cli-database.js';
import { makeWorkdir, REPO_ROOT, runCli } from '../helpers/run-cli.js';
import { runCliInProcess } from '../helpers/run-cli-in-process.js';
import { SAMPLE_INVOCATIONS } from '../helpers/sample-invocations.js';

// The rest of test/cli runs custdb in the test process (runCliInProcess). These run every
// command once more through the built binary, as a user does: bin/custdb.js and its shebang
// import, src/cli/main.ts (process.env, the OS user, isTTY of real pipes, process.exitCode),
// and the exit status the shell sees. Setting up is done in process; the command in the title
// is spawned. Other spawned cases sit beside the behaviour they test (closed pipes, worker
// threads, kills, locks between processes, runuser), each in a describe marked "(spawned binary)".

const ME = userInfo().username;

/** A fresh folder with `fixtures` copied in, after running each of `setup` in process. */
async function prepared(fixtures: string[], ...setup: string[][]): Promise<string> {
  const cwd = makeWorkdir(...fixtures);
  for (const args of setup) {
    const result = await runCliInProcess(args, { cwd });
    expect(result.code, `${args.join(' ')}: ${result.stderr}`).toBe(0);
  }
  return cwd;
}

function widest(text: string): number {
  return Math.max(...text.split('\n').map((line) => [...line].length));
}

const IMPORT_CUSTOMERS = ['import', 'customers.csv', '--default-country', 'US'];

describe('every command through the built binary (spawned binary)', () => {
  it('custdb --version prints the version of package.json', async () => {
    const { version } = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string };
    expect(await runCli(['--version'], { cwd: makeWorkdir() })).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
  });

  it('custdb --help lists every command', async () => {
    const result = await runCli(['--help'], { cwd: makeWorkdir() });
    expect([result.code, result.stderr]).toEqual([0, '']);
    expect(result.stdout).toMatch(/^Usage: custdb /);
    for (const command of Object.keys(SAMPLE_INVOCATIONS)) expect(result.stdout).toMatch(new RegExp(`^ {2}${command}\\b`, 'm'));
  });

  it('custdb frobnicate exits 2 naming --help', async () => {
    const result = await runCli(['frobnicate'], { cwd: makeWorkdir() });
    expect(result).toEqual({ code: 2, stdout: '', stderr: `error: unknown command 'frobnicate'\nRun "custdb --help" to see what it accepts.\n` });
  });

  it('custdb init creates ./customers.db (a private file, on SQLite), or $CUSTDB_DB', async () => {
    const cwd = makeWorkdir();
    const result = await runCli(['init'], { cwd });
    expect([result.code, result.stderr]).toEqual([0, '']);
    expect(result.stdout).toMatch(/^Created .*customers\.db/);
    expect(result.stdout).toContain(path.join(cwd, 'customers.db'));
    // A database on a server has no file mode.
    if (CLI_DIALECT === 'sqlite') {
      expect(result.stdout).toContain('(readable by you only, mode 0600)');
      expect(statSync(path.join(cwd, 'customers.db')).mode & 0o777).toBe(0o600);
    }
    const other = await runCli(['init'], { cwd, env: { CUSTDB_DB: 'other.db' } });
    expect(other.stdout).toMatch(/^Created /);
    expect(other.stdout).toContain(path.join(cwd, 'other.db'));
  });

  it('custdb import customers.csv --default-country US; custdb imports show 1 names the OS user who imported it', async () => {
    const cwd = makeWorkdir('customers.csv');
    const result = await runCli(IMPORT_CUSTOMERS, { cwd });
    expect([result.code, result.stdout]).toEqual([0, '']);
    expect(result.stderr).toContain('Imported customers.csv as batch 1 (source csv).\n  rows 20   inserted 18   updated 2   unchanged 0   rejected 0');
    const shown = await runCli(['imports', 'show', '1'], { cwd });
    expect([shown.code, shown.stderr]).toEqual([0, '']);
    expect(shown.stdout).toMatch(new RegExp(`^Batch 1: customers\\.csv \\(customers, source csv\\) — committed\\n {2}imported \\S+ by ${ME};`));
  });

  it('custdb import shopify_orders.csv', async () => {
    const cwd = makeWorkdir('orders/shopify_orders.csv');
    const result = await runCli(['import', 'shopify_orders.csv'], { cwd });
    expect([result.code, result.stdout]).toEqual([0, '']);
    expect(result.stderr).toContain('Imported shopify_orders.csv as batch 1 (source shopify, preset shopify-orders).\n  rows 10   orders 3: new 3');
  });

  it('custdb import support_log.csv --max-rejects 1', async () => {
    const cwd = makeWorkdir('interactions/support_log.csv');
    const result = await runCli(['import', 'support_log.csv', '--max-rejects', '1'], { cwd });
    expect([result.code, result.stdout]).toEqual([0, '']);
    expect(result.stderr).toContain('Imported support_log.csv as batch 1 (source csv).\n  rows 5   inserted 4   already there 0   rejected 1');
  });

  it('custdb imports list (not a terminal: 80 columns)', async () => {
    const cwd = await prepared(['customers.csv'], IMPORT_CUSTOMERS);
    const result = await runCli(['imports', 'list'], { cwd });
    expect([result.code, result.stderr]).toEqual([0, '']);
    expect(result.stdout).toMatch(/│ 1 +│ customers\.csv +│ 20 +│ 18 +│ 0 +│ committed │/);
    expect(widest(result.stdout)).toBeLessThanOrEqual(80);
  });

  it('custdb imports undo 1 (no terminal) refuses without --yes; with --yes undoes it', async () => {
    const cwd = await prepared(['customers.csv'], IMPORT_CUSTOMERS);
    const refused = await runCli(['imports', 'undo', '1'], { cwd });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/there is no terminal to ask in\.\n {2}Add --yes to confirm\.\n$/);
    const undone = await runCli(['imports', 'undo', '1', '--yes'], { cwd });
    expect([undone.code, undone.stderr]).toEqual([0, '']);
    expect(undone.stdout).toMatch(/^Undid batch 1: removed 18 customers/);
  });

  it('custdb show jane.obrien@example.com; custdb show nobody@example.com exits 1', async () => {
    const cwd = await prepared(['customers.csv'], IMPORT_CUSTOMERS);
    const found = await runCli(['show', 'jane.obrien@example.com'], { cwd });
    expect([found.code, found.stderr]).toEqual([0, '']);
    expect(found.stdout).toMatch(/^Customer 1 — Jane O'Brien\n {2}email +jane\.obrien@example\.com\n/);
    const missing = await runCli(['show', 'nobody@example.com'], { cwd });
    expect([missing.code, missing.stdout]).toEqual([1, '']);
    expect(missing.stderr).toMatch(/^custdb: No customer matches nobody@example\.com\.\n/);
  });

  it('custdb customers tag 1 wholesale', async () => {
    const cwd = await prepared(['customers.csv'], IMPORT_CUSTOMERS);
    const result = await runCli(['customers', 'tag', '1', 'wholesale'], { cwd });
    expect(result).toEqual({ code: 0, stdout: 'Tagged customer 1: wholesale.\n  tags now: loyal, newsletter, vip, wholesale\n', stderr: '' });
  });

  it('custdb dedupe (not a terminal: 80 columns)', async () => {
    const cwd = await prepared(['customers.csv', 'dedupe/customers-typed-twice.csv'], IMPORT_CUSTOMERS, ['import', 'customers-typed-twice.csv', '--default-country', 'US']);
    const result = await runCli(['dedupe'], { cwd });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/^9 groups of duplicates among 58 customers \(threshold 0\.9\)/);
    expect(result.stdout).toMatch(/│ group │ sure +│ id │ name +│/);
    expect(widest(result.stdout)).toBeLessThanOrEqual(80);
  });

  it('custdb merges list', async () => {
    const cwd = await prepared(['dedupe/customers-typed-twice.csv'], ['import', 'customers-typed-twice.csv', '--default-country', 'US'], ['dedupe', '--merge', '--yes']);
    const result = await runCli(['merges', 'list'], { cwd });
    expect([result.code, result.stderr]).toEqual([0, '']);
    expect(result.stdout).toMatch(/│ merge │ when +│ kept │ merged │ sure +│ fields taken +│ status +│\n/);
    expect(result.stdout.match(/│ merged │\n/g)).toHaveLength(10);
  });

  it('custdb export customers --fields email', async () => {
    const cwd = await prepared(['customers.csv'], IMPORT_CUSTOMERS);
    const result = await runCli(['export', 'customers', '--fields', 'email'], { cwd });
    expect([result.code, result.stderr]).toEqual([0, 'Exported 18 customers.\n']);
    const lines = result.stdout.split('\n');
    expect(lines.slice(0, 2)).toEqual(['id,external_ids,email', '1,csv:C-1001,jane.obrien@example.com']);
    expect(lines).toHaveLength(20);
  });

  it("custdb query --where 'tags contains \"vip\"' --fields id,email --sort id:desc; a filter with a typo exits 2", async () => {
    const cwd = await prepared(['customers.csv'], IMPORT_CUSTOMERS);
    const result = await runCli(['query', '--where', 'tags contains "vip"', '--fields', 'id,email', '--sort', 'id:desc', '--format', 'csv'], { cwd });
    expect([result.code, result.stderr]).toEqual([0, '']);
    expect(result.stdout).toMatch(/^id,email\n(\d+,[^\n]*\n)+$/);
    const ids = result.stdout.trim().split('\n').slice(1).map((line) => Number(line.split(',')[0]));
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
    expect(ids).toContain(1);
    const typo = await runCli(['query', '--where', 'tag contains "vip"'], { cwd });
    expect([typo.code, typo.stdout]).toEqual([2, '']);
    expect(typo.stderr).toMatch(/^custdb: unknown field tag — did you mean tags\? \(column 1\)\n {2}tag contains "vip"\n {2}\^\^\^\n/);
  });

  it('custdb segment add vip --where …; custdb segment count vip', async () => {
    const cwd = await prepared(['customers.csv'], IMPORT_CUSTOMERS);
    const added = await runCli(['segment', 'add', 'vip', '--where', 'tags contains "vip"'], { cwd });
    expect([added.code, added.stderr]).toEqual([0, '']);
    expect(added.stdout).toMatch(/^Saved segment "vip": \d+ customers now\.\n$/);
    const count = await runCli(['segment', 'count', 'vip'], { cwd });
    expect([count.code, count.stderr]).toEqual([0, '']);
    expect(added.stdout).toContain(`: ${count.stdout.trim()} customer`);
  });

  it('custdb doctor; custdb doctor --db missing.db --json exits 2 with one JSON document', async () => {
    const cwd = await prepared([], ['init']);
    const healthy = await runCli(['doctor'], { cwd });
    expect([healthy.code, healthy.stderr]).toEqual([0, '']);
    expect(healthy.stdout).toMatch(/^Checked .*customers\.db\n[\s\S]*\nNo damage found\.\n$/);
    const missing = await runCli(['doctor', '--db', 'missing.db', '--json'], { cwd });
    expect(missing.code).toBe(2);
    expect(JSON.parse(missing.stdout)).toEqual({
      error: { kind: 'DatabaseOpenError', message: expect.stringMatching(NO_DATABASE) as string, hint: expect.stringMatching(NO_DATABASE_HINT) as string },
    });
    expect(JSON.parse(missing.stdout).error.message).toContain(path.join(cwd, 'missing.db'));
    expect(missing.stderr).toMatch(new RegExp(`^custdb: ${NO_DATABASE.source}`));
  });

  it('custdb config set default-country GB', async () => {
    const cwd = await prepared([], ['init']);
    expect(await runCli(['config', 'set', 'default-country', 'GB'], { cwd })).toEqual({ code: 0, stdout: 'default-country = GB\n', stderr: '' });
    expect(await runCliInProcess(['config', 'get', 'default-country'], { cwd })).toEqual({ code: 0, stdout: 'GB\n', stderr: '' });
  });
});
