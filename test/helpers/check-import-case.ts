import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { parse } from 'csv-parse/sync';
import type { ImportCase } from './generate-import-csv.js';
import { runCliInProcess } from './run-cli-in-process.js';
import { runCli, type CliResult } from './run-cli.js';

/** Files this large are imported by the built binary: it standardises them on worker threads. */
const WORKER_THREAD_BYTES = 1_500_000;

/** Errors an import may stop with (exit 2) on a file it cannot read; anything else is a finding. */
const COULD_NOT_RUN = new Set(['InputFileError', 'MissingColumnError', 'UsageError']);

export interface CaseOutcome {
  /** What went wrong; empty when the import behaved. */
  problems: string[];
  /** The case's folder (input file, database, rejects), kept when there are problems. */
  dir: string;
  code: number;
}

interface ImportJson {
  status?: string;
  kind?: string;
  encoding?: string;
  delimiter?: string;
  rejectsFile?: string | null;
  counts?: { rows: number; inserted: number; updated: number; unchanged: number; rejected: number };
  error?: { kind: string; message: string };
}

/**
 * Imports one generated file into a fresh database and checks what a user relies on:
 * never an internal error; exit 0, 1 or 2, with 2 only for a documented "could not
 * run"; every data row counted once as inserted, updated, unchanged or rejected, and
 * each rejected row in the rejects file; nothing written when the import refused;
 * `custdb doctor` clean afterwards. `spawnEvery` sends one case in so many through the
 * built binary too, whatever its size.
 */
export async function checkImportCase(testCase: ImportCase, seed: number, options: { spawnEvery: number }): Promise<CaseOutcome> {
  const dir = mkdtempSync(path.join(tmpdir(), `custdb-fuzz-${seed}-`));
  const file = path.join(dir, 'input.csv');
  const db = path.join(dir, 'customers.db');
  writeFileSync(file, testCase.bytes);
  const problems: string[] = [];
  const spawned = testCase.bytes.length > WORKER_THREAD_BYTES || seed % options.spawnEvery === 0;
  const run = (args: string[]): Promise<CliResult> => (spawned ? runCli(args, { cwd: dir }) : runCliInProcess(args));

  const init = await run(['init', '--db', db]);
  if (init.code !== 0) problems.push(`init exited ${init.code}: ${init.stderr}`);

  const result = await run(['import', file, '--db', db, '--json', ...testCase.args]);
  if (result.stderr.includes('internal error')) problems.push(`internal error:\n${result.stderr}`);
  if (![0, 1, 2].includes(result.code)) problems.push(`exit code ${result.code}`);
  let json: ImportJson | undefined;
  try {
    json = JSON.parse(result.stdout) as ImportJson;
  } catch {
    problems.push(`stdout is not one JSON document: ${result.stdout.slice(0, 300)}`);
  }

  if (json !== undefined) problems.push(...checkOutcome(testCase, result.code, json, db));

  const doctor = await run(['doctor', '--db', db, '--json']);
  if (doctor.code !== 0) problems.push(`doctor exited ${doctor.code} after the import: ${doctor.stdout}${doctor.stderr}`);

  if (problems.length === 0) rmSync(dir, { recursive: true, force: true });
  return { problems, dir, code: result.code };
}

