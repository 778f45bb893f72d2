import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, TEST_DIALECTS, type FreshDatabase } from '../helpers/dialects.js';
import { runCliInProcess } from '../helpers/run-cli-in-process.js';
import { FIXTURES } from '../helpers/run-cli.js';

/**
 * The default customers export carries each customer's orders count and total
 * spent after the profile fields (as Shopify's export does); `show` computes
 * the same figures, and importing the export again ignores them.
 */
describe.each(TEST_DIALECTS)('orders_count and total_spent in the customers export, on %s', (dialect) => {
  let database: FreshDatabase;
  const custdb = async (...args: string[]) => {
    const result = await runCliInProcess(['--db', database.location, ...args]);
    expect(result.code, `custdb ${args.join(' ')}: ${result.stderr}`).toBe(0);
    return result.stdout;
  };

  beforeAll(async () => {
    database = await freshDatabase(dialect);
    await custdb('init');
    await custdb('import', path.join(FIXTURES, 'customers.csv'));
    await custdb('import', path.join(FIXTURES, 'orders', 'shopify_orders.csv'));
  });
  afterAll(async () => database.dispose());

  it('writes them after the profile fields, before custom fields, and as `show` computes them', async () => {
    const csv = (await custdb('export', 'customers')).split('\n');
    const header = csv[0]?.split(',') ?? [];
    expect(header.slice(header.indexOf('signup_date'), header.indexOf('signup_date') + 3)).toEqual(['signup_date', 'orders_count', 'total_spent']);
    expect(header.slice(header.indexOf('total_spent') + 1).every((column) => column.startsWith('attr.'))).toBe(true);

    const rows = JSON.parse(await custdb('export', 'customers', '--format', 'json')) as { id: number; orders_count: number; total_spent: number | null }[];
    const buyers = rows.filter((row) => row.orders_count > 0);
    expect(buyers.length).toBeGreaterThan(0);
    for (const row of rows) {
      const shown = JSON.parse(await custdb('show', String(row.id), '--json')) as { metrics: { orders_count: number; total_spent: number | null } };
      expect([row.id, row.orders_count, row.total_spent]).toEqual([row.id, shown.metrics.orders_count, shown.metrics.total_spent]);
    }
    // CSV writes money with two decimals.
    const buyer = buyers[0]!;
    const line = csv.find((l) => l.startsWith(`${buyer.id},`)) ?? '';
    expect(line).toContain(`,${buyer.orders_count},${buyer.total_spent!.toFixed(2)}`);
  });

  it('is imported back without turning the computed columns into custom fields', async () => {
    const exported = await custdb('export', 'customers', '--fields', 'email,first_name,orders_count,total_spent');
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'custdb-export-')), 'again.csv');
    writeFileSync(file, exported);
    const summary = JSON.parse(await custdb('import', file, '--json')) as { counts: { inserted: number; unchanged: number }; mapping: { column: string; target: string }[] };
    expect(summary.counts).toMatchObject({ inserted: 0, unchanged: 20 });
    expect(summary.mapping.filter((m) => m.column === 'orders_count' || m.column === 'total_spent').map((m) => m.target)).toEqual(['ignore', 'ignore']);
    const header = (await custdb('export', 'customers')).split('\n')[0] ?? '';
    expect(header).not.toContain('attr.orders_count');
    expect(header).not.toContain('attr.total_spent');
  });
});
