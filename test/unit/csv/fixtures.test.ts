import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { openCsv } from '../../../src/csv/read-csv-file.js';
import { InputFileError } from '../../../src/errors.js';
import type { CsvRecord } from '../../../src/csv/tokenize-csv.js';

const FIXTURES = fileURLToPath(new URL('../../../fixtures/csv/', import.meta.url));

interface Expected {
  encoding: string;
  encodingAssumed?: boolean;
  mojibakeSuspected?: boolean;
  delimiter: string;
  sepLine?: boolean;
  headerLine?: number;
  header: string[];
  headerWarnings?: string[];
  rows: string[][];
  lines?: number[];
  warnings?: { line: number; warnings: string[] }[];
}

async function readAll(rows: AsyncIterable<CsvRecord[]>): Promise<CsvRecord[]> {
  const all: CsvRecord[] = [];
  for await (const batch of rows) all.push(...batch);
  return all;
}

const cases = readdirSync(FIXTURES)
  .filter((name) => name.endsWith('.csv'))
  .map((name) => name.slice(0, -'.csv'.length))
  .sort();

describe('openCsv on fixtures/csv', () => {
  it('finds the fixture files', () => {
    expect(cases.length).toBeGreaterThanOrEqual(30);
  });

  it.each(cases)('%s.csv reads as its .expected.json says', async (name) => {
    const expected = JSON.parse(readFileSync(join(FIXTURES, `${name}.expected.json`), 'utf8')) as Expected;
    const csv = await openCsv(join(FIXTURES, `${name}.csv`));
    const records = await readAll(csv.rows);

    expect({
      encoding: csv.encoding,
      encodingAssumed: csv.encodingAssumed,
      mojibakeSuspected: csv.mojibakeSuspected,
      delimiter: csv.delimiter,
      sepLine: csv.sepLine,
      header: csv.header,
      headerWarnings: csv.headerWarnings,
      rows: records.map((record) => record.cells),
      warnings: records.flatMap((record) => (record.warnings === undefined ? [] : [{ line: record.line, warnings: record.warnings }])),
    }).toEqual({
      encoding: expected.encoding,
      encodingAssumed: expected.encodingAssumed ?? false,
      mojibakeSuspected: expected.mojibakeSuspected ?? false,
      delimiter: expected.delimiter,
      sepLine: expected.sepLine ?? false,
      header: expected.header,
      headerWarnings: expected.headerWarnings ?? [],
      rows: expected.rows,
      warnings: expected.warnings ?? [],
    });
    if (expected.headerLine !== undefined) expect(csv.headerLine).toBe(expected.headerLine);
    if (expected.lines !== undefined) expect(records.map((record) => record.line)).toEqual(expected.lines);
    expect(csv.bytesRead()).toBe(csv.totalBytes);
  });
});

describe('openCsv on files with no header row', () => {
  const dir = mkdtempSync(join(tmpdir(), 'custdb-csv-empty-'));
  const empties: [string, Uint8Array][] = [
    ['zero bytes', new Uint8Array(0)],
    ['only a UTF-8 BOM', new Uint8Array([0xef, 0xbb, 0xbf])],
    ['only whitespace and line breaks', Buffer.from(' \r\n\t\n\n   ')],
    ['only an Excel sep= line', Buffer.from('sep=;\r\n')],
    ['only a UTF-16LE BOM and line breaks', Buffer.from('\uFEFF\r\n\r\n', 'utf16le')],
  ];

  it.each(empties)('rejects a file with %s as empty', async (label, bytes) => {
    const path = join(dir, `${label.replace(/\W+/g, '-')}.csv`);
    writeFileSync(path, bytes);
    const error = await openCsv(path).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InputFileError);
    expect(error).toHaveProperty('message', `${path} is empty: there is no header row to read column names from`);
  });
});
