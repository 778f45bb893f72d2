import { copyFileSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3-multiple-ciphers';
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { CLI_DIALECT, NO_DATABASE, NO_DATABASE_HINT, queryCliDatabase, snapshotCliDatabase, sqliteOnly, withCliDatabase } from '../helpers/cli-database.js';
import { makeWorkdir } from '../helpers/run-cli.js';
import { runCliInProcess } from '../helpers/run-cli-in-process.js';
import { listCommands, SAMPLE_INVOCATIONS } from '../helpers/sample-invocations.js';

describe('custdb init / doctor', () => {
  it('custdb init --db x.db creates the database and says so; a second run says it is up to date', async () => {
    const cwd = makeWorkdir();
    const first = await runCliInProcess(['init', '--db', 'x.db'], { cwd });
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/^Created .*x\.db/);
    const second = await runCliInProcess(['init', '--db', 'x.db'], { cwd });
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/x\.db is up to date/);
  });

  sqliteOnly('file permissions')('custdb init --db x.db (and init -q) makes the file readable by its owner only, and says so', async () => {
    const cwd = makeWorkdir();
    const first = await runCliInProcess(['init', '--db', 'x.db'], { cwd });
    expect(first.stdout).toMatch(/^Created .*x\.db \(readable by you only, mode 0600\)/);
    expect(statSync(path.join(cwd, 'x.db')).mode & 0o777).toBe(0o600);
    expect((await runCliInProcess(['init', '-q'], { cwd })).code).toBe(0);
    expect(statSync(path.join(cwd, 'customers.db')).mode & 0o777).toBe(0o600);
  });

  it('custdb init uses $CUSTDB_DB, else ./customers.db', async () => {
    const cwd = makeWorkdir();
    expect((await runCliInProcess(['init'], { cwd })).stdout).toContain(path.join(cwd, 'customers.db'));
    expect((await runCliInProcess(['init'], { cwd, env: { CUSTDB_DB: 'other.db' } })).stdout).toContain(path.join(cwd, 'other.db'));
  });

  it('custdb --json init prints exactly one JSON document', async () => {
    const cwd = makeWorkdir();
    const result = await runCliInProcess(['--json', 'init'], { cwd });
    // A database on a server has no file mode.
    expect(JSON.parse(result.stdout)).toMatchObject({ outcome: 'created', applied: expect.arrayContaining(['0001-initial']), mode: CLI_DIALECT === 'sqlite' ? '0600' : null });
  });

  it('custdb doctor exits 0 on a healthy database', async () => {
    const cwd = makeWorkdir();
    await runCliInProcess(['init'], { cwd });
    const result = await runCliInProcess(['doctor'], { cwd });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('No damage found.');
  });

  sqliteOnly('damaged pages of a database file')('custdb doctor exits 1 and names the problem on a copy with damaged pages', async () => {
    const cwd = makeWorkdir();
    await runCliInProcess(['init', '--db', 'good.db'], { cwd });
    const good = path.join(cwd, 'good.db');
    const raw = new BetterSqlite3(good);
    const insert = raw.prepare(`INSERT INTO customers (first_name, email, created_at, updated_at) VALUES (?, ?, 't', 't')`);
    for (let i = 0; i < 300; i++) insert.run(`Name ${i}`, `person${i}@example.com`);
    const root = raw.prepare(`SELECT rootpage FROM sqlite_master WHERE name = 'customers'`).pluck().get() as number;
    raw.pragma('wal_checkpoint(TRUNCATE)');
    raw.close();
    const damaged = path.join(cwd, 'damaged.db');
    copyFileSync(good, damaged);
    const bytes = readFileSync(damaged);
    bytes.fill(0xde, (root - 1) * 4096, (root - 1) * 4096 + 64);
    await import('node:fs').then((fs) => fs.writeFileSync(damaged, bytes));

    const result = await runCliInProcess(['doctor', '--db', 'damaged.db'], { cwd });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/integrity\s+damaged/);
    expect(result.stdout).toMatch(/table customers cannot be read/);
    // No dated backup beside it, so the advice names the command without a file.
    expect(result.stdout).toContain(
      `Damage found. Restore a backup with "custdb restore FILE" (it keeps the damaged file as ${damaged}.before-restore), or rescue what is readable with sqlite3 "${damaged}" .recover | sqlite3 rescued.db and check it with "custdb doctor --db rescued.db".`,
    );
    expect((await runCliInProcess(['doctor', '--db', 'good.db'], { cwd })).code).toBe(0);

    // What a cron job wants: silence when healthy; which file, the findings and the advice when not.
    const quietGood = await runCliInProcess(['doctor', '-q', '--db', 'good.db'], { cwd });
    expect(quietGood).toEqual({ code: 0, stdout: '', stderr: '' });
    const quietDamaged = await runCliInProcess(['doctor', '-q', '--db', 'damaged.db'], { cwd });
    expect(quietDamaged.code).toBe(1);
    expect(quietDamaged.stdout.split('\n').slice(0, 2)).toEqual([`Checked ${damaged}`, expect.stringMatching(/^ {2}problem: \[integrity\]/)]);
    expect(quietDamaged.stdout).not.toMatch(/integrity\s+damaged|foreign keys/);
    expect(quietDamaged.stdout).toMatch(/table customers cannot be read[\s\S]*\nDamage found\. Restore a backup with "custdb restore FILE"/);
  });

  it('custdb init -q creates or updates the database and prints nothing', async () => {
    const cwd = makeWorkdir();
    expect(await runCliInProcess(['init', '-q'], { cwd })).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(await runCliInProcess(['-q', 'init'], { cwd })).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  it('custdb doctor exits 1 and names the customers whose stored metrics no longer match their orders', async () => {
    const cwd = makeWorkdir('orders/shopify_orders.csv');
    expect((await runCliInProcess(['import', 'shopify_orders.csv', '--as', 'orders'], { cwd })).code).toBe(0);
    const healthy = await runCliInProcess(['doctor'], { cwd });
    expect(healthy.code, healthy.stdout).toBe(0);
    expect(healthy.stdout).toMatch(/metrics\s+ok/);

    // An order deleted behind custdb's back, as another tool writing to the database might.
    const customer = await withCliDatabase(cwd, async (db) => {
      const order = await db.selectFrom('orders').select(['id', 'customer_id']).where('status', '=', 'paid').orderBy('id').limit(1).executeTakeFirstOrThrow();
      await db.deleteFrom('order_items').where('order_id', '=', order.id).execute();
      await db.deleteFrom('orders').where('id', '=', order.id).execute();
      return order.customer_id;
    });

    const result = await runCliInProcess(['doctor'], { cwd });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/metrics\s+stale/);
    expect(result.stdout).toContain(`problem: [metrics] the stored metrics of 1 customer(s) (${customer}) disagree with their orders and interactions`);
    expect(result.stdout).toContain('Stored customer metrics are out of step with the orders (the data itself is readable); "custdb doctor --fix" recomputes them.');
    const json = JSON.parse((await runCliInProcess(['doctor', '--json'], { cwd })).stdout);
    expect(json).toMatchObject({ ok: false, checks: { integrity: 'ok', metrics: 'stale' }, findings: [{ severity: 'error', check: 'metrics' }] });
    const before = await runCliInProcess(['show', String(customer), '--json'], { cwd });

    const fixed = await runCliInProcess(['doctor', '--fix', '--actor', 'ops'], { cwd });
    expect(fixed.code, fixed.stdout).toBe(0);
    expect(fixed.stdout).toMatch(/metrics\s+recomputed/);
    expect(fixed.stdout).toContain(`warning: [metrics] the stored metrics of 1 customer(s) (${customer}) disagreed with their orders and interactions; recomputed them`);
    const after = await runCliInProcess(['doctor', '--json'], { cwd });
    expect(after.code).toBe(0);
    expect(JSON.parse(after.stdout)).toMatchObject({ ok: true, checks: { metrics: 'ok' } });
    // The customer's figures now count one order fewer, and the repair is in the audit log.
    const orders = (text: string) => JSON.parse(text).metrics.orders_count as number;
    expect(orders((await runCliInProcess(['show', String(customer), '--json'], { cwd })).stdout)).toBe(orders(before.stdout) - 1);
    expect(await queryCliDatabase(cwd, sql`SELECT actor, command FROM events ORDER BY id DESC LIMIT 1`)).toEqual([{ actor: 'ops', command: 'doctor --fix' }]);
  });

  it('custdb doctor --db missing.db exits 2 and says how to create one', async () => {
    const result = await runCliInProcess(['doctor', '--db', 'missing.db'], { cwd: makeWorkdir() });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(new RegExp(`${NO_DATABASE.source}.*missing\\.db`));
    expect(result.stderr).toMatch(NO_DATABASE_HINT);
  });
});

