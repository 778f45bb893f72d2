import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openCsv } from '../../../src/csv/read-csv-file.js';
import { mapColumns } from '../../../src/mapping/map-columns.js';
import { mapRow } from '../../../src/mapping/map-row.js';
import { recognizePreset } from '../../../src/mapping/recognize-preset.js';

const FIXTURES = join(import.meta.dirname, '../../../fixtures/presets');

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
  rows: ExpectedRow[];
}

const cases = readdirSync(FIXTURES)
  .filter((name) => name.endsWith('.csv'))
  .map((name) => name.replace(/\.csv$/, ''))
  .sort();

describe('platform export fixtures', () => {
  it('has a fixture for every platform the presets cover', () => {
    expect(cases.length).toBeGreaterThanOrEqual(20);
  });

  it.each(cases)('%s is recognised with no flags and maps to the expected values', async (name) => {
    const expected = JSON.parse(readFileSync(join(FIXTURES, `${name}.expected.json`), 'utf8')) as Expected;
    const csv = await openCsv(join(FIXTURES, `${name}.csv`));
    expect(csv.encoding).toBe(expected.encoding ?? 'utf-8');
    expect(csv.delimiter).toBe(expected.delimiter ?? ',');

    const recognition = recognizePreset(csv.header);
    expect(recognition.best?.preset.name).toBe(expected.preset);
    expect(recognition.weak).toBe(false);
    expect(recognition.best?.preset.source).toBe(expected.source);
    expect(recognition.best?.preset.kind).toBe(expected.kind);

    const result = mapColumns(csv.header, { preset: recognition.best?.preset ?? null });
    if (!result.ok) throw new Error(JSON.stringify(result.errors));

    const rows: string[][] = [];
    for await (const batch of csv.rows) for (const record of batch) rows.push(record.cells);
    expect(rows).toHaveLength(expected.rows.length);

    rows.forEach((cells, position) => {
      const { tags, attributes, ...fields } = expected.rows[position] ?? {};
      const mapped = mapRow(result.mapping, cells);
      expect(mapped.fields, `row ${position + 1} fields`).toEqual(fields);
      expect(mapped.tags, `row ${position + 1} tags`).toEqual(tags ?? []);
      expect(mapped.attributes, `row ${position + 1} attributes`).toMatchObject(attributes ?? {});
    });
  });
});
