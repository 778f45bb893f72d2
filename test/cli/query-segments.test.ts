import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, TEST_DIALECTS, type FreshDatabase } from '../helpers/dialects.js';
import { runCliInProcess } from '../helpers/run-cli-in-process.js';
import { FIXTURES } from '../helpers/run-cli.js';

interface ExportedCustomer {
  id: number;
  email: string | null;
  country: string | null;
  tags: string[];
  orders_count: number;
  total_spent: number | null;
}

/**
 * `query`, `segment …` and `export --where / segment:NAME` on a shop with
 * customers and orders, on each dialect. Expected answers are worked out in
 * the test from the plain export of everyone, so they do not depend on
 * which fixture rows happen to match.
 */
describe.each(TEST_DIALECTS)('query and segments on %s', (dialect) => {
  let database: FreshDatabase;
  let everyone: ExportedCustomer[];
  const run = (...args: string[]) => runCliInProcess(['--db', database.location, ...args]);
  const custdb = async (...args: string[]) => {
    const result = await run(...args);
    expect(result.code, `custdb ${args.join(' ')}: ${result.stderr}`).toBe(0);
    return result.stdout;
  };

  beforeAll(async () => {
    database = await freshDatabase(dialect);
    await custdb('init');
    await custdb('import', path.join(FIXTURES, 'customers.csv'));
    await custdb('import', path.join(FIXTURES, 'orders', 'shopify_orders.csv'));
    await custdb('import', path.join(FIXTURES, 'orders', 'woocommerce_orders.csv'));
    everyone = JSON.parse(await custdb('export', 'customers', '--format', 'json')) as ExportedCustomer[];
  });
  afterAll(async () => database.dispose());

  it('lists the customers a filter over computed fields selects, sorted, with the fields asked for', async () => {
    const answer = JSON.parse(await custdb('query', '--where', 'orders_count >= 1', '--fields', 'id,orders_count,total_spent', '--sort', 'total_spent:desc', '--format', 'json')) as {
      id: number;
      orders_count: number;
      total_spent: number | null;
    }[];
    const expected = everyone
      .filter((c) => c.orders_count >= 1)
      .sort((a, b) => (a.total_spent === null ? 1 : b.total_spent === null ? -1 : b.total_spent - a.total_spent) || a.id - b.id)
      .map((c) => ({ id: c.id, orders_count: c.orders_count, total_spent: c.total_spent }));
    expect(expected.length).toBeGreaterThan(1);
    expect(answer).toEqual(expected);
    expect(await custdb('query', '--where', 'orders_count >= 1', '--count')).toBe(`${expected.length}\n`);
  });

  it('answers tags, text and list conditions as the export shows them', async () => {
    const vip = everyone.filter((c) => c.tags.some((t) => t.toLowerCase() === 'vip')).map((c) => c.id);
    const answer = JSON.parse(await custdb('query', '--where', 'tags contains "VIP" and email is not empty', '--fields', 'id,tags', '--format', 'json')) as { id: number; tags: string[] }[];
    expect(answer.map((row) => row.id)).toEqual(vip.filter((id) => everyone.find((c) => c.id === id)?.email));
    const countries = ['US', 'GB'];
    const inCountries = everyone.filter((c) => c.country !== null && countries.includes(c.country)).length;
    expect(Number(await custdb('query', '--where', 'country in ("US", "GB")', '--count'))).toBe(inCountries);
  });

  it('shows a table with how many customers there are', async () => {
    const result = await run('query', '--where', 'orders_count >= 1', '--limit', '2');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/id\s+.*full_name\s+.*email\s+.*orders_count/);
    expect(result.stderr).toMatch(/2 of \d+ customers shown/);
  });

  it('refuses a filter it cannot check with exit 2, pointing at the mistake, and writes nothing', async () => {
    const before = await fingerprint();
    const unknown = await run('query', '--where', 'totl_spent > 5');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('did you mean total_spent');
    expect(unknown.stderr).toMatch(/totl_spent > 5\n\s*\^/);
    for (const hostile of ["'; drop table customers; --", '1=1', 'attr."; delete from customers; --" = 1 or', `${'('.repeat(500)}id = 1${')'.repeat(500)}`]) {
      const result = await run('query', '--where', hostile, '--count');
      expect(result.code, hostile).toBe(2);
      expect(result.stderr, hostile).not.toMatch(/internal error/i);
    }
    expect(await fingerprint()).toEqual(before);
    expect(Number(await custdb('query', '--count'))).toBe(everyone.length);
  });

  it('saves segments, counts and shows them, and exports their customers', async () => {
    const buyers = everyone.filter((c) => c.orders_count >= 1).length;
    expect(await custdb('segment', 'add', 'Buyers', '--where', 'orders_count >= 1', '--description', 'anyone who ordered')).toContain(`"buyers": ${buyers} customer`);
    await custdb('segment', 'add', 'big-buyers', '--where', 'in segment "buyers" and total_spent >= 100');
    const big = everyone.filter((c) => c.orders_count >= 1 && c.total_spent !== null && c.total_spent >= 100);
    expect(await custdb('segment', 'count', 'big-buyers')).toBe(`${big.length}\n`);

    const list = JSON.parse(await custdb('segment', 'list', '--json')) as { segments: { name: string; customers: number; description: string | null }[] };
    expect(list.segments.map((s) => [s.name, s.customers, s.description])).toEqual([
      ['big-buyers', big.length, null],
      ['buyers', buyers, 'anyone who ordered'],
    ]);
    const shown = await run('segment', 'show', 'buyers');
    expect(shown.stdout).toContain('filter   orders_count >= 1');
    expect(shown.stdout).toContain(`size     ${buyers} customer`);

    const viaSegment = await custdb('export', 'segment:big-buyers', '--fields', 'id,email,total_spent');
    const viaWhere = await custdb('export', 'customers', '--where', 'orders_count >= 1 and total_spent >= 100', '--fields', 'id,email,total_spent');
    expect(viaSegment).toBe(viaWhere);
    expect(viaSegment.trim().split('\n')).toHaveLength(big.length + 1);

    // A segment may not lead back to itself, and one in use keeps its name and stays.
    const cycle = await run('segment', 'edit', 'buyers', '--where', 'in segment "big-buyers"');
    expect(cycle.code).toBe(2);
    expect(cycle.stderr).toMatch(/cycle|itself|loop/i);
    const inUse = await run('segment', 'rm', 'buyers');
    expect(inUse.code).toBe(2);
    expect(inUse.stderr).toContain('big-buyers');
    await custdb('segment', 'rm', 'big-buyers');
    await custdb('segment', 'edit', 'buyers', '--rename', 'customers-who-ordered');
    const missing = await run('segment', 'count', 'buyers');
    expect(missing.code).toBe(2);
  });

  it('exports computed fields for any selection, in every format, the same as the plain export writes them', async () => {
    // The field query and the snapshot write the same bytes for the same columns and customers.
    expect(await custdb('export', 'customers', '--where', 'id > 0')).toBe(await custdb('export', 'customers'));
    expect(await custdb('export', 'customers', '--where', 'id > 0', '--format', 'json')).toBe(await custdb('export', 'customers', '--format', 'json'));

    const csv = (await custdb('export', 'customers', '--fields', 'id,orders_count,total_spent,rfm_segment')).trim().split('\n');
    expect(csv[0]).toBe('id,external_ids,orders_count,total_spent,rfm_segment');
    const rfm = JSON.parse(await custdb('query', '--fields', 'id,rfm_segment', '--format', 'json')) as { id: number; rfm_segment: string | null }[];
    const ndjson = (await custdb('export', 'customers', '--fields', 'id,orders_count,total_spent,rfm_segment', '--format', 'ndjson')).trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(ndjson.map((row) => [row.id, row.orders_count, row.total_spent, row.rfm_segment])).toEqual(
      everyone.map((c) => [c.id, c.orders_count, c.total_spent, rfm.find((r) => r.id === c.id)?.rfm_segment ?? null]),
    );
    // Customers with orders have a segment, those without have none.
    for (const row of ndjson) expect(row.rfm_segment === null).toBe(row.orders_count === 0);
  });

  /** What a read-only command must leave as it was: the SQLite file's bytes, or every customer on a server. */
  async function fingerprint(): Promise<string> {
    if (dialect === 'sqlite') {
      const files = [database.location, `${database.location}-wal`].filter((file) => existsSync(file));
      return files.map((file) => createHash('sha256').update(readFileSync(file)).digest('hex')).join(',');
    }
    return createHash('sha256').update(await custdb('export', 'customers', '--format', 'json')).digest('hex');
  }
});