describe('a database carrying an unknown (future) migration', () => {
  let cwd: string;
  let before: string;
  beforeAll(async () => {
    cwd = makeWorkdir('customers.csv');
    await runCliInProcess(['init'], { cwd });
    await queryCliDatabase(cwd, sql`INSERT INTO schema_migrations (position, name, applied_at) VALUES (99, '0099-future', '2030-01-01T00:00:00.000Z')`);
    before = await snapshotCliDatabase(cwd);
  });

  it('every command that opens the database has a sample invocation here', async () => {
    expect(Object.keys(SAMPLE_INVOCATIONS).sort()).toEqual((await listCommands()).sort());
  });

  for (const [command, args] of Object.entries(SAMPLE_INVOCATIONS)) {
    if (args === null) continue;
    it(`custdb ${args.join(' ')} exits 2 with a message and leaves the database unchanged`, async () => {
      const result = await runCliInProcess(args, { cwd });
      expect(result.code, `${command}: ${result.stderr}`).toBe(2);
      expect(result.stderr).toMatch(/newer custdb/);
      expect(await snapshotCliDatabase(cwd)).toBe(before);
    });
  }
});

describe('usage errors', () => {
  it('custdb frobnicate exits 2 with a suggestion', async () => {
    const result = await runCliInProcess(['frobnicate'], { cwd: makeWorkdir() });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/unknown command 'frobnicate'/);
    expect(result.stderr).toMatch(/custdb --help/);
  });

  it('custdb doctr suggests doctor', async () => {
    const result = await runCliInProcess(['doctr'], { cwd: makeWorkdir() });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/Did you mean doctor\?/);
  });

  it('custdb init --bogus exits 2 with a suggestion', async () => {
    const result = await runCliInProcess(['init', '--bogus'], { cwd: makeWorkdir() });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/unknown option '--bogus'/);
    expect(result.stderr).toMatch(/custdb init --help/);
  });

  it('custdb --version prints the package version', async () => {
    const result = await runCliInProcess(['--version'], { cwd: makeWorkdir() });
    expect(result.code).toBe(0);
    expect(result.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('custdb --json doctor --db missing.db still prints one JSON document, with the error', async () => {
    const result = await runCliInProcess(['--json', 'doctor', '--db', 'missing.db'], { cwd: makeWorkdir() });
    expect(result.code).toBe(2);
    expect(JSON.parse(result.stdout)).toMatchObject({ error: { kind: 'DatabaseOpenError' } });
  });
});
