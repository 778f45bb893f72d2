/**
 * `custdb analytics fit` timing (issue #15): BG/NBD and Gamma-Gamma fitted on a
 * generated database of N customers with about five orders each drawn from the
 * models (bench/generate-fit-db.ts, cached in bench-data/), the command run as
 * the user runs it, predictions stored. Targets (DESIGN.md): ≤ 10 s and peak
 * RSS ≤ 300 MiB at 1M customers. The figures are the whole command: reading the
 * summaries, both fits, the predictions and writing them.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import BetterSqlite3 from 'better-sqlite3-multiple-ciphers';
import { AS_OF, ensureFitDb, fitDbName } from './generate-fit-db.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface FitMeasurement {
  customers: number;
  orders: number;
  wallSeconds: number;
  cpuSeconds: number;
  peakRssMiB: number;
  /** What the command printed: the fitted parameters, beside TRUE_PARAMETERS. */
  fitted: { bgnbd: Record<string, number>; gammaGamma: Record<string, number> };
  targets: { target: string; met: boolean; detail: string }[];
  load: [number, number];
}

export function measureFit(customers: number, options: { seed?: number; dataDir?: string; custdbBin?: string; log?: (line: string) => void } = {}): FitMeasurement {
  const log = options.log ?? ((line: string) => console.error(`[bench fit] ${line}`));
  const bin = options.custdbBin ?? path.join(ROOT, 'bin', 'custdb.js');
  const seed = options.seed ?? 1;
  const file = path.join(options.dataDir ?? path.join(ROOT, 'bench-data'), fitDbName(customers, seed));
  ensureFitDb(file, { customers, seed }, bin, log);
  const init = spawnSync(process.execPath, [bin, 'init', '--db', file, '--quiet'], { encoding: 'utf8' });
  if (init.status !== 0) throw new Error(`custdb init --db ${file} failed: ${init.stderr}`);
  const db = new BetterSqlite3(file, { readonly: true });
  const orders = (db.prepare('SELECT count(*) AS n FROM orders').get() as { n: number }).n;
  db.close();

  log(`${customers} customers, ${orders} orders: custdb analytics fit`);
  const loadBefore = loadavg()[0]!;
  const scratch = mkdtempSync(path.join(tmpdir(), 'custdb-bench-fit-'));
  try {
    const timeFile = path.join(scratch, 'time.txt');
    const run = spawnSync('/usr/bin/time', ['-f', '%e %U %S %M', '-o', timeFile, process.execPath, bin, '--db', file, '--json', 'analytics', 'fit', '--as-of', AS_OF], {
      encoding: 'utf8',
      maxBuffer: 16 << 20,
    });
    if (run.status !== 0) throw new Error(`custdb analytics fit exited with ${run.status}: ${run.stderr}`);
    const match = /^(\d+(?:\.\d+)?) (\d+(?:\.\d+)?) (\d+(?:\.\d+)?) (\d+)$/.exec(readFileSync(timeFile, 'utf8').trim().split('\n').pop() ?? '');
    if (!match) throw new Error('cannot read /usr/bin/time output');
    const fit = JSON.parse(run.stdout) as { bgnbd: { params: Record<string, number> }; gammaGamma: { params: Record<string, number> } };
    const wallSeconds = Number(match[1]);
    const cpuSeconds = Number(match[2]) + Number(match[3]);
    const peakRssMiB = Number(match[4]) / 1024;
    return {
      customers,
      orders,
      wallSeconds,
      cpuSeconds,
      peakRssMiB,
      fitted: { bgnbd: fit.bgnbd.params, gammaGamma: fit.gammaGamma.params },
      targets: [
        { target: `fit BG/NBD + Gamma-Gamma on ${customers} customers ≤ 10 s`, met: wallSeconds <= 10, detail: `${wallSeconds.toFixed(2)} s wall, ${cpuSeconds.toFixed(2)} s CPU` },
        { target: 'peak RSS ≤ 300 MiB', met: peakRssMiB <= 300, detail: `${peakRssMiB.toFixed(0)} MiB` },
      ],
      load: [loadBefore, loadavg()[0]!],
    };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
