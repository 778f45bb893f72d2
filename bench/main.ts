/**
 * `npm run bench`: import and export timings beside sqlite3 and sqlite-utils,
 * orders import beside sqlite3, and dedupe speed and accuracy.
 *
 *   npm run bench                                   # 100k and 1M rows, each measurement once
 *   npm run bench -- --sizes 100000                 # seconds, not minutes
 *   npm run bench -- --only import --repeat 3       # median of 3
 *   npm run bench -- --only dedupe                  # FEBRL / fake_1000 accuracy, then speed
 *   npm run bench -- --only metrics                 # segment count over N customers' metrics, 5N orders
 *   npm run bench -- --only fields                  # computed fields and RFM (the cf query) over the same database
 *   npm run bench -- --only reports                 # report summary, top, rfm, cohorts over the metrics database
 *   npm run bench -- --only postgres                # the same commands on SQLite and on a throw-away PostgreSQL
 *   npm run bench -- --only validate                # custdb validate over the metrics bench's database
 *   npm run bench -- --only fit                     # custdb analytics fit (BG/NBD + Gamma-Gamma) on N customers, ~5N orders
 *
 * custdb is run as the user runs it (bin/custdb.js → dist/), so dist/ is
 * rebuilt first when any file under src/ is newer.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { formatImportExportReport, runImportExportBench, type Operation } from './import-export.js';
import { measureOrdersImport } from './orders.js';
import { measureDedupeAccuracy } from './dedupe-accuracy.js';
import { measureDedupeSpeed } from './dedupe-speed.js';
import { measureMetricsRead } from './metrics.js';
import { measureCustomerFields } from './customer-fields.js';
import { measurePostgres } from './postgres.js';
import { measureValidate } from './validate.js';
import { measureReports } from './reports.js';
import { measureFit } from './fit.js';
import { TRUE_PARAMETERS } from './generate-fit-db.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

const USAGE = `usage: npm run bench -- [--sizes 100000,1000000] [--only import|export|orders|dedupe|metrics|fields|reports|postgres|validate|fit] [--repeat N] [--seed N]
  --sizes   comma-separated row counts (default 100000,1000000); for metrics, customers (with 5× as many orders)
  --only    one part: customer imports, exports (which still import once, untimed), orders imports,
            dedupe (accuracy on ../shared/data's labelled sets, then speed on generated customers),
            metrics (a segment count over every customer's metrics on a generated database), fields (a count over
            computed fields, every customer's RFM and customers per RFM segment on that database), reports
            (custdb report summary, top, rfm and cohorts on that database), postgres
            (import N customers, merge their duplicates, export them, import 5N order lines and count a segment, on SQLite and on a
            throw-away PostgreSQL cluster: needs PostgreSQL's server programs), validate (custdb validate over the
            metrics database), or fit (custdb analytics fit on N customers whose ~5N orders are drawn from BG/NBD and
            Gamma-Gamma)
  --repeat  measurements per tool and size; the table shows the median (default 1)
  --seed    generator seed (default 1); generated files are cached in bench-data/
  --skip-build  time dist/ as it is, even when src/ is newer`;

type Part = Operation | 'orders' | 'dedupe' | 'metrics' | 'fields' | 'reports' | 'postgres' | 'validate' | 'fit';

function parseOptions(argv: string[]): { sizes: number[]; only: Part | null; repeat: number; seed: number; skipBuild: boolean } {
  const { values } = parseArgs({
    args: argv,
    options: {
      sizes: { type: 'string', default: '100000,1000000' },
      only: { type: 'string' },
      repeat: { type: 'string', default: '1' },
      seed: { type: 'string', default: '1' },
      'skip-build': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const sizes = values.sizes.split(',').map((s) => Number(s.trim().replace(/_/g, '')));
  if (sizes.some((n) => !Number.isInteger(n) || n < 1)) throw new Error(`--sizes wants positive whole numbers, got ${values.sizes}\n${USAGE}`);
  const parts = ['import', 'export', 'orders', 'dedupe', 'metrics', 'fields', 'reports', 'postgres', 'validate', 'fit'];
  if (values.only !== undefined && !parts.includes(values.only)) throw new Error(`--only wants one of ${parts.join(', ')}\n${USAGE}`);
  const repeat = Number(values.repeat);
  if (!Number.isInteger(repeat) || repeat < 1) throw new Error(`--repeat wants a positive whole number\n${USAGE}`);
  const seed = Number(values.seed);
  if (!Number.isInteger(seed)) throw new Error(`--seed wants a whole number\n${USAGE}`);
  return { sizes, only: (values.only as Part | undefined) ?? null, repeat, seed, skipBuild: values['skip-build'] };
}

function newestMtime(folder: string): number {
  let newest = 0;
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const full = path.join(folder, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs);
  }
  return newest;
}

/** Rebuilds dist/ when it is missing or older than src/, so the bench times the current code. */
function ensureBuilt(): void {
  const built = path.join(ROOT, 'dist', 'cli', 'main.js');
  let builtAt = 0;
  try {
    builtAt = statSync(built).mtimeMs;
  } catch {
    // missing: build
  }
  if (builtAt >= newestMtime(path.join(ROOT, 'src'))) return;
  console.error('dist/ is older than src/: running npm run build');
  // npm's own output goes to stderr too, so stdout holds only the report.
  const run = spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio: ['ignore', process.stderr, process.stderr] });
  if (run.status !== 0) throw new Error('npm run build failed (see above): fix it, or time dist/ as it is with --skip-build.');
}

