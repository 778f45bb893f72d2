import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
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
 * each rejected row in the rejects file (read by csv-parse, and read back by custdb
 * itself); nothing written when the import refused; a forced second import accounted
 * for the same way; `custdb doctor` clean afterwards. `spawnEvery` sends one case in so
 * many through the built binary too, whatever its size.
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
  const json = parseJson(result.stdout);
  if (json === undefined) problems.push(`stdout is not one JSON document: ${result.stdout.slice(0, 300)}`);

  if (json !== undefined) problems.push(...checkOutcome(testCase, result.code, json, db, { customers: 0, batches: 0 }));

  // "Ready to fix and import again": custdb itself must read back exactly the rows it rejected.
  if (problems.length === 0 && (result.code === 0 || result.code === 1) && json?.rejectsFile && json.counts !== undefined) {
    const reread = await run(['import', json.rejectsFile, '--db', path.join(dir, 'rejects-check.db'), '--json', ...testCase.args, '--max-rejects', '100%', '--dry-run']);
    const rereadJson = parseJson(reread.stdout);
    if (reread.stderr.includes('internal error')) problems.push(`internal error reading the rejects file:\n${reread.stderr}`);
    else if (reread.code === 2) {
      // Its columns hold only the rejected rows' values, so custdb may no longer recognise an identifying one.
      if (!/No column identifies a customer/.test(rereadJson?.error?.message ?? '')) problems.push(`the rejects file cannot be imported: ${reread.stderr}`);
    } else if (rereadJson?.counts?.rows !== json.counts.rejected) {
      problems.push(`custdb reads ${rereadJson?.counts?.rows} rows in the rejects file, ${json.counts.rejected} were rejected`);
    }
  }

  if (testCase.reimport && problems.length === 0 && json?.status === 'imported' && json.counts !== undefined) {
    const first = json.counts;
    const storedBefore = countStored(db);
    const again = await run(['import', file, '--db', db, '--json', '--force', ...testCase.args]);
    if (again.stderr.includes('internal error')) problems.push(`internal error on the forced re-import:\n${again.stderr}`);
    const second = parseJson(again.stdout);
    if (again.code !== result.code || second === undefined) problems.push(`forced re-import exited ${again.code}: ${again.stderr}`);
    else {
      problems.push(...checkOutcome(testCase, again.code, second, db, storedBefore).map((problem) => `forced re-import: ${problem}`));
      if (second.counts?.rows !== first.rows || second.counts.rejected !== first.rejected) {
        problems.push(`forced re-import read ${second.counts?.rows} rows (${second.counts?.rejected} rejected), the first ${first.rows} (${first.rejected})`);
      }
    }
  }

  const doctor = await run(['doctor', '--db', db, '--json']);
  if (doctor.code !== 0) problems.push(`doctor exited ${doctor.code} after the import: ${doctor.stdout}${doctor.stderr}`);

  if (problems.length === 0) rmSync(dir, { recursive: true, force: true });
  return { problems, dir, code: result.code };
}

function parseJson(stdout: string): ImportJson | undefined {
  try {
    return JSON.parse(stdout) as ImportJson;
  } catch {
    return undefined;
  }
}

/** Checks one import's exit code, --json counts, rejects file and what it stored beyond what was there `before`. */
function checkOutcome(testCase: ImportCase, code: number, json: ImportJson, db: string, before: { customers: number; batches: number }): string[] {
  const problems: string[] = [];
  const stored = countStored(db);
  const added = stored.customers - before.customers;
  const batchesBefore = before.batches;

  if (code === 2) {
    const kind = json.error?.kind ?? '(none)';
    if (!COULD_NOT_RUN.has(kind)) problems.push(`exit 2 with ${kind}: ${json.error?.message}`);
    if (added !== 0 || stored.batches !== batchesBefore) problems.push(`exit 2, yet ${added} customers and ${stored.batches - batchesBefore} batches were written`);
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
    if (json.status === 'imported' && added !== counts.inserted) problems.push(`${added} customers stored, ${counts.inserted} inserted`);
    if (json.status !== 'imported' && added !== 0) problems.push(`status ${json.status}, yet ${added} customers stored`);
  } else if (code === 1) {
    if (json.status !== 'too-many-rejects') problems.push(`exit 1 with status ${json.status}`);
    if (testCase.rejectsAllowed) problems.push('exit 1 although --max-rejects 100% was given');
    if (added !== 0 || stored.batches !== batchesBefore) problems.push(`refused, yet ${added} customers and ${stored.batches - batchesBefore} batches were written`);
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
