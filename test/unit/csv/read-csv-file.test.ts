import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openCsv } from '../../../src/csv/read-csv-file.js';
import { tokenizeCsv, type CsvRecord } from '../../../src/csv/tokenize-csv.js';
import { InputFileError, UsageError } from '../../../src/errors.js';

const dir = mkdtempSync(join(tmpdir(), 'custdb-read-csv-'));
let fileCount = 0;

function writeTemp(contents: string | Uint8Array): string {
  fileCount++;
  const path = join(dir, `file-${fileCount}.csv`);
  writeFileSync(path, contents);
  return path;
}

async function readAll(rows: AsyncIterable<CsvRecord[]>): Promise<{ records: CsvRecord[]; batches: number }> {
  const records: CsvRecord[] = [];
  let batches = 0;
  for await (const batch of rows) {
    batches++;
    records.push(...batch);
  }
  return { records, batches };
}

async function errorOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => undefined,
    (error: unknown) => error,
  );
}

describe('openCsv: files it cannot read', () => {
  it('says a missing file does not exist', async () => {
    const path = join(dir, 'no-such-file.csv');
    const error = await errorOf(openCsv(path));
    expect(error).toBeInstanceOf(InputFileError);
    expect(error).toHaveProperty('message', `${path} does not exist`);
  });

  it('says a directory is not a CSV file', async () => {
    const path = join(dir, 'a-folder');
    mkdirSync(path);
    const error = await errorOf(openCsv(path));
    expect(error).toBeInstanceOf(InputFileError);
    expect(error).toHaveProperty('message', `${path} is a directory, not a CSV file`);
  });

  it.skipIf(process.getuid?.() === 0)('says an unreadable file cannot be read', async () => {
    const path = writeTemp('a,b\n');
    chmodSync(path, 0o000);
    const error = await errorOf(openCsv(path));
    expect(error).toBeInstanceOf(InputFileError);
    expect(error).toHaveProperty('message', `cannot read ${path}: permission denied`);
  });

  it('refuses an unknown encoding or a delimiter longer than one character', async () => {
    const path = writeTemp('a,b\n');
    const badEncoding = await errorOf(openCsv(path, { encoding: 'klingon' }));
    expect(badEncoding).toBeInstanceOf(UsageError);
    expect(badEncoding).toHaveProperty('message', 'unknown encoding "klingon"');
    expect(await errorOf(openCsv(path, { delimiter: ';;' }))).toBeInstanceOf(UsageError);
  });
});