async function main(): Promise<void> {
  const { skipBuild, only, ...options } = parseOptions(process.argv.slice(2));
  if (!skipBuild) ensureBuilt();
  const log = (line: string) => console.error(`[bench] ${line}`);
  const dataDir = path.join(ROOT, 'bench-data');
  const custdbBin = path.join(ROOT, 'bin', 'custdb.js');

  if (only === null || only === 'import' || only === 'export') {
    const report = runImportExportBench({ ...options, only: only === 'import' || only === 'export' ? only : null, dataDir, custdbBin, log });
    console.log(formatImportExportReport(report));
  }

  if (only === null || only === 'orders') {
    const rows = options.sizes.map((size) => measureOrdersImport(size, { seed: options.seed, dataDir, custdbBin, log }));
    console.log('\nOrders import (one row per line item) beside sqlite3 .import of the same file\n');
    printTable(
      ['rows', 'file MiB', 'custdb s', 'custdb cpu s', 'sqlite3 s', 'ratio', 'custdb peak RSS MiB', 'load'],
      rows.map((r) => [
        r.rows,
        r.fileMiB.toFixed(0),
        r.custdb.wallSeconds.toFixed(2),
        r.custdb.cpuSeconds.toFixed(2),
        r.sqlite3.wallSeconds.toFixed(2),
        `${r.ratio.toFixed(1)}x`,
        r.custdb.peakRssMiB.toFixed(0),
        r.load.map((l) => l.toFixed(1)).join(' → '),
      ]),
    );
    for (const r of rows) for (const t of r.targets) console.log(`${t.met ? 'met    ' : 'NOT MET'}  ${r.rows} rows: ${t.target} — ${t.detail}`);
  }

  if (only === null || only === 'metrics') {
    const rows = options.sizes.map((customers) => measureMetricsRead(customers, { seed: options.seed, repeat: options.repeat, dataDir, custdbBin, log }));
    console.log('\nCustomer metrics read: a segment count (RFM-ish buckets) and a stream of every active customer\'s metrics\n');
    printTable(
      ['customers', 'orders', 'segment s', 'segment cpu s', 'stream s', 'stream cpu s', 'peak RSS MiB', 'migrated first', 'load'],
      rows.map((r) => [
        r.customers,
        r.orders,
        r.segment.wallSeconds.toFixed(2),
        r.segment.cpuSeconds.toFixed(2),
        r.stream.wallSeconds.toFixed(2),
        r.stream.cpuSeconds.toFixed(2),
        r.peakRssMiB.toFixed(0),
        r.migrated.names.length === 0 ? '-' : `${r.migrated.names.join(', ')} in ${r.migrated.wallSeconds.toFixed(1)} s`,
        r.load.map((l) => l.toFixed(1)).join(' → '),
      ]),
    );
    for (const r of rows) {
      const c = r.segment.counts;
      console.log(`${r.customers} customers: ${c.customers} active, ${c.frequent_recent} frequent and recent, ${c.lapsed} lapsed, ${c.big_spenders} spent ≥ 500, ${c.never_ordered} never ordered, ${c.mixed_currencies} in mixed currencies`);
    }
    for (const r of rows) for (const t of r.targets) console.log(`${t.met ? 'met    ' : 'NOT MET'}  ${t.target} — ${t.detail}`);
  }

  if (only === null || only === 'fields') {
    const rows = options.sizes.map((customers) => measureCustomerFields(customers, { seed: options.seed, dataDir, custdbBin, log }));
    console.log('\nComputed fields (cf): a count over computed fields, every customer\'s RFM streamed, customers per RFM segment\n');
    printTable(
      ['customers', 'orders', 'count s', 'count cpu s', 'rfm s', 'rfm cpu s', 'segments s', 'segments cpu s', 'peak RSS MiB'],
      rows.map((r) => [
        r.customers,
        r.orders,
        r.count.wallSeconds.toFixed(2),
        r.count.cpuSeconds.toFixed(2),
        r.rfm.wallSeconds.toFixed(2),
        r.rfm.cpuSeconds.toFixed(2),
        r.segments.wallSeconds.toFixed(2),
        r.segments.cpuSeconds.toFixed(2),
        r.peakRssMiB.toFixed(0),
      ]),
    );
    for (const r of rows) console.log(`${r.customers} customers: ${r.count.customers} spent ≥ 100 and last ordered > 90 days ago; ${r.rfm.scored} of ${r.rfm.rows} scored; ${JSON.stringify(r.segments.bySegment)}`);
    for (const r of rows) for (const t of r.targets) console.log(`${t.met ? 'met    ' : 'NOT MET'}  ${t.target} — ${t.detail}`);
  }

  if (only === null || only === 'reports') {
    const rows = options.sizes.map((customers) => measureReports(customers, { seed: options.seed, dataDir, custdbBin, log }));
    console.log('\nReports (custdb report NAME --format json, run as the user runs it)\n');
    printTable(
      ['customers', 'orders', 'report', 'wall s', 'cpu s', 'peak RSS MiB', 'load'],
      rows.flatMap((r) => r.runs.map((run) => [r.customers, r.orders, run.report, run.wallSeconds.toFixed(2), run.cpuSeconds.toFixed(2), run.peakRssMiB.toFixed(0), r.load.map((l) => l.toFixed(1)).join(' → ')])),
    );
    for (const r of rows) for (const t of r.targets) console.log(`${t.met ? 'met    ' : 'NOT MET'}  ${t.target} — ${t.detail}`);
  }

  if (only === null || only === 'validate') {
    const rows = options.sizes.map((customers) => measureValidate(customers, { seed: options.seed, repeat: options.repeat, dataDir, custdbBin, log }));
    console.log('\ncustdb validate over the metrics database (every finding, --json)\n');
    printTable(
      ['customers', 'orders', 'wall s', 'cpu s', 'peak RSS MiB', 'load'],
      rows.map((r) => [r.customers, r.orders, r.wallSeconds.toFixed(2), r.cpuSeconds.toFixed(2), r.peakRssMiB.toFixed(0), r.load.map((l) => l.toFixed(1)).join(' → ')]),
    );
    for (const r of rows) console.log(`${r.customers} customers: ${r.found.join(', ') || 'nothing found'}`);
    for (const r of rows) for (const t of r.targets) console.log(`${t.met ? 'met    ' : 'NOT MET'}  ${t.target} — ${t.detail}`);
  }

  if (only === null || only === 'fit') {
    const rows = options.sizes.map((customers) => measureFit(customers, { seed: options.seed, dataDir, custdbBin, log }));
    console.log(`\ncustdb analytics fit: BG/NBD + Gamma-Gamma, predictions stored (orders drawn from ${JSON.stringify(TRUE_PARAMETERS)})\n`);
    printTable(
      ['customers', 'orders', 'wall s', 'cpu s', 'peak RSS MiB', 'BG/NBD r α a b', 'Gamma-Gamma p q v', 'load'],
      rows.map((r) => [
        r.customers,
        r.orders,
        r.wallSeconds.toFixed(2),
        r.cpuSeconds.toFixed(2),
        r.peakRssMiB.toFixed(0),
        Object.values(r.fitted.bgnbd).map((x) => x.toPrecision(3)).join(' '),
        Object.values(r.fitted.gammaGamma).map((x) => x.toPrecision(3)).join(' '),
        r.load.map((l) => l.toFixed(1)).join(' → '),
      ]),
    );
    for (const r of rows) for (const t of r.targets) console.log(`${t.met ? 'met    ' : 'NOT MET'}  ${t.target} — ${t.detail}`);
  }

  if (only === null || only === 'dedupe') {
    const shared = path.join(ROOT, '..', 'shared', 'data');
    console.log('\nDedupe accuracy (pairs inside the clusters merged at the default threshold; FEBRL without soc_sec_id)\n');
    printTable(
      ['dataset', 'records', 'true pairs', 'predicted', 'precision', 'recall', 'F1', 's'],
      measureDedupeAccuracy(shared).map((r) => [r.dataset, r.records, r.truePairs, r.predictedPairs, r.precision.toFixed(4), r.recall.toFixed(4), r.f1.toFixed(4), r.seconds.toFixed(2)]),
    );
    console.log('\nDedupe speed on generated customers with known duplicates (target: 1M in ≤ 60 s, peak RSS ≤ 2 GiB)\n');
    printTable(
      ['records', 'candidate pairs', 'wall s', 'cpu s', 'peak RSS MiB', 'precision', 'recall', 'F1'],
      options.sizes.map((n) => {
        const r = measureDedupeSpeed(n);
        return [r.records, r.candidatePairs, r.seconds.toFixed(1), r.cpuSeconds.toFixed(1), r.peakRssMiB.toFixed(0), r.precision.toFixed(4), r.recall.toFixed(4), r.f1.toFixed(4)];
      }),
    );
  }

  if (only === null || only === 'postgres') {
    const rows = [];
    for (const customers of options.sizes) rows.push(await measurePostgres(customers, { seed: options.seed, dataDir, custdbBin, log }));
    console.log(`\nThe same commands on SQLite and on PostgreSQL (${rows[0]?.serverVersion ?? ''}, a throw-away cluster on this machine)\n`);
    printTable(
      ['customers', 'dialect', 'import s', 'import RSS MiB', 'merge s', 'merges', 'export s', 'order lines', 'orders s', 'orders RSS MiB', 'segment s', 'load'],
      rows.flatMap((r) =>
        (['sqlite', 'postgres'] as const).map((dialect) => [
          r.customers,
          dialect,
          r[dialect].importSeconds.toFixed(1),
          r[dialect].importPeakRssMiB.toFixed(0),
          r[dialect].mergeSeconds.toFixed(1),
          r[dialect].merges,
          r[dialect].exportSeconds.toFixed(1),
          r.orderRows,
          r[dialect].ordersSeconds.toFixed(1),
          r[dialect].ordersPeakRssMiB.toFixed(0),
          r[dialect].segmentSeconds.toFixed(2),
          r.load.map((l) => l.toFixed(1)).join(' → '),
        ]),
      ),
    );
    for (const r of rows) for (const t of r.targets) console.log(`${t.met ? 'met    ' : 'NOT MET'}  ${r.customers} customers: ${t.target} — ${t.detail}`);
  }
}

function printTable(head: string[], body: (string | number)[][]): void {
  const rows = [head, ...body.map((row) => row.map(String))];
  const widths = head.map((_, c) => Math.max(...rows.map((row) => (row[c] ?? '').length)));
  for (const row of rows) console.log(row.map((cell, c) => cell.padEnd(widths[c] ?? 0)).join('  '));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 2;
});
