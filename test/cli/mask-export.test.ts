import { copyFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES, makeWorkdir } from '../helpers/run-cli.js';
import { runCliInProcess } from '../helpers/run-cli-in-process.js';

const PERSONAL_FIELDS = ['first_name', 'last_name', 'full_name', 'email', 'phone', 'company', 'address_line1', 'address_line2', 'postal_code', 'birth_date', 'notes'] as const;

describe('--mask on export and query', () => {
  let cwd: string;
  /** Every personal value the database holds, as patterns to look for in masked output. */
  let personal: { value: string; pattern: RegExp }[];
  const custdb = async (...args: string[]) => {
    const result = await runCliInProcess(args, { cwd, env: { COLUMNS: '250' } });
    expect(result.code, `custdb ${args.join(' ')}: ${result.stderr}`).toBe(0);
    return result.stdout;
  };
  const expectNoPersonalValue = (output: string) => {
    const found = personal.filter((p) => p.pattern.test(output)).map((p) => p.value);
    expect(found).toEqual([]);
  };

  beforeAll(async () => {
    cwd = makeWorkdir('customers.csv', 'interactions/support_log.csv');
    copyFileSync(path.join(FIXTURES, 'orders', 'shopify_orders.csv'), path.join(cwd, 'orders.csv'));
    await custdb('import', 'customers.csv', '--source', 'shop');
    await custdb('import', 'orders.csv', '--as', 'orders', '--source', 'shopify');
    await custdb('import', 'support_log.csv', '--as', 'interactions', '--source', 'helpdesk');
    const everyone = JSON.parse(await custdb('export', 'customers', '--format', 'json', '--fields', `id,${PERSONAL_FIELDS.join(',')},phone`)) as Record<string, string | null>[];
    const values = new Set<string>();
    for (const customer of everyone) {
      for (const field of PERSONAL_FIELDS) {
        const value = customer[field];
        if (value === null || value === undefined || value.length < 3) continue;
        values.add(value);
        if (field === 'phone') values.add(value.replace(/\D/g, '').slice(-9));
      }
    }
    // Words are looked for whole (a last name "Lee" is not in "Leeds"); emails, phones and dates as written.
    personal = [...values].map((value) => ({ value, pattern: new RegExp(/^[\p{L}' .-]+$/u.test(value) ? `(?<![\\p{L}])${escape(value)}(?![\\p{L}])` : escape(value), 'iu') }));
    expect(personal.length).toBeGreaterThan(60);
    // The scan finds what it looks for: the unmasked export holds every value.
    expectNoPersonalValue('nothing');
    const plain = everyone.flatMap((c) => Object.values(c)).join('\n');
    expect(personal.filter((p) => !p.pattern.test(plain) && !p.pattern.test(plain.replace(/\D/g, ''))).map((p) => p.value)).toEqual([]);
  });

  it('custdb export customers --mask (CSV, every stored column) holds no personal value, and keeps ids, countries and spend', async () => {
    const csv = await custdb('export', 'customers', '--mask');
    expectNoPersonalValue(csv);
    const [head, first] = csv.split('\n');
    expect(head).toMatch(/^id,external_ids,/);
    // A phone starts with +, so the CSV protects it from spreadsheets with a leading '.
    expect(first).toMatch(/^1,shop:C-1001,J\*\*\*,O\*\*\*,j\*\*\*@example\.com,'\+1 •••• ••2671,/);
    expect(first).toContain(',941••,US,1985,');
  });

  it('custdb export customers --mask --format json with computed fields and attributes holds no personal value', async () => {
    const json = await custdb('export', 'customers', '--mask', '--format', 'json', '--fields', 'id,full_name,email,phone,postal_code,birth_date,notes,orders_count,total_spent,attr.favourite_roast');
    expectNoPersonalValue(json);
    const rows = JSON.parse(json) as Record<string, unknown>[];
    expect(rows[0]).toMatchObject({ id: 1, full_name: 'J*** O***', email: 'j***@example.com', birth_date: '1985', notes: '•••', 'attr.favourite_roast': 'dark' });
  });

  it('custdb export orders --mask and export interactions --mask (JSON and CSV) hold no personal value', async () => {
    for (const what of ['orders', 'interactions']) {
      for (const format of ['csv', 'ndjson']) expectNoPersonalValue(await custdb('export', what, '--mask', '--format', format));
    }
    const orders = (await custdb('export', 'orders', '--mask', '--format', 'ndjson')).trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(orders[0]).toMatchObject({ email: 's***@gmail.com', first_name: 'R***', total: 1299, items: [{ name: 'Organic Ethiopian Coffee Beans', total: 1299 }] });
  });

  it('custdb query --mask (table, CSV) holds no personal value; the filter still reads the real values', async () => {
    const table = await custdb('query', '--where', 'email contains "obrien"', '--fields', 'id,full_name,email,phone,birth_date', '--mask');
    expectNoPersonalValue(table);
    expect(table).toMatch(/│ 1 +│ J\*\*\* O\*\*\* +│ j\*\*\*@example\.com +│ \+1 •••• ••2671 +│ 1985 +│/);
    expectNoPersonalValue(await custdb('query', '--fields', 'id,first_name,last_name,email,phone,address_line1,postal_code,notes', '--format', 'csv', '--mask'));
  });

  it('custdb export customers (without --mask) is unchanged: the values are there', async () => {
    expect(await custdb('export', 'customers', '--fields', 'id,email')).toContain('1,jane.obrien@example.com');
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