describe('openCsv: streaming', () => {
  it('streams a multi-chunk file in batches with the same rows as reading it whole', async () => {
    let text = 'id,name,note\n';
    for (let i = 1; i <= 80_000; i++) {
      text += i % 1000 === 0 ? `${i},"Zoë ${i}","two\r\nlines, ""quoted"""\n` : `${i},José 😀😀😀,ok\n`;
    }
    const bytes = Buffer.from(text);
    // Precondition: some 64 KiB chunk boundaries cut a multi-byte character in two.
    const boundaries = Array.from({ length: Math.floor(bytes.length / 65536) }, (_, k) => (k + 1) * 65536);
    expect(boundaries.filter((at) => ((bytes[at] ?? 0) & 0xc0) === 0x80).length).toBeGreaterThan(5);
    const path = writeTemp(bytes);
    const csv = await openCsv(path);
    const { records, batches } = await readAll(csv.rows);

    expect(batches).toBeGreaterThan(1);
    expect(csv.header).toEqual(['id', 'name', 'note']);
    expect(records).toEqual(tokenizeCsv(text, ',').slice(1));
    expect(records).toHaveLength(80_000);
    expect(records[999]).toEqual({ line: 1001, cells: ['1000', 'Zoë 1000', 'two\r\nlines, "quoted"'] });
    expect(records[1000]?.line).toBe(1003);
    expect(csv.bytesRead()).toBe(csv.totalBytes);
  });

  it('reports invalid UTF-8 found after the sniffed sample with its byte and line', async () => {
    const ascii = 'name,city\n' + 'Anna,Paris\n'.repeat(200_000); // > 2 MiB of plain ASCII
    const bad = Buffer.concat([Buffer.from(ascii), Buffer.from('Jos\xe9,Lyon\n', 'latin1')]);
    const path = writeTemp(bad);
    const csv = await openCsv(path);
    expect(csv.encoding).toBe('utf-8');

    const error = await errorOf(readAll(csv.rows));
    expect(error).toBeInstanceOf(InputFileError);
    expect(error).toHaveProperty('message', `${path} is not valid utf-8: byte ${ascii.length + 4} (line 200002) cannot be decoded`);
    expect(error).toHaveProperty('hint', 'If the file was saved by Excel or an older Windows program, use --encoding windows-1252.');
  });

  it('reports a file that ends in the middle of a UTF-8 character', async () => {
    const path = writeTemp(Buffer.concat([Buffer.from('a,b\n1,5'), Buffer.from([0xe2, 0x82])]));
    const error = await errorOf(openCsv(path).then(async (csv) => readAll(csv.rows)));
    expect(error).toBeInstanceOf(InputFileError);
    expect(error).toHaveProperty('message', `${path} is not valid utf-8: it ends in the middle of a character`);
  });

  it('uses the encoding and delimiter it is given instead of sniffing', async () => {
    const path = writeTemp(Buffer.from('Name\tNote\r\nJos\xe9\tcaf\xe9, cr\xe8me\r\n', 'latin1'));
    const csv = await openCsv(path, { encoding: 'latin1', delimiter: 'tab' });
    expect(csv.encoding).toBe('windows-1252');
    expect(csv.encodingAssumed).toBe(false);
    expect(csv.delimiter).toBe('\t');
    expect((await readAll(csv.rows)).records).toEqual([{ line: 2, cells: ['José', 'café, crème'] }]);
  });

  it('skips a sep= line even when the delimiter is given', async () => {
    const path = writeTemp('sep=;\r\na;b\r\n1;2\r\n');
    const csv = await openCsv(path, { delimiter: ';' });
    expect(csv.sepLine).toBe(true);
    expect(csv.header).toEqual(['a', 'b']);
    expect(csv.headerLine).toBe(2);
  });

  it('finds the header after leading blank lines and counts them', async () => {
    const path = writeTemp('\n\r\n   \nName,Email\nAnna,a@example.com\n');
    const csv = await openCsv(path);
    expect(csv.headerLine).toBe(4);
    expect((await readAll(csv.rows)).records).toEqual([{ line: 5, cells: ['Anna', 'a@example.com'] }]);
  });

  it('stops at a quote left open for more than 16 MiB instead of reading the rest of the file into one value', async () => {
    const path = writeTemp('name,note\nAnna,"oops\n' + 'Ben,fine\n'.repeat(2_000_000));
    const csv = await openCsv(path);
    const error = await errorOf(readAll(csv.rows));
    expect(error).toBeInstanceOf(InputFileError);
    expect(error).toHaveProperty(
      'message',
      `${path}: the quoted value opened on line 2 is still open after 16 MiB of text; its closing quote is probably missing`,
    );
  });

  it('passes on warnings about the header row itself', async () => {
    const csv = await openCsv(writeTemp('Size",Name\n1,a\n'));
    expect(csv.header).toEqual(['Size"', 'Name']);
    expect(csv.headerWarnings).toEqual(['header row: stray quote in column 1 kept as text']);
  });

  it('lets rows be read only once', async () => {
    const csv = await openCsv(writeTemp('a\n1\n'));
    await readAll(csv.rows);
    expect(() => csv.rows[Symbol.asyncIterator]()).toThrow('CsvSource.rows can be iterated only once');
  });
});
