import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it, type ExpectStatic } from 'vitest';
import { FIXTURES, makeWorkdir } from '../helpers/run-cli.js';
import { runCliInProcess } from '../helpers/run-cli-in-process.js';

/**
 * One test per file in fixtures/import/: `<case>.csv` is imported by custdb, run
 * in this process (no case is near the size that starts worker threads), in a
 * fresh folder and checked against `<case>.expected.json` (schema: ImportCase
 * below; fixtures/import/README.md explains it for people).
 */
interface ImportCase {
  description: string;
  /** Extra `custdb import` arguments. */
  args?: string[];
  exitCode: number;
  /** ImportResult.status. */
  status?: string;
  /** How the file was read: ImportResult.encoding, encodingAssumed, delimiter, dateOrder (equal). */
  read?: Record<string, string | boolean | null>;
  /** Column → target, for the columns named (others unchecked). */
  mapping?: Record<string, string>;
  /** ImportResult.counts, for the counts named. */
  counts?: Record<string, number>;
  /** Warning counts by field: exactly these (`{}`: no warnings at all). */
  warnings?: Record<string, number>;
  /** Each must be one of ImportResult.warningExamples: same line and field, message matching the regex. */
  warningExamples?: { line: number; field: string; message: string }[];
  /** Each regex must match one of ImportResult.notes. */
  notes?: string[];
  /** ImportResult.notes must be exactly this. */
  notesExact?: string[];
  /** For exit 2: a regex the JSON error message must match. */
  error?: string;
  /** Regexes for stderr of the same import without --json (in its own fresh folder). */
  stderr?: string[];
  /** How many customers the export holds afterwards. */
  customerCount?: number;
  /**
   * Customers that must be in the export, with these field values. Each is
   * found by its email, first_name, last_name and external_ids (those given):
   * exactly one exported customer must agree on them.
   */
  customers?: Record<string, unknown>[];
  /** Strings that must appear somewhere among the exported customers' values. */
  exportHasValues?: string[];
  /** Rejects file name (default `<case>.rejects.csv`). */
  rejectsFile?: string;
  rejectsHeader?: string[];
  /** Data rows of the rejects file; the last cell (`_reasons`) is a regex. `null`: no rejects file. */
  rejects?: string[][] | null;
  /** csv-spectrum case the fixture was copied from (see CSV-SPECTRUM-LICENSE). */
  spectrum?: string;
  /** A custdb bug this case shows: the test is expected to fail until it is fixed. */
  knownBug?: string;
}

const CASES_DIR = path.join(FIXTURES, 'import');
const MATCH_KEYS = ['email', 'first_name', 'last_name', 'external_ids'] as const;

const cases = readdirSync(CASES_DIR)
  .filter((file) => file.endsWith('.expected.json'))
  .map((file) => {
    const name = file.slice(0, -'.expected.json'.length);
    const expected: ImportCase = JSON.parse(readFileSync(path.join(CASES_DIR, file), 'utf8'));
    return { name, expected };
  })
  .sort((a, b) => a.name.localeCompare(b.name));

type Exported = Record<string, unknown>;

