import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { queryCliDatabase, withCliDatabase } from '../helpers/cli-database.js';
import { makeWorkdir } from '../helpers/run-cli.js';
import { runCliInProcess } from '../helpers/run-cli-in-process.js';

/** A workdir with the bundled fixture imported (18 customers; Tom and Tina share a phone). */
async function importedWorkdir(): Promise<string> {
  const cwd = makeWorkdir('customers.csv');
  const result = await runCliInProcess(['import', 'customers.csv', '--default-country', 'US'], { cwd });
  expect(result.code, result.stderr).toBe(0);
  return cwd;
}

async function idByEmail(cwd: string, email: string): Promise<number> {
  const [row] = await queryCliDatabase<{ id: number }>(cwd, sql`SELECT id FROM customers WHERE email_norm = ${email}`);
  return row!.id;
}

describe('custdb show', () => {
  let cwd: string;
  let bob: number;
  beforeAll(async () => {
    cwd = await importedWorkdir();
    bob = await idByEmail(cwd, 'bob.mcdonald@example.com');
    // 500 orders for Bob, every 50th refunded, each with one or two items; one interaction — imported as a user would.
    const rows = ['Order ID,Created At,Email,Financial Status,Currency,Total,Lineitem sku,Lineitem name,Lineitem quantity,Lineitem price'];
    for (let i = 1; i <= 500; i++) {
      const head = [`#${1000 + i}`, new Date(Date.UTC(2024, 0, 1) + i * 86_400_000).toISOString(), 'bob.mcdonald@example.com', i % 50 === 0 ? 'refunded' : 'paid', 'USD', '20.00'];
      rows.push([...head, 'BEAN-1', '"Ethiopia Yirgacheffe single-origin whole-bean coffee, 1 kg bag"', '2', '9.00'].join(','));
      if (i % 2 === 1) rows.push([...head, '', 'Gift wrap', '1', '2.00'].join(','));
    }
    writeFileSync(path.join(cwd, 'bob-orders.csv'), `${rows.join('\n')}\n`);
    const orders = await runCliInProcess(['import', 'bob-orders.csv', '--as', 'orders', '--source', 'shopify', '--unknown-customers', 'reject'], { cwd });
    expect(orders.code, orders.stderr).toBe(0);
    writeFileSync(
      path.join(cwd, 'bob-support.csv'),
      'Occurred At,Email,Channel,Kind,Summary,Outcome\n2025-11-01T10:00:00.000Z,bob.mcdonald@example.com,email,complaint,Parcel arrived damaged,refunded\n',
    );
    const support = await runCliInProcess(['import', 'bob-support.csv', '--as', 'interactions', '--unknown-customers', 'reject'], { cwd });
    expect(support.code, support.stderr).toBe(0);
  });

  it('custdb show jane.obrien@example.com prints profile, consent, tags, ids, custom fields and no orders', async () => {
    const result = await runCliInProcess(['show', 'jane.obrien@example.com'], { cwd, env: { COLUMNS: '80' } });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^Customer \d+ — Jane O'Brien\n/);
    expect(result.stdout).toMatch(/consent +email granted \d{4}-\d\d-\d\d via import:csv; sms unknown/);
    expect(result.stdout).toMatch(/tags +loyal, newsletter, vip/);
    expect(result.stdout).toMatch(/id csv +C-1001\n/);
    expect(result.stdout).toMatch(/custom +favourite_roast: dark/);
    expect(result.stdout).toContain('Orders (0)\n  none');
    expect(result.stdout).toContain('  no orders');
    for (const line of result.stdout.split('\n')) expect(line.length, line).toBeLessThanOrEqual(80);
  });

  it('custdb show BOB (500 orders) lists only the last 10, with items, and counts the rest; fits 80 columns', async () => {
    const result = await runCliInProcess(['show', String(bob)], { cwd, env: { COLUMNS: '80' } });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('Orders (last 10 of 500)');
    expect(result.stdout).toContain('… and 490 earlier orders');
    expect(result.stdout).toMatch(/orders 490 \(not counted: 10 refunded, cancelled or failed\)/);
    expect(result.stdout).toMatch(/spent USD 9,800\.00 · average USD 20\.00/);
    expect(result.stdout).toMatch(/2025-05-15 +shopify:#1500 +refunded +USD 20\.00\n +2 × Ethiopia Yirgacheffe.*… +USD 18\.00\n/);
    expect(result.stdout.match(/^ {2}\d{4}-\d\d-\d\d {2}shopify:/gm)).toHaveLength(10);
    expect(result.stdout).toMatch(/Interactions \(1\)\n {2}2025-11-01 {2}complaint by email {2}→ refunded\n {6}Parcel arrived damaged/);
    for (const line of result.stdout.split('\n')) expect(line.length, line).toBeLessThanOrEqual(80);
  });

  it('custdb show csv:C-1002 --json gives the same view as one document', async () => {
    const result = await runCliInProcess(['show', 'csv:C-1002', '--json'], { cwd });
    expect(result.code, result.stderr).toBe(0);
    const view = JSON.parse(result.stdout);
    expect(view).toMatchObject({
      query: 'csv:C-1002',
      followed_merges: [],
      customer: { id: bob, first_name: 'Robert', last_name: 'McDonald', country: 'GB' },
      consent: { email: { state: 'denied', source: 'import:csv' }, sms: { state: null } },
      identities: { csv: ['C-1002'] },
      metrics: { orders_count: 490, total_spent_minor: 980000, total_spent: 9800, avg_order_value_minor: 2000, currency: 'USD', mixed_currencies: false, interactions_count: 1 },
      orders: { total: 500 },
      interactions: { total: 1 },
      segments: [],
    });
    expect(view.orders.recent).toHaveLength(10);
    expect(view.orders.recent[1].items).toEqual([
      { sku: 'BEAN-1', name: 'Ethiopia Yirgacheffe single-origin whole-bean coffee, 1 kg bag', quantity: 2, unit_price_minor: 900, total_minor: 1800 },
      { sku: null, name: 'Gift wrap', quantity: 1, unit_price_minor: 200, total_minor: 200 },
    ]);
  });

  it('custdb show +12125550199 (a phone Tom and Tina share) lists both and exits 1', async () => {
    const result = await runCliInProcess(['show', '+1 212 555 0199'], { cwd });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/2 customers match \+1 212 555 0199; give the id/);
    expect(result.stdout).toMatch(/Tom Smith/);
    expect(result.stdout).toMatch(/Tina Smith/);
    const json = await runCliInProcess(['show', '+12125550199', '--json'], { cwd });
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({ ambiguous: true, matches: [{ first_name: 'Tom' }, { first_name: 'Tina' }] });
  });

  it('custdb show TINA lists the pending possible duplicate (Tom)', async () => {
    const result = await runCliInProcess(['show', 'tina.smith@example.com'], { cwd });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/Possible duplicates \(1, not yet reviewed\)\n {2}customer \d+: Tom Smith/);
  });

  it('custdb show nobody@example.com exits 1; custdb show "???" exits 2', async () => {
    const none = await runCliInProcess(['show', 'nobody@example.com'], { cwd });
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/No customer matches nobody@example\.com/);
    expect(none.stdout).toBe('');
    const missing = await runCliInProcess(['show', '99999'], { cwd });
    expect(missing.code).toBe(1);
    const nonsense = await runCliInProcess(['show', '???'], { cwd });
    expect(nonsense.code).toBe(2);
    expect(nonsense.stderr).toMatch(/Cannot tell what "\?\?\?" is/);
  });

  it('custdb show MERGED-ID says so and shows the survivor', async () => {
    const dir = await importedWorkdir();
    const survivor = await idByEmail(dir, 'jane.obrien@example.com');
    const merged = await idByEmail(dir, 'bob.mcdonald@example.com');
    await withCliDatabase(dir, async (db) => {
      await sql`UPDATE customers SET status = 'merged', merged_into = ${survivor} WHERE id = ${merged}`.execute(db);
      await sql`INSERT INTO merges (survivor_id, merged_id, plan_json, snapshot_json, created_at) VALUES (${survivor}, ${merged}, '{}', '{}', '2026-01-02T03:04:05.000Z')`.execute(db);
    });
    const result = await runCliInProcess(['show', String(merged)], { cwd: dir });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain(`note: customer ${merged} was merged into customer ${survivor} on 2026-01-02; showing the survivor.`);
    expect(result.stdout).toMatch(new RegExp(`^Customer ${survivor} — Jane O'Brien\\n {2}merged from customers ${merged}\\n`));
    const json = JSON.parse((await runCliInProcess(['show', 'bob.mcdonald@example.com', '--json'], { cwd: dir })).stdout);
    expect(json).toMatchObject({ customer: { id: survivor }, followed_merges: [{ id: merged, merged_into: survivor }], merged_from: [{ id: merged }] });
  });
});
