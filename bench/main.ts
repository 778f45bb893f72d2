/**
 * `npm run bench`: import and export timings beside sqlite3 and sqlite-utils.
 *
 *   npm run bench                                   # 100k and 1M rows, each measurement once
 *   npm run bench -- --sizes 100000                 # seconds, not minutes
 *   npm run bench -- --only import --repeat 3       # median of 3
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

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

const USAGE = `usage: npm run bench -- [--sizes 100000,1000000] [--only import|export] [--repeat N] [--seed N]
  --sizes   comma-separated row counts (default 100000,1000000)
  --only    time only imports or only exports (export still imports once, untimed)
  --repeat  measurements per tool and size; the table shows the median (default 1)
  --seed    generator seed (default 1); generated files are cached in bench-data/
  --skip-build  time dist/ as it is, even when src/ is newer`;

function parseOptions(argv: string[]): { sizes: number[]; only: Operation | null; repeat: number; seed: number; skipBuild: boolean } {
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
  if (values.only !== undefined && values.only !== 'import' && values.only !== 'export') throw new Error(`--only wants import or export\n${USAGE}`);
  const repeat = Number(values.repeat);
  if (!Number.isInteger(repeat) || repeat < 1) throw new Error(`--repeat wants a positive whole number\n${USAGE}`);
  const seed = Number(values.seed);
  if (!Number.isInteger(seed)) throw new Error(`--seed wants a whole number\n${USAGE}`);
  return { sizes, only: values.only ?? null, repeat, seed, skipBuild: values['skip-build'] };
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

function main(): void {
  const { skipBuild, ...options } = parseOptions(process.argv.slice(2));
  if (!skipBuild) ensureBuilt();
  const log = (line: string) => console.error(`[bench] ${line}`);
  const report = runImportExportBench({
    ...options,
    dataDir: path.join(ROOT, 'bench-data'),
    custdbBin: path.join(ROOT, 'bin', 'custdb.js'),
    log,
  });
  console.log(formatImportExportReport(report));
  // The dedupe bench will be added here.
}

try {
  main();
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 2;
}
