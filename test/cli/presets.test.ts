import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES, makeWorkdir } from '../helpers/run-cli.js';
import { runCliInProcess } from '../helpers/run-cli-in-process.js';

// Every platform export in fixtures/presets, imported (in this process) with no flags at all:
// recognised, mapped, cleaned, and every expected value found again in `custdb export`.

interface ExpectedRow {
  tags?: string[];
  attributes?: Record<string, string>;
  [field: string]: unknown;
}

interface Expected {
  preset: string;
  source: string;
  kind: string;
  encoding?: string;
  delimiter?: string;
  /** Values as the file holds them (after mapping, before cleaning). */
  rows: ExpectedRow[];
  /** Per row, the exported value of each field that cleaning changes (E.164 phones, ISO countries…). */
  imported?: Record<string, unknown>[];
}

type Exported = Record<string, unknown>;

const PRESET_DIR = path.join(FIXTURES, 'presets');
const CONSENT: Record<string, string> = { yes: 'granted', true: 'granted', no: 'denied', false: 'denied' };

function readExpected(name: string): Expected {
  return JSON.parse(readFileSync(path.join(PRESET_DIR, `${name}.expected.json`), 'utf8')) as Expected;
}

const customerFixtures = readdirSync(PRESET_DIR)
  .filter((file) => file.endsWith('.csv'))
  .map((file) => file.replace(/\.csv$/, ''))
  .filter((name) => readExpected(name).kind === 'customers')
  .sort();

/**
 * What `custdb export customers --format json` should show for one expected row: the raw
 * values, with the mechanical rules of cleaning applied (ids namespaced by the preset's
 * source, consent words as granted/denied, date-times cut to dates) and the fixture's
 * `imported` values on top. `full_name` has no export column: first and last name carry it.
 */
function exportedExpectation(expected: Expected, position: number): { fields: Exported; fullName?: string; tags: string[] } {
  const { tags = [], attributes = {}, full_name: fullName, external_id: externalId, ...raw } = expected.rows[position] ?? {};
  const fields: Exported = { external_ids: externalId === undefined ? [] : [`${expected.source}:${String(externalId)}`] };
  for (const [field, value] of Object.entries(raw)) {
    let cleaned = value;
    if ((field === 'email_consent' || field === 'sms_consent') && typeof value === 'string') cleaned = CONSENT[value.toLowerCase()] ?? value;
    if ((field === 'signup_date' || field === 'birth_date') && typeof value === 'string') cleaned = /^\d{4}-\d{2}-\d{2}[ T]/.test(value) ? value.slice(0, 10) : value;
    fields[field] = cleaned;
  }
  for (const [name, value] of Object.entries(attributes)) fields[`attr.${name}`] = value;
  Object.assign(fields, expected.imported?.[position] ?? {});
  return { fields, tags, ...(typeof fullName === 'string' ? { fullName } : {}) };
}

async function importWithNoFlags(name: string): Promise<{ cwd: string; summary: Record<string, unknown>; customers: Exported[] }> {
  const cwd = makeWorkdir(`presets/${name}.csv`);
  const result = await runCliInProcess(['import', `${name}.csv`, '--json', '--db', 'test.db'], { cwd });
  expect(result.code, result.stderr).toBe(0);
  const summary = JSON.parse(result.stdout) as Record<string, unknown>;
  const exported = await runCliInProcess(['export', 'customers', '--format', 'json', '--db', 'test.db'], { cwd });
  expect(exported.code, exported.stderr).toBe(0);
  return { cwd, summary, customers: JSON.parse(exported.stdout) as Exported[] };
}

describe('custdb import <platform export> with no flags', () => {
  it('covers every platform export fixture that holds customers', () => {
    expect(customerFixtures.length).toBeGreaterThanOrEqual(20);
  });

  it.each(customerFixtures)('%s: recognised, imported whole, and every expected value lands', async (name) => {
    const expected = readExpected(name);
    const { summary, customers } = await importWithNoFlags(name);

    expect(summary).toMatchObject({
      status: 'imported',
      kind: 'customers',
      preset: expected.preset,
      source: expected.source,
      encoding: expected.encoding ?? 'utf-8',
      delimiter: expected.delimiter ?? ',',
      counts: { rows: expected.rows.length, inserted: expected.rows.length, rejected: 0 },
    });
    expect(customers).toHaveLength(expected.rows.length);

    // Every row is a new person, inserted in file order, so customer N is row N.
    customers.forEach((customer, position) => {
      const { fields, fullName, tags } = exportedExpectation(expected, position);
      expect(customer, `${name} row ${position + 1}`).toMatchObject(fields);
      expect([...(customer.tags as string[])].sort(), `${name} row ${position + 1} tags`).toEqual([...tags].sort());
      if (fullName !== undefined) expect(`${String(customer.first_name)} ${String(customer.last_name)}`).toBe(fullName);
    });
  });

  it('A Shopify customers file round-tripped through a European-locale Excel (semicolons, CRLF, Windows-1252, TRUE/FALSE) still imports with no flags', async () => {
    const name = 'shopify-customers-2023-excel-eu';
    const bytes = readFileSync(path.join(PRESET_DIR, `${name}.csv`));
    // The fixture really is what Excel writes: CRLF, ";" and Windows-1252 ("ë" is one byte, 0xEB).
    expect(bytes.includes(Buffer.from('\r\n'))).toBe(true);
    expect(bytes.toString('latin1').split('\r\n')[0]).toContain(';Accepts Email Marketing;');
    expect(bytes.includes(Buffer.from([0x5a, 0x6f, 0xeb]))).toBe(true);

    const { summary, customers } = await importWithNoFlags(name);
    expect(summary).toMatchObject({ preset: 'shopify-customers', source: 'shopify', encoding: 'windows-1252', delimiter: ';' });
    expect(summary.notes).toEqual(expect.arrayContaining([expect.stringMatching(/recognised: Shopify customers export/)]));
    expect(customers[0]).toMatchObject({
      // Excel's protective apostrophes are gone from the id, the zip and the phone.
      external_ids: ['shopify:7985351721240'],
      first_name: 'Zoë',
      last_name: 'Müller',
      email: 'zoe.mueller@example.com',
      phone: '+492215550100',
      address_line1: 'Hohe Straße 5',
      city: 'Köln',
      postal_code: '50667',
      country: 'DE',
      email_consent: 'granted',
      sms_consent: 'denied',
      notes: 'Grüße – bitte klingeln',
      // A decimal comma is not a number custdb reads here: kept as text, untouched.
      'attr.total_spent': '1.234,50',
    });
    expect(customers[0]?.tags).toEqual(expect.arrayContaining(['Stammkunde', 'Café']));
    expect(customers[1]).toMatchObject({ first_name: 'François', last_name: 'Lefèvre', city: 'Liège', country: 'BE', email_consent: 'denied', sms_consent: 'granted' });
  });
});