function checkOutcome(testCase: ImportCase, code: number, json: ImportJson, db: string): string[] {
  const problems: string[] = [];
  const stored = countStored(db);

  if (code === 2) {
    const kind = json.error?.kind ?? '(none)';
    if (!COULD_NOT_RUN.has(kind)) problems.push(`exit 2 with ${kind}: ${json.error?.message}`);
    if (stored.customers !== 0 || stored.batches !== 0) problems.push(`exit 2, yet ${stored.customers} customers and ${stored.batches} batches were written`);
    const expected = expectedRefusal(testCase, json.error?.message ?? '');
    if (expected !== undefined) problems.push(expected);
    return problems;
  }

  if (testCase.expect === 'empty') problems.push(`exit ${code}, expected exit 2 for a blank file`);
  if (json.kind !== undefined && json.kind !== 'customers') return problems; // inferred as orders or interactions: shape differs
  const counts = json.counts;
  if (counts === undefined) return [...problems, `no counts in ${JSON.stringify(json).slice(0, 300)}`];

  const accounted = counts.inserted + counts.updated + counts.unchanged + counts.rejected;
  if (accounted !== counts.rows) problems.push(`rows ${counts.rows} ≠ inserted ${counts.inserted} + updated ${counts.updated} + unchanged ${counts.unchanged} + rejected ${counts.rejected}`);
  if (testCase.expect === 'rows' && counts.rows !== testCase.dataRows) problems.push(`read ${counts.rows} rows, the file has ${testCase.dataRows}`);

  const rejectRows = countRejects(json);
  if (typeof rejectRows === 'string') problems.push(rejectRows);
  else if (rejectRows !== counts.rejected) problems.push(`rejects file holds ${rejectRows} rows, counts.rejected is ${counts.rejected}`);

  if (code === 0) {
    if (json.status === 'imported' && stored.customers !== counts.inserted) problems.push(`${stored.customers} customers stored, ${counts.inserted} inserted`);
    if (json.status !== 'imported' && stored.customers !== 0) problems.push(`status ${json.status}, yet ${stored.customers} customers stored`);
  } else if (code === 1) {
    if (json.status !== 'too-many-rejects') problems.push(`exit 1 with status ${json.status}`);
    if (testCase.rejectsAllowed) problems.push('exit 1 although --max-rejects 100% was given');
    if (stored.customers !== 0 || stored.batches !== 0) problems.push(`refused, yet ${stored.customers} customers and ${stored.batches} batches were written`);
  }
  return problems;
}

/** Why an exit 2 was wrong for this case, if it was. */
function expectedRefusal(testCase: ImportCase, message: string): string | undefined {
  if (testCase.expect === 'any') return undefined;
  if (testCase.expect === 'empty') return /is empty/.test(message) ? undefined : `a blank file was refused with: ${message}`;
  if (testCase.mayLackIdentifier && /No column identifies a customer/.test(message)) return undefined;
  // Windows-1252 text can look like UTF-8 for the first MiB the sniffer reads, and then not.
  if (/is not valid utf-8/.test(message) && testCase.label.includes('windows-1252')) return undefined;
  return `a well-formed file was refused (exit 2): ${message}`;
}

function countStored(db: string): { customers: number; batches: number } {
  if (!existsSync(db)) return { customers: 0, batches: 0 };
  const sqlite = new Database(db, { readonly: true, fileMustExist: true });
  try {
    const customers = sqlite.prepare('SELECT count(*) AS n FROM customers').get() as { n: number };
    const batches = sqlite.prepare("SELECT count(*) AS n FROM import_batches WHERE status = 'committed'").get() as { n: number };
    return { customers: customers.n, batches: batches.n };
  } finally {
    sqlite.close();
  }
}

/** Rows in the rejects file, read with csv-parse (an independent reader); a string says why it could not be read. */
function countRejects(json: ImportJson): number | string {
  const rejectsFile = json.rejectsFile;
  if (rejectsFile === null || rejectsFile === undefined) return 0;
  if (!existsSync(rejectsFile)) return `rejects file ${rejectsFile} is named but missing`;
  let text = new TextDecoder(json.encoding ?? 'utf-8').decode(readFileSync(rejectsFile));
  text = text.replace(/^sep=.\r\n/, '');
  try {
    const records = parse(text, { delimiter: json.delimiter ?? ',', relax_column_count: true }) as string[][];
    const header = records[0];
    if (header === undefined || header.at(-2) !== '_line' || header.at(-1) !== '_reasons') return `rejects file header ends ${JSON.stringify(header?.slice(-2))}`;
    const unexplained = records.slice(1).filter((record) => !/^\d+$/.test(record.at(-2) ?? '') || (record.at(-1) ?? '') === '');
    if (unexplained.length > 0) return `${unexplained.length} rejected rows without a line number or reason`;
    return records.length - 1;
  } catch (error) {
    return `csv-parse cannot read the rejects file: ${error instanceof Error ? error.message : String(error)}`;
  }
}
