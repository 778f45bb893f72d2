import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatCsvLine } from '../../src/csv/format-csv-line.js';
import { openStore } from '../../src/db/open-store.js';
import { freshLocation, TEST_DIALECTS, type TestDialect } from '../helpers/dialects.js';
import { exportCustomers } from '../../src/export/export-customers.js';
import { importCustomers, type ImportOptions } from '../../src/import/import-customers.js';
import { collectStream } from '../helpers/collect-stream.js';

const HEADER = [
  'Customer ID', 'First Name', 'Last Name', 'Email', 'Phone', 'Company', 'Address', 'City', 'Zip', 'Country',
  'Birthday', 'Gender', 'Accepts Marketing', 'Tags', 'Notes', 'Favourite', 'Signup',
];

// U+001F is in the mix because the export joins values with it (and must still give them back exactly).
const text = (max: number) =>
  fc.string({ unit: fc.constantFrom(...'abcXYZ éøß,"\';=+-@\n\t 12\u001f'.split('')), maxLength: max });

const row = (i: number) =>
  fc.record({
    id: fc.option(fc.stringMatching(/^[A-Z0-9-]{1,8}$/), { nil: '' }),
    first: fc.constantFrom('', 'ana', 'JOSÉ', "o'neil", 'Mary Ann', 'li'),
    last: fc.constantFrom('', 'SMITH', 'van der berg', 'McDonald', 'García'),
    email: fc.constantFrom('', `Person${i}@Example.com`, `p${i}@example.org`, 'broken-email'),
    phone: fc.constantFrom('', '+1 415 555 2671', '(212) 555-0199', '+44 20 7946 0958', '7.98535E+12', 'n/a', 'ext 5'),
    company: text(12),
    address: text(16),
    city: fc.constantFrom('', 'London', 'São Paulo', '=cmd'),
    zip: fc.constantFrom('', '02138', 'sw1a 1aa', '1234', '94103-1234'),
    country: fc.constantFrom('', 'US', 'United Kingdom', 'Deutschland', 'Atlantis'),
    birthday: fc.constantFrom('', '1985-03-13', '2001-12-31', 'someday'),
    gender: fc.constantFrom('', 'F', 'male', 'prefer not to say'),
    consent: fc.constantFrom('', 'yes', 'no', 'TRUE', 'unsubscribed'),
    tags: fc.array(fc.constantFrom('vip', 'new', '+promo', 'wholesale'), { maxLength: 3 }),
    notes: text(30),
    favourite: text(10),
    signup: fc.constantFrom('', '2024-01-02', '2024-01-02T10:00:00Z'),
  });

const rows = fc.integer({ min: 1, max: 25 }).chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => row(i))));

function baseOptions(file: string): ImportOptions {
  return {
    file,
    maps: [],
    ignoreUnmapped: false,
    update: 'fill',
    maxRejects: { percent: 100 },
    rejectsFile: `${file}.rejects.csv`,
    dryRun: false,
    force: false,
    actor: 'test',
    defaultCountry: 'US',
  };
}

async function importThenExport(dialect: TestDialect, csvFile: string): Promise<string> {
  const { location } = await freshLocation(dialect, 'custdb-roundtrip-db-');
  const { store } = await openStore({ location, create: true, migrations: 'apply' });
  try {
    await importCustomers(store, baseOptions(csvFile));
    const sink = collectStream();
    await exportCustomers(store, { format: 'csv', stream: sink.stream, raw: false });
    return sink.text();
  } finally {
    await store.close();
  }
}

describe.each(TEST_DIALECTS)('export → import round trip on %s', (dialect) => {
  it('importing an export into a fresh database reproduces every field of every customer', async () => {
    await fc.assert(
      fc.asyncProperty(rows, async (generated) => {
        const dir = mkdtempSync(path.join(tmpdir(), 'custdb-roundtrip-'));
        const input = path.join(dir, 'input.csv');
        const lines = [formatCsvLine(HEADER, false)];
        generated.forEach((r, i) => {
          const id = r.id === '' ? '' : `${r.id}-${i}`;
          lines.push(
            formatCsvLine(
              [id, r.first, r.last, r.email, r.phone, r.company, r.address, r.city, r.zip, r.country, r.birthday, r.gender, r.consent, r.tags.join(', '), r.notes, r.favourite, r.signup],
              false,
            ),
          );
        });
        writeFileSync(input, `${lines.join('\n')}\n`);

        const first = await importThenExport(dialect, input);
        const exported = path.join(dir, 'export.csv');
        writeFileSync(exported, first);
        const second = await importThenExport(dialect, exported);
        expect(second).toBe(first);
      }),
      { numRuns: 15 },
    );
  }, 300_000);
});
