import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runOnDialect } from './cli-database.js';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const BIN = path.join(REPO_ROOT, 'bin', 'custdb.js');
export const FIXTURES = path.join(REPO_ROOT, 'fixtures');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs the built binary, as a user would, in `cwd` with NO_COLOR and no TTY;
 * `wrapper` runs it through another command (`runuser -u nobody --`). In the
 * PostgreSQL run of the CLI tests the database file is a PostgreSQL database (./cli-database.ts).
 */
export async function runCli(
  args: readonly string[],
  options: { cwd: string; env?: Record<string, string>; input?: string; wrapper?: readonly string[] },
): Promise<CliResult> {
  const run = await runOnDialect(args, options);
  const result = await new Promise<CliResult>((resolve, reject) => {
    const [command, ...rest] = [...(options.wrapper ?? []), process.execPath, BIN, ...run.args];
    const child = spawn(command ?? process.execPath, rest, {
      cwd: options.cwd,
      env: { PATH: process.env.PATH ?? '', HOME: options.cwd, NO_COLOR: '1', ...run.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    child.stdin.end(options.input ?? '');
  });
  return { code: result.code, stdout: run.asWritten(result.stdout), stderr: run.asWritten(result.stderr) };
}

/** A fresh temporary working directory, with the named fixture files copied in (never used in place). */
export function makeWorkdir(...fixtureFiles: string[]): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'custdb-test-'));
  for (const file of fixtureFiles) cpSync(path.join(FIXTURES, file), path.join(dir, path.basename(file)));
  return dir;
}

/**
 * Runs custdb with `args` in `cwd` and kills it (SIGKILL, no chance to clean up) once it
 * is visibly writing: its uncommitted pages have grown customers.db-wal past 4 MB.
 * Resolves with the signal the process died of (null if it finished first).
 */
export async function killMidWrite(args: string[], cwd: string): Promise<NodeJS.Signals | null> {
  const child = spawn(process.execPath, [BIN, ...args], { cwd, env: { PATH: process.env.PATH ?? '', NO_COLOR: '1' } });
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
  const wal = path.join(cwd, 'customers.db-wal');
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline && !(sizeOf(wal) > 4_000_000)) await new Promise((r) => setTimeout(r, 20));
  child.kill('SIGKILL');
  return exited;
}

/** When to kill: so many ms after the start, or so many ms after the process first grew customers.db-wal. */
export type KillMoment = { afterStartMs: number } | { afterWalGrowsMs: number };

export interface KilledRun {
  /** The signal the process died of; null when it finished first. */
  signal: NodeJS.Signals | null;
  code: number | null;
  /** Ms from the start to the first growth of the -wal file, when seen. */
  walGrewAtMs: number | undefined;
}

/**
 * Runs custdb with `args` in `cwd` (database customers.db) and kills it with SIGKILL
 * at `moment`: no chance to roll back, close files or clean up. Also the way to time a
 * run to its end: pass a moment that never comes, such as { afterStartMs: Infinity }.
 */
export async function killAt(args: string[], cwd: string, moment: KillMoment): Promise<KilledRun> {
  const wal = path.join(cwd, 'customers.db-wal');
  const walSize = (): number => sizeOf(wal);
  const initialWal = walSize();
  const started = Date.now();
  const child = spawn(process.execPath, [BIN, ...args], { cwd, env: { PATH: process.env.PATH ?? '', HOME: cwd, NO_COLOR: '1' }, stdio: 'ignore' });
  let finished = false;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => {
      finished = true;
      resolve({ code, signal });
    }),
  );
  let walGrewAtMs: number | undefined;
  while (!finished) {
    const elapsed = Date.now() - started;
    if (walGrewAtMs === undefined && walSize() !== initialWal) walGrewAtMs = elapsed;
    const due = 'afterStartMs' in moment ? elapsed >= moment.afterStartMs : walGrewAtMs !== undefined && elapsed - walGrewAtMs >= moment.afterWalGrowsMs;
    if (due) {
      child.kill('SIGKILL');
      break;
    }
    await new Promise((r) => setTimeout(r, 2));
  }
  const { code, signal } = await exited;
  return { signal, code, walGrewAtMs };
}

/** A file's size, 0 when it is not there: SQLite removes a -wal file whenever its last connection closes, at any moment. */
function sizeOf(file: string): number {
  return statSync(file, { throwIfNoEntry: false })?.size ?? 0;
}