async function checkCase(name: string, expected: ImportCase, expect: ExpectStatic): Promise<void> {
  const csv = `${name}.csv`;
  const cwd = makeWorkdir(path.join('import', csv));
  const args = ['import', csv, '--json', '--db', 'test.db', ...(expected.args ?? [])];
  const run = await runCliInProcess(args, { cwd });
  const context = `custdb ${args.join(' ')}\nstdout: ${run.stdout}\nstderr: ${run.stderr}`;
  expect(run.code, context).toBe(expected.exitCode);
  const result: Record<string, unknown> = JSON.parse(run.stdout);

  if (expected.error !== undefined) {
    expect(result.error, context).toMatchObject({ message: expect.stringMatching(new RegExp(expected.error)) });
  }
  if (expected.status !== undefined) expect(result.status, context).toBe(expected.status);
  if (expected.read) {
    for (const [key, value] of Object.entries(expected.read)) expect(result[key], `${key}\n${context}`).toBe(value);
  }
  if (expected.mapping) {
    const mapping = Object.fromEntries(asArray(result.mapping).map((m) => [String(field(m, 'column')), field(m, 'target')]));
    expect(mapping, context).toMatchObject(expected.mapping);
  }
  if (expected.counts) expect(result.counts, context).toMatchObject(expected.counts);
  if (expected.warnings) expect(result.warnings, context).toEqual(expected.warnings);
  for (const example of expected.warningExamples ?? []) {
    expect(result.warningExamples, context).toContainEqual({
      line: example.line,
      field: example.field,
      message: expect.stringMatching(new RegExp(example.message)),
    });
  }
  const notes = asArray(result.notes).map(String);
  if (expected.notesExact) expect(notes, context).toEqual(expected.notesExact);
  for (const note of expected.notes ?? []) {
    expect(notes.some((text) => new RegExp(note).test(text)), `a note matching /${note}/ in ${JSON.stringify(notes)}`).toBe(true);
  }

  if (expected.customerCount !== undefined || expected.customers || expected.exportHasValues) {
    const exported = await exportCustomers(cwd, expect);
    const listing = JSON.stringify(exported, null, 1);
    if (expected.customerCount !== undefined) expect(exported.length, listing).toBe(expected.customerCount);
    for (const want of expected.customers ?? []) {
      const keys = MATCH_KEYS.filter((key) => key in want);
      const found = exported.filter((customer) => keys.every((key) => isDeepEqual(customer[key], want[key])));
      expect(found.length, `exactly one customer with ${JSON.stringify(pick(want, keys))} in ${listing}`).toBe(1);
      expect(found[0]).toMatchObject(want);
    }
    const values = exported.flatMap((customer) => Object.values(customer));
    for (const value of expected.exportHasValues ?? []) expect(values, listing).toContain(value);
  }

  if (expected.rejects !== undefined || expected.rejectsHeader) {
    const rejectsPath = path.join(cwd, expected.rejectsFile ?? `${name}.rejects.csv`);
    if (expected.rejects === null) {
      expect(existsSync(rejectsPath), `${rejectsPath} should not exist`).toBe(false);
    } else {
      // Rejects are written as the input was: in its encoding, with its delimiter and any sep= line.
      const text = new TextDecoder(String(result.encoding)).decode(readFileSync(rejectsPath), { stream: true });
      const rows: string[][] = parse(text.replace(/^sep=.\r\n/, ''), { delimiter: String(result.delimiter), relax_column_count: true });
      const [header, ...data] = rows;
      if (expected.rejectsHeader) expect(header).toEqual(expected.rejectsHeader);
      expect(data.length, JSON.stringify(data)).toBe(expected.rejects?.length);
      (expected.rejects ?? []).forEach((want, i) => {
        const row = data[i] ?? [];
        expect(row.slice(0, -1), `rejects row ${i + 1}`).toEqual(want.slice(0, -1));
        expect(row.at(-1), `rejects row ${i + 1} _reasons`).toMatch(new RegExp(want.at(-1) ?? ''));
      });
    }
  }

  if (expected.stderr) {
    const plainCwd = makeWorkdir(path.join('import', csv));
    const plainArgs = args.filter((arg) => arg !== '--json');
    const plain = await runCliInProcess(plainArgs, { cwd: plainCwd });
    expect(plain.code).toBe(expected.exitCode);
    for (const pattern of expected.stderr) expect(plain.stderr, `custdb ${plainArgs.join(' ')}`).toMatch(new RegExp(pattern));
  }
}

async function exportCustomers(cwd: string, expect: ExpectStatic): Promise<Exported[]> {
  const run = await runCliInProcess(['export', 'customers', '--format', 'json', '--db', 'test.db'], { cwd });
  expect(run.code, run.stderr).toBe(0);
  const parsed: unknown = JSON.parse(run.stdout);
  return asArray(parsed).map((item) => (isRecord(item) ? item : {}));
}

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function field(value: unknown, key: string): unknown {
  return isRecord(value) ? value[key] : undefined;
}

function pick(record: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(keys.map((key) => [key, record[key]]));
}

function isDeepEqual(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

describe('custdb import: edge cases in fixtures/import/', () => {
  it('has cases to run', () => {
    expect(cases.length).toBeGreaterThan(30);
    for (const { name } of cases) expect(existsSync(path.join(CASES_DIR, `${name}.csv`)), `${name}.csv`).toBe(true);
  });

  for (const { name, expected } of cases) {
    const title = `custdb import ${name}.csv ${(expected.args ?? []).join(' ')}`.trim() + ` — ${expected.description}`;
    if (expected.knownBug !== undefined) {
      it.fails(`${title} [known bug: ${expected.knownBug}]`, ({ expect }) => checkCase(name, expected, expect));
    } else {
      it(title, ({ expect }) => checkCase(name, expected, expect));
    }
  }
});
