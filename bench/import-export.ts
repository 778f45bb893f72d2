/**
 * Import and export timings of custdb beside sqlite3 and sqlite-utils on the
 * same generated file, each tool a separate process measured by
 * `/usr/bin/time` (wall seconds and peak RSS), and custdb once more on an
 * encrypted file (`init --encrypt`), for what encryption at rest costs.
 * Ratios are taken within one run, since the machine's noise between runs is
 * larger than they are.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import path from 'node:path';
import { customerCsvLines, GENERATOR_VERSION } from './generate-customer-csv.js';

export type Operation = 'import' | 'export';

export interface ImportExportOptions {
  sizes: number[];
  only: Operation | null;
  /** Measurements per tool and size; the table shows the median. */
  repeat: number;
  seed: number;
  /** Where the generated CSVs are cached and the scratch databases live. */
  dataDir: string;
  /** Path of bin/custdb.js (run with the node running this bench). */
  custdbBin: string;
  log: (line: string) => void;
}

export interface Measurement {
  tool: string;
  operation: Operation;
  /** Data rows read (import) or written (export). */
  rows: number;
  /** Data rows of the generated file this measurement started from. */
  inputRows: number;
  wallSeconds: number;
  peakRssMiB: number;
  /** Every repetition's wall time, in run order. */
  samples: number[];
}

export interface TargetVerdict {
  target: string;
  met: boolean | null;
  detail: string;
}

export interface ImportExportReport {
  measurements: Measurement[];
  targets: TargetVerdict[];
  notes: string[];
}

interface ProcessRun {
  wallSeconds: number;
  peakRssMiB: number;
  stdout: string;
}

const TIME = '/usr/bin/time';

/** The tool name of custdb on an encrypted database file, and the passphrase it is given. */
const ENCRYPTED = 'custdb, encrypted';
const ENCRYPTED_ENV = { ...process.env, CUSTDB_KEY: 'bench passphrase' };

