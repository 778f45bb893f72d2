import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeWorkdir, runCli } from '../helpers/run-cli.js';

/** A till's daily orders export, its columns in the till's own words. */
function writeTillFile(cwd: string, name: string, rows: string[]): void {
  writeFileSync(path.join(cwd, name), ['Bon,Mail,Datum,Summe', ...rows].join('\n') + '\n');
}

async function exportOrders(cwd: string): Promise<Record<string, unknown>[]> {
  const result = await runCli(['export', 'orders', '--format', 'json'], { cwd });
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as Record<string, unknown>[];
}

const TILL_MAPS = ['--map', 'Bon=order_id', '--map', 'Mail=email', '--map', 'Summe=total'];

describe('saved mappings for orders and interactions files', () => {
  it('custdb import till-2024-05-01.csv --as orders --map … --save-mapping till, then --mapping till on the next day’s file (as cron would)', async () => {
    const cwd = makeWorkdir();
    writeTillFile(cwd, 'till-2024-05-01.csv', ['B-1,ada@example.com,2024-05-01,12.50', 'B-2,grace@example.com,2024-05-01,8.00']);
    writeTillFile(cwd, 'till-2024-05-02.csv', ['B-3,ada@example.com,2024-05-02,4.20']);
    const first = await runCli(['import', 'till-2024-05-01.csv', '--as', 'orders', ...TILL_MAPS, '--save-mapping', 'till', '--json'], { cwd });
    expect(first.code, first.stderr).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({ status: 'imported', kind: 'orders', counts: { inserted: 2, customersCreated: 2 } });

    const next = await runCli(['import', 'till-2024-05-02.csv', '--as', 'orders', '--mapping', 'till', '--json'], { cwd });
    expect(next.code, next.stderr).toBe(0);
    const summary = JSON.parse(next.stdout);
    expect(summary).toMatchObject({ status: 'imported', counts: { inserted: 1, customersCreated: 0 }, matchedBy: { email: 1 } });
    expect(summary.mapping).toEqual([
      { column: 'Bon', target: 'order_id', confidence: 'saved' },
      { column: 'Mail', target: 'email', confidence: 'saved' },
      { column: 'Datum', target: 'ordered_at', confidence: 'saved' },
      { column: 'Summe', target: 'total', confidence: 'saved' },
    ]);
    expect((await exportOrders(cwd)).map((o) => [o.order_id, o.email, o.total])).toEqual([
      ['B-1', 'ada@example.com', 12.5],
      ['B-2', 'grace@example.com', 8],
      ['B-3', 'ada@example.com', 4.2],
    ]);
  });

  it('custdb import till.csv --as orders --mapping till.json (a mapping written by hand; other columns by synonyms)', async () => {
    const cwd = makeWorkdir();
    writeTillFile(cwd, 'till.csv', ['B-1,ada@example.com,2024-05-01,12.50']);
    writeFileSync(
      path.join(cwd, 'till.json'),
      JSON.stringify({ version: 1, kind: 'orders', columns: [{ header: 'Bon', target: 'order_id' }, { header: 'Mail', target: 'email' }, { header: 'Summe', target: 'total' }] }),
    );
    const result = await runCli(['import', 'till.csv', '--as', 'orders', '--mapping', 'till.json', '--json'], { cwd });
    expect(result.code, result.stderr).toBe(0);
    const summary = JSON.parse(result.stdout);
    expect(summary.mapping).toContainEqual({ column: 'Summe', target: 'total', confidence: 'saved' });
    expect(summary.mapping).toContainEqual({ column: 'Datum', target: 'ordered_at', confidence: 'synonym' });
    expect((await exportOrders(cwd)).map((o) => [o.order_id, o.total])).toEqual([['B-1', 12.5]]);
  });

  it('custdb import tickets.csv --as interactions --save-mapping desk, then --mapping desk', async () => {
    const cwd = makeWorkdir();
    writeFileSync(path.join(cwd, 'tickets-1.csv'), 'Fall,Wer,Wann,Was\nF-1,ada@example.com,2024-05-01 09:00,Grinder jammed\n');
    writeFileSync(path.join(cwd, 'tickets-2.csv'), 'Fall,Wer,Wann,Was\nF-2,ada@example.com,2024-05-02 10:00,Grinder fixed\n');
    const maps = ['--map', 'Fall=interaction_id', '--map', 'Wer=email', '--map', 'Wann=occurred_at', '--map', 'Was=summary'];
    const first = await runCli(['import', 'tickets-1.csv', '--as', 'interactions', ...maps, '--save-mapping', 'desk', '--json'], { cwd });
    expect(first.code, first.stderr).toBe(0);
    const next = await runCli(['import', 'tickets-2.csv', '--as', 'interactions', '--mapping', 'desk', '--json'], { cwd });
    expect(next.code, next.stderr).toBe(0);
    expect(JSON.parse(next.stdout)).toMatchObject({ status: 'imported', counts: { inserted: 1, customersCreated: 0 }, matchedBy: { email: 1 } });
    const exported = await runCli(['export', 'interactions', '--format', 'json'], { cwd });
    expect((JSON.parse(exported.stdout) as Record<string, unknown>[]).map((i) => [i.interaction_id, i.summary])).toEqual([
      ['F-1', 'Grinder jammed'],
      ['F-2', 'Grinder fixed'],
    ]);
  });

  it('custdb import till.csv --as orders --mapping contacts (a customers mapping) exits 2 naming its kind', async () => {
    const cwd = makeWorkdir('customers.csv');
    writeTillFile(cwd, 'till.csv', ['B-1,ada@example.com,2024-05-01,12.50']);
    const saved = await runCli(['import', 'customers.csv', '--default-country', 'US', '--save-mapping', 'contacts'], { cwd });
    expect(saved.code, saved.stderr).toBe(0);
    const result = await runCli(['import', 'till.csv', '--as', 'orders', '--mapping', 'contacts'], { cwd });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/The saved mapping contacts is for customers files, not orders\./);
    expect(result.stderr).toMatch(/--as customers/);
    expect(await exportOrders(cwd)).toEqual([]);
  });

  it('custdb import customers.csv --mapping till.json (an orders mapping file) exits 2 naming its kind', async () => {
    const cwd = makeWorkdir('customers.csv');
    writeFileSync(path.join(cwd, 'till.json'), JSON.stringify({ version: 1, kind: 'orders', columns: [{ header: 'Bon', target: 'order_id' }] }));
    const result = await runCli(['import', 'customers.csv', '--mapping', 'till.json'], { cwd });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/till\.json is a mapping for orders files, not customers\./);
  });

  it('custdb import till.csv --as orders … --save-mapping contacts exits 2 when contacts is a customers mapping, and imports nothing', async () => {
    const cwd = makeWorkdir('customers.csv');
    writeTillFile(cwd, 'till.csv', ['B-1,ada@example.com,2024-05-01,12.50']);
    await runCli(['import', 'customers.csv', '--default-country', 'US', '--save-mapping', 'contacts'], { cwd });
    const result = await runCli(['import', 'till.csv', '--as', 'orders', ...TILL_MAPS, '--save-mapping', 'contacts'], { cwd });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/A mapping called contacts is already saved for customers files/);
    expect(result.stderr).toMatch(/--save-mapping contacts-orders/);
    expect(await exportOrders(cwd)).toEqual([]);
  });

  it('custdb import till.csv --as orders --mapping bad.json exits 2 naming the orders fields', async () => {
    const cwd = makeWorkdir();
    writeTillFile(cwd, 'till.csv', ['B-1,ada@example.com,2024-05-01,12.50']);
    writeFileSync(path.join(cwd, 'bad.json'), JSON.stringify({ version: 1, columns: [{ header: 'Summe', target: 'attr.sum' }] }));
    const result = await runCli(['import', 'till.csv', '--as', 'orders', '--mapping', 'bad.json'], { cwd });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/bad\.json is not a valid mapping: columns\.0\.target: target must be one of the orders fields \(order_id, .*\) or ignore/);
  });
});
