import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeWorkdir, runCli } from '../helpers/run-cli.js';
import { runCliInProcess } from '../helpers/run-cli-in-process.js';

interface Entry {
  id: number;
  at: string;
  actor: string;
  command: string;
  summary: string;
  customers: number | null;
  details: Record<string, unknown>;
}

/** Every personal value of fixtures/customers.csv that the commands below touch. */
const PERSONAL = /jane|obrien|o'brien|market st|94103|555-2671|4155552671|oat milk|bob\.mcdonald|robert/i;

describe('custdb log', () => {
  let cwd: string;
  const custdb = async (...args: string[]) => {
    const result = await runCliInProcess(args, { cwd });
    expect(result.code, `custdb ${args.join(' ')}: ${result.stderr}`).toBe(0);
    return result;
  };

  beforeAll(async () => {
    cwd = makeWorkdir('customers.csv');
    await custdb('init');
    await custdb('--actor', 'ops', 'import', 'customers.csv', '--source', 'shop');
    await custdb('customers', 'note', 'jane.obrien@example.com', 'Prefers oat milk, call Jane');
    await custdb('customers', 'add', '--first-name', 'Robert', '--email', 'robert.new@example.com');
    await custdb('segment', 'add', 'firsts', '--where', 'first_name = "Jane" and total_spent >= 0');
    await custdb('config', 'set', 'currency', 'USD');
  });

  it('custdb log --json lists every entry newest first, with how many customers each changed, and no personal value', async () => {
    const result = await custdb('--json', 'log');
    const { entries } = JSON.parse(result.stdout) as { entries: Entry[] };
    expect(entries.map((e) => e.command)).toEqual(['config set', 'segment add', 'customers add', 'customers note', 'import', 'init']);
    expect(entries.map((e) => e.id)).toEqual([...entries.map((e) => e.id)].sort((a, b) => b - a));
    expect(entries.find((e) => e.command === 'import')).toMatchObject({ actor: 'ops', customers: expect.any(Number) });
    expect(entries.find((e) => e.command === 'import')!.customers).toBeGreaterThan(10);
    expect(entries.find((e) => e.command === 'customers note')!.customers).toBe(1);
    expect(entries.find((e) => e.command === 'segment add')!.summary).toBe('segment firsts: first_name = "…" and total_spent >= 0');
    expect(result.stdout).not.toMatch(PERSONAL);
  });

  it('custdb log shows a table and says how many entries', async () => {
    const result = await runCliInProcess(['log'], { cwd, env: { COLUMNS: '200' } });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/│ id │ when \(UTC\) +│ who +│ command +│ customers │ what/);
    expect(result.stdout).toMatch(/│ ops[^│]*│ import +│ 20 +│ imported customers\.csv as batch 1: 18 inserted, 2 updated/);
    expect(result.stderr).toBe('6 entries.\n');
    expect(result.stdout).not.toMatch(PERSONAL);
  });

  it('custdb log --who ops / --command customers / --command import / --limit 2 choose entries', async () => {
    const commands = async (...args: string[]) => (JSON.parse((await custdb('--json', 'log', ...args)).stdout) as { entries: Entry[] }).entries.map((e) => e.command);
    expect(await commands('--who', 'ops')).toEqual(['import']);
    expect(await commands('--command', 'customers')).toEqual(['customers add', 'customers note']);
    expect(await commands('--command', 'import')).toEqual(['import']);
    expect(await commands('--command', 'imp')).toEqual([]);
    expect(await commands('--limit', '2')).toEqual(['config set', 'segment add']);
  });

  it('custdb log --since 30d keeps today\'s entries, --since 2999-01-01 none, a timestamp works too', async () => {
    expect((await custdb('log', '--since', '30d', '--format', 'csv')).stdout.trim().split('\n')).toHaveLength(7);
    expect((await custdb('log', '--since', '2999-01-01')).stdout).toBe('No audit entries match.\n');
    expect((await custdb('log', '--since', '2000-01-01T00:00:00Z', '--format', 'csv')).stdout.trim().split('\n')).toHaveLength(7);
  });

  it('custdb log --format csv is CSV another reader reads back, details as JSON', async () => {
    const rows = parse((await custdb('log', '--format', 'csv')).stdout, { columns: true }) as Record<string, string>[];
    expect(Object.keys(rows[0]!)).toEqual(['id', 'at', 'actor', 'db_role', 'command', 'customers', 'summary', 'details']);
    expect(rows.map((r) => r.command)).toEqual(['config set', 'segment add', 'customers add', 'customers note', 'import', 'init']);
    expect(JSON.parse(rows.find((r) => r.command === 'customers add')!.details!)).toEqual({ customerId: expect.any(Number) });
  });

  it('custdb log --since yesterday / --limit 0 / --format xml exit 2 naming the fix', async () => {
    const since = await runCliInProcess(['log', '--since', 'yesterday'], { cwd });
    expect(since.code).toBe(2);
    expect(since.stderr).toContain('--since yesterday: not a date or a time back.');
    expect(since.stderr).toContain('--since 30d');
    const limit = await runCliInProcess(['log', '--limit', '0'], { cwd });
    expect(limit.code).toBe(2);
    expect(limit.stderr).toContain('--limit 0: not a positive whole number.');
    expect((await runCliInProcess(['log', '--format', 'xml'], { cwd })).code).toBe(2);
  });

  it('custdb log with no database exits 2', async () => {
    const result = await runCliInProcess(['log'], { cwd: makeWorkdir() });
    expect(result.code).toBe(2);
  });

  it('custdb log --command "config set" --format csv (the built binary)', async () => {
    const result = await runCli(['log', '--command', 'config set', '--format', 'csv'], { cwd });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^id,at,actor,db_role,command,customers,summary,details\n\d+,\d{4}-[^,]+,[^,]+,[^,]*,config set,,currency = USD,\{\}\n$/);
  });
});

describe('custdb log after orders imports', () => {
  const ORDERS = 'customer_id,order_date,quantity,amount';

  it('shows how many customers the orders belong to, new or not, never an empty cell', async () => {
    const cwd = makeWorkdir();
    const custdb = async (...args: string[]) => {
      const result = await runCliInProcess(args, { cwd, env: { COLUMNS: '200' } });
      expect(result.code, `custdb ${args.join(' ')}: ${result.stderr}`).toBe(0);
      return result;
    };
    await custdb('init');
    // Four orders of three customers, then one more order of customer 00001 and the first of 00004.
    writeFileSync(path.join(cwd, 'first.csv'), [ORDERS, '00001,19970101,1,10.00', '00001,19970201,1,12.00', '00002,19970105,2,20.00', '00003,19970110,1,5.00', ''].join('\n'));
    writeFileSync(path.join(cwd, 'second.csv'), [ORDERS, '00001,19970301,1,8.00', '00004,19970302,1,9.00', ''].join('\n'));
    await custdb('import', 'first.csv', '--as', 'orders', '--source', 'cdnow');
    await custdb('import', 'second.csv', '--as', 'orders', '--source', 'cdnow');

    const { entries } = JSON.parse((await custdb('--json', 'log', '--command', 'import')).stdout) as { entries: Entry[] };
    expect(entries.map((e) => [e.customers, e.details.customers, e.summary])).toEqual([
      [2, 2, 'imported second.csv as batch 2: 2 orders (2 items), 1 new customers'],
      [3, 3, 'imported first.csv as batch 1: 4 orders (4 items), 3 new customers'],
    ]);
    expect((await custdb('log', '--command', 'import')).stdout).toMatch(/│ import +│ 2 +│ imported second\.csv as batch 2/);
  });
});