/** Writes the generated CSV for `rows` unless a file from the same generator version and seed is cached. Returns its path. */
export function ensureCustomerCsv(dataDir: string, rows: number, seed: number, log: (line: string) => void): string {
  const file = path.join(dataDir, `customers-g${GENERATOR_VERSION}-s${seed}-${rows}.csv`);
  if (existsSync(file)) return file;
  mkdirSync(dataDir, { recursive: true });
  const started = performance.now();
  const partial = `${file}.partial`;
  const fd = openSync(partial, 'w');
  try {
    let chunk = '';
    for (const line of customerCsvLines({ rows, seed })) {
      chunk += `${line}\n`;
      if (chunk.length > 1 << 20) {
        writeSync(fd, chunk);
        chunk = '';
      }
    }
    writeSync(fd, chunk);
  } finally {
    closeSync(fd);
  }
  renameSync(partial, file);
  log(`generated ${path.basename(file)} (${mib(statSync(file).size)} MiB) in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return file;
}

/** Runs `command` under /usr/bin/time (in `env`, default this process's); stdout goes to `stdoutFile` when given. Throws with the tool's stderr when it fails. */
function measure(scratch: string, command: readonly string[], stdoutFile?: string, env?: NodeJS.ProcessEnv): ProcessRun {
  const timeFile = path.join(scratch, 'time.txt');
  const outFd = stdoutFile ? openSync(stdoutFile, 'w') : undefined;
  try {
    const run = spawnSync(TIME, ['-f', '%e %M', '-o', timeFile, ...command], {
      stdio: ['ignore', outFd ?? 'pipe', 'pipe'],
      encoding: 'utf8',
      maxBuffer: 64 << 20,
      ...(env === undefined ? {} : { env }),
    });
    if (run.error) throw run.error;
    if (run.status !== 0) {
      throw new Error(`${command.join(' ')} exited with ${run.status}: ${(run.stderr ?? '').trim().split('\n').slice(-5).join('\n')}`);
    }
    const figures = readFileSync(timeFile, 'utf8').trim().split('\n').pop() ?? '';
    const match = /^(\d+(?:\.\d+)?) (\d+)$/.exec(figures);
    if (!match) throw new Error(`cannot read /usr/bin/time output: ${figures}`);
    return { wallSeconds: Number(match[1]), peakRssMiB: Number(match[2]) / 1024, stdout: run.stdout ?? '' };
  } finally {
    if (outFd !== undefined) closeSync(outFd);
    rmSync(timeFile, { force: true });
  }
}

function removeDatabase(file: string): void {
  for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(`${file}${suffix}`, { force: true });
}

function toolVersion(command: string, args: string[]): string | null {
  const run = spawnSync(command, args, { encoding: 'utf8' });
  if (run.error || run.status !== 0) return null;
  return (run.stdout || run.stderr).trim().split('\n')[0] ?? null;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

function mib(bytes: number): string {
  return (bytes / (1 << 20)).toFixed(0);
}

/** Collects repetitions of one tool and operation into a median measurement. */
class Series {
  private readonly runs: ProcessRun[] = [];
  rows = 0;
  constructor(
    readonly tool: string,
    readonly operation: Operation,
    readonly inputRows: number,
  ) {}
  add(run: ProcessRun): void {
    this.runs.push(run);
  }
  get empty(): boolean {
    return this.runs.length === 0;
  }
  result(): Measurement {
    return {
      tool: this.tool,
      operation: this.operation,
      rows: this.rows,
      inputRows: this.inputRows,
      wallSeconds: median(this.runs.map((r) => r.wallSeconds)),
      peakRssMiB: median(this.runs.map((r) => r.peakRssMiB)),
      samples: this.runs.map((r) => r.wallSeconds),
    };
  }
}

/**
 * Measures custdb import and export against sqlite3 (and sqlite-utils when
 * installed) at each size, then checks the targets on the largest
 * size. Leaves only the cached CSVs behind in `dataDir`.
 */
export function runImportExportBench(options: ImportExportOptions): ImportExportReport {
  const { log } = options;
  const notes: string[] = [];
  const node = process.execPath;
  const sqliteVersion = toolVersion('sqlite3', ['--version']);
  if (sqliteVersion === null) throw new Error('sqlite3 is not installed (apt-get install sqlite3); the bench compares against it.');
  const sqliteUtilsVersion = toolVersion('sqlite-utils', ['--version']);
  notes.push(`node ${process.version}; sqlite3 ${sqliteVersion.split(' ')[0]}; ${sqliteUtilsVersion ?? 'sqlite-utils not installed (apt-get install sqlite-utils): skipped'}`);
  const scratch = path.join(options.dataDir, `run-${process.pid}`);
  mkdirSync(scratch, { recursive: true });
  const measurements: Measurement[] = [];

  try {
    for (const size of options.sizes) {
      const csv = ensureCustomerCsv(options.dataDir, size, options.seed, log);
      notes.push(`${size.toLocaleString('en-US')} rows: ${path.relative(process.cwd(), csv)}, ${mib(statSync(csv).size)} MiB`);
      const custdbDb = path.join(scratch, 'custdb.db');
      const encryptedDb = path.join(scratch, 'custdb-encrypted.db');
      const sqliteDb = path.join(scratch, 'sqlite3.db');
      const utilsDb = path.join(scratch, 'sqlite-utils.db');
      const rejects = path.join(scratch, 'rejects.csv');
      const timeImports = options.only !== 'export';
      const series = {
        custdbImport: new Series('custdb', 'import', size),
        sqliteImport: new Series('sqlite3 .import', 'import', size),
        utilsImport: new Series('sqlite-utils insert --csv', 'import', size),
        encryptedImport: new Series(ENCRYPTED, 'import', size),
        custdbExport: new Series('custdb', 'export', size),
        encryptedExport: new Series(ENCRYPTED, 'export', size),
        sqliteExport: new Series('sqlite3 -csv', 'export', size),
      };
      // Export needs the databases, so they are imported once even with --only export (untimed in the table).
      const importRounds = timeImports ? options.repeat : 1;
      for (let round = 0; round < importRounds; round++) {
        log(`${size}: import round ${round + 1}/${importRounds}`);
        removeDatabase(custdbDb);
        const custdb = measure(scratch, [
          node, options.custdbBin, 'import', csv, '--db', custdbDb, '--default-country', 'US',
          '--rejects', rejects, '--max-rejects', '100%', '--json',
        ]);
        rmSync(rejects, { force: true });
        const counts = readImportCounts(custdb.stdout);
        if (round === 0 && counts) {
          notes.push(
            `${size.toLocaleString('en-US')} rows: custdb inserted ${counts.inserted}, updated ${counts.updated}, unchanged ${counts.unchanged}, rejected ${counts.rejected}, possible duplicates ${counts.suspects}`,
          );
        }
        series.custdbImport.add(custdb);
        series.custdbImport.rows = size;

        removeDatabase(encryptedDb);
        // Created empty and encrypted first, untimed: the import is what is compared.
        const init = spawnSync(node, [options.custdbBin, 'init', '--encrypt', '-q', '--db', encryptedDb], { env: ENCRYPTED_ENV, encoding: 'utf8' });
        if (init.status !== 0) throw new Error(`custdb init --encrypt exited with ${init.status}: ${init.stderr}`);
        series.encryptedImport.add(
          measure(scratch, [node, options.custdbBin, 'import', csv, '--db', encryptedDb, '--default-country', 'US', '--rejects', rejects, '--max-rejects', '100%', '--json'], undefined, ENCRYPTED_ENV),
        );
        series.encryptedImport.rows = size;
        rmSync(rejects, { force: true });

        removeDatabase(sqliteDb);
        series.sqliteImport.add(measure(scratch, ['sqlite3', sqliteDb, '-cmd', '.mode csv', `.import "${csv}" t`]));
        series.sqliteImport.rows = size;

        if (sqliteUtilsVersion !== null && timeImports) {
          removeDatabase(utilsDb);
          series.utilsImport.add(measure(scratch, ['sqlite-utils', 'insert', utilsDb, 't', csv, '--csv']));
          series.utilsImport.rows = size;
          removeDatabase(utilsDb);
        }
      }

      if (options.only !== 'import') {
        const out = path.join(scratch, 'out.csv');
        const sqliteRows = Number(spawnSync('sqlite3', [sqliteDb, 'select count(*) from t'], { encoding: 'utf8' }).stdout.trim());
        for (let round = 0; round < options.repeat; round++) {
          log(`${size}: export round ${round + 1}/${options.repeat}`);
          const custdb = measure(scratch, [node, options.custdbBin, 'export', 'customers', '--db', custdbDb, '-o', out, '--json']);
          series.custdbExport.rows = readExportRows(custdb.stdout) ?? 0;
          series.custdbExport.add(custdb);
          rmSync(out, { force: true });
          const encrypted = measure(scratch, [node, options.custdbBin, 'export', 'customers', '--db', encryptedDb, '-o', out, '--json'], undefined, ENCRYPTED_ENV);
          series.encryptedExport.rows = readExportRows(encrypted.stdout) ?? 0;
          series.encryptedExport.add(encrypted);
          rmSync(out, { force: true });
          series.sqliteExport.add(measure(scratch, ['sqlite3', '-csv', sqliteDb, 'select * from t'], out));
          series.sqliteExport.rows = sqliteRows;
          rmSync(out, { force: true });
        }
      }
      for (const s of Object.values(series)) {
        if (s.empty || (s.operation === 'import' && !timeImports)) continue;
        measurements.push(s.result());
      }
      removeDatabase(custdbDb);
      removeDatabase(encryptedDb);
      removeDatabase(sqliteDb);
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  notes.push(...describeEncryptionCost(measurements));
  return { measurements, targets: judgeTargets(measurements), notes };
}

/** What the encrypted file costs over the plain one, per operation and size: the figure the issue asks for. */
function describeEncryptionCost(measurements: readonly Measurement[]): string[] {
  return measurements
    .filter((m) => m.tool === ENCRYPTED)
    .flatMap((encrypted) => {
      const plain = measurements.find((m) => m.tool === 'custdb' && m.operation === encrypted.operation && m.inputRows === encrypted.inputRows);
      if (!plain || plain.wallSeconds === 0) return [];
      const cost = (encrypted.wallSeconds / plain.wallSeconds - 1) * 100;
      return [
        `encryption at rest, ${encrypted.operation} of ${encrypted.inputRows.toLocaleString('en-US')} rows: ${encrypted.wallSeconds.toFixed(2)} s vs ${plain.wallSeconds.toFixed(2)} s plain ` +
          `(${cost >= 0 ? '+' : ''}${cost.toFixed(0)}%), peak RSS ${encrypted.peakRssMiB.toFixed(0)} vs ${plain.peakRssMiB.toFixed(0)} MiB`,
      ];
    });
}

function readImportCounts(stdout: string): { inserted: number; updated: number; unchanged: number; rejected: number; suspects: number } | null {
  try {
    const parsed: unknown = JSON.parse(stdout);
    if (typeof parsed === 'object' && parsed !== null && 'counts' in parsed) {
      const counts = (parsed as { counts: Record<string, unknown> }).counts;
      const n = (key: string) => (typeof counts[key] === 'number' ? counts[key] : 0);
      return { inserted: n('inserted'), updated: n('updated'), unchanged: n('unchanged'), rejected: n('rejected'), suspects: n('suspects') };
    }
  } catch {
    // Not JSON: counts are only a note.
  }
  return null;
}

function readExportRows(stdout: string): number | null {
  try {
    const parsed: unknown = JSON.parse(stdout);
    if (typeof parsed === 'object' && parsed !== null && 'rows' in parsed && typeof parsed.rows === 'number') return parsed.rows;
  } catch {
    // fall through
  }
  return null;
}

const RSS_LIMIT_MIB = 300;
/** Peak RSS counts as independent of file size when the largest size needs at most this factor of the smallest's. */
const RSS_FLAT_GROWTH = 1.25;

/** The targets, judged on the largest size measured (they are stated for 1M rows). */
export function judgeTargets(measurements: readonly Measurement[]): TargetVerdict[] {
  const verdicts: TargetVerdict[] = [];
  const find = (tool: string, operation: Operation, inputRows: number) =>
    measurements.find((m) => m.tool === tool && m.operation === operation && m.inputRows === inputRows);
  const largest = (operation: Operation) =>
    Math.max(0, ...measurements.filter((m) => m.tool === 'custdb' && m.operation === operation).map((m) => m.inputRows));
  const at = (rows: number) => `at ${rows.toLocaleString('en-US')} input rows${rows >= 1_000_000 ? '' : ' (the target is stated for 1M)'}`;

  const importSize = largest('import');
  const custdbImport = find('custdb', 'import', importSize);
  if (custdbImport) {
    const sqlite = find('sqlite3 .import', 'import', importSize);
    if (sqlite) {
      const ratio = custdbImport.wallSeconds / sqlite.wallSeconds;
      verdicts.push({
        target: 'import ≤ 5× sqlite3 .import',
        met: ratio <= 5,
        detail: `${ratio.toFixed(2)}× (${custdbImport.wallSeconds.toFixed(2)} s vs ${sqlite.wallSeconds.toFixed(2)} s) ${at(importSize)}`,
      });
    }
    const utils = find('sqlite-utils insert --csv', 'import', importSize);
    verdicts.push(
      utils
        ? {
            target: 'import ≥ 2× faster than sqlite-utils insert --csv',
            met: utils.wallSeconds / custdbImport.wallSeconds >= 2,
            detail: `${(utils.wallSeconds / custdbImport.wallSeconds).toFixed(2)}× faster (${custdbImport.wallSeconds.toFixed(2)} s vs ${utils.wallSeconds.toFixed(2)} s) ${at(importSize)}`,
          }
        : { target: 'import ≥ 2× faster than sqlite-utils insert --csv', met: null, detail: 'sqlite-utils not measured' },
    );
  }
  const exportSize = largest('export');
  const custdbExport = find('custdb', 'export', exportSize);
  const sqliteExport = find('sqlite3 -csv', 'export', exportSize);
  if (custdbExport && sqliteExport) {
    const ratio = custdbExport.wallSeconds / sqliteExport.wallSeconds;
    verdicts.push({
      target: 'export within 2× of sqlite3 -csv',
      met: ratio <= 2,
      detail:
        `${ratio.toFixed(2)}× (${custdbExport.wallSeconds.toFixed(2)} s for ${custdbExport.rows.toLocaleString('en-US')} customers ` +
        `vs ${sqliteExport.wallSeconds.toFixed(2)} s for ${sqliteExport.rows.toLocaleString('en-US')} raw rows) ${at(exportSize)}`,
    });
  }
  for (const operation of ['import', 'export'] as const) {
    const runs = measurements.filter((m) => m.tool === 'custdb' && m.operation === operation).sort((a, b) => a.inputRows - b.inputRows);
    const top = runs[runs.length - 1];
    const bottom = runs[0];
    if (!top || !bottom) continue;
    const growth = top.peakRssMiB / bottom.peakRssMiB;
    const flat = runs.length < 2 || growth <= RSS_FLAT_GROWTH;
    const sizeNote =
      runs.length < 2
        ? 'one size only, so independence of size is not shown'
        : `${bottom.peakRssMiB.toFixed(0)} MiB at ${bottom.inputRows.toLocaleString('en-US')} rows, so ${growth.toFixed(2)}× for ${(top.inputRows / bottom.inputRows).toFixed(0)}× the rows (flat: ≤ ${RSS_FLAT_GROWTH}×)`;
    verdicts.push({
      target: `${operation} peak RSS ≤ ${RSS_LIMIT_MIB} MiB, independent of file size`,
      met: top.peakRssMiB <= RSS_LIMIT_MIB && flat,
      detail: `${top.peakRssMiB.toFixed(0)} MiB at ${top.inputRows.toLocaleString('en-US')} rows; ${sizeNote}`,
    });
  }
  return verdicts;
}

/** The report as a Markdown table (readable as plain text too), then one line per target and the notes. */
export function formatImportExportReport(report: ImportExportReport): string {
  const header = ['tool', 'operation', 'rows', 'wall s', 'rows/s', 'peak RSS MiB', 'ratio vs sqlite3'];
  const lines = [`| ${header.join(' | ')} |`, `|${header.map((_, i) => (i < 3 ? '---' : '---:')).join('|')}|`];
  for (const m of report.measurements) {
    const baseline = report.measurements.find((b) => b.operation === m.operation && b.inputRows === m.inputRows && b.tool.startsWith('sqlite3'));
    // /usr/bin/time counts in hundredths: a tiny run can read 0.00 s.
    const ratio = !baseline ? '' : baseline.wallSeconds > 0 ? `${(m.wallSeconds / baseline.wallSeconds).toFixed(2)}×` : '—';
    const wall = m.samples.length > 1 ? `${m.wallSeconds.toFixed(2)} (${m.samples.map((s) => s.toFixed(2)).join(', ')})` : m.wallSeconds.toFixed(2);
    const rate = m.wallSeconds > 0 ? Math.round(m.rows / m.wallSeconds).toLocaleString('en-US') : '∞';
    lines.push(`| ${m.tool} | ${m.operation} | ${m.rows.toLocaleString('en-US')} | ${wall} | ${rate} | ${m.peakRssMiB.toFixed(0)} | ${ratio} |`);
  }
  lines.push('');
  for (const t of report.targets) lines.push(`${t.met === null ? 'n/a    ' : t.met ? 'met    ' : 'NOT met'}  ${t.target}: ${t.detail}`);
  lines.push('');
  for (const note of report.notes) lines.push(`note: ${note}`);
  return lines.join('\n');
}
