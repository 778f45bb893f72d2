import { readdirSync, readlinkSync } from 'node:fs';
import { userInfo } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { runCli as runCliInThisProcess } from '../../src/cli/run-cli.js';
import { runOnDialect, type RunOnDialect } from './cli-database.js';
import { collectStream } from './collect-stream.js';
import { runCli, type CliResult } from './run-cli.js';

/** What a run may be given: the spawned runner's options, but for `wrapper` (runuser needs a process of its own). */
export interface InProcessOptions {
  /** The working folder of the run (default: this process's). */
  cwd?: string;
  /** Environment on top of PATH, HOME (= cwd) and NO_COLOR=1, as the spawned runner gives the binary. */
  env?: Record<string, string>;
  /** Text on stdin, which is not a terminal. */
  input?: string;
}

/** Either runner: runCli from ./run-cli.js (the built binary) or runCliInProcess, for helpers that serve both. */
export type CliRunner = (args: readonly string[], options: { cwd: string; env?: Record<string, string>; input?: string }) => Promise<CliResult>;

/** CUSTDB_TEST_SPAWN=1 sends every in-process run through the built binary instead: the same suite, to check the two agree. */
const SPAWN_INSTEAD = process.env.CUSTDB_TEST_SPAWN === '1';

/** Events a command could leave a process listener on; a run that adds one has it removed again. */
const PROCESS_EVENTS = ['exit', 'beforeExit', 'SIGINT', 'SIGTERM', 'SIGPIPE', 'uncaughtException', 'unhandledRejection', 'warning'] as const;

/** process, as the plain event emitter it also is (its typings list each event's listener). */
const emitter: NodeJS.EventEmitter = process;

let running: string | undefined;

/**
 * Runs custdb inside the test process, as the built binary would run it in `cwd`:
 * the same commands, error handling and exit codes, with the environment the
 * spawned runner gives (PATH, HOME = cwd, NO_COLOR=1) and the OS user as actor,
 * without ~0.5 s of Node start-up per command. Swap it for `runCli` from
 * ./run-cli.js (same arguments) to run the binary instead.
 *
 * What differs from the binary, so tests of these stay spawned: no TTY ever;
 * standardising runs on this thread (CUSTDB_IMPORT_THREADS=0) and exports on
 * one thread, as the worker scripts exist only as built JavaScript; no signals,
 * closed pipes or other processes; nothing of bin/ or src/cli/main.ts runs.
 *
 * Process-wide state is put back after each run: the working folder (a run
 * changes into `cwd`, which is why runs may not overlap: one at a time, never
 * under Promise.all or describe.concurrent; vitest's forks pool allows chdir),
 * process.exitCode, process.env and process listeners. A run that leaves a
 * file of its folder or a database open fails, naming it.
 */
export async function runCliInProcess(args: readonly string[], options: InProcessOptions = {}): Promise<CliResult> {
  if (SPAWN_INSTEAD) return runCli(args, { cwd: options.cwd ?? process.cwd(), env: options.env, input: options.input });
  if (running !== undefined) {
    throw new Error(`runCliInProcess(${JSON.stringify(args)}) started while custdb ${running} was still running: in-process runs share the working folder, so run them one after another.`);
  }
  running = args.join(' ');
  const saved = saveProcessState();
  const stdout = collectStream();
  const stderr = collectStream();
  let code: number;
  let run: RunOnDialect;
  try {
    run = await runOnDialect(args, { cwd: options.cwd ?? process.cwd(), env: options.env });
    if (options.cwd !== undefined) process.chdir(options.cwd);
    const cwd = process.cwd();
    code = await runCliInThisProcess(run.args, {
      stdout: stdout.stream,
      stderr: stderr.stream,
      stdin: Readable.from(options.input ? [options.input] : []),
      stdoutIsTTY: false,
      stderrIsTTY: false,
      stdinIsTTY: false,
      env: { PATH: process.env.PATH ?? '', HOME: cwd, NO_COLOR: '1', CUSTDB_IMPORT_THREADS: '0', ...run.env },
      user: osUser(),
    });
    // A PassThrough may hand over what was written last on a later turn of the event loop.
    await new Promise((resolve) => setImmediate(resolve));
    const leftOpen = await filesLeftOpen(saved.openFiles, cwd);
    if (leftOpen.length > 0) throw new Error(`custdb ${running} left open: ${leftOpen.join(', ')}`);
  } finally {
    restoreProcessState(saved);
    running = undefined;
  }
  return { code, stdout: run.asWritten(stdout.text()), stderr: run.asWritten(stderr.text()) };
}

/** The user the binary would record as actor (src/cli/main.ts asks the OS the same way). */
function osUser(): string {
  try {
    return userInfo().username;
  } catch {
    return process.env.USER ?? 'unknown';
  }
}

interface ProcessState {
  cwd: string;
  exitCode: typeof process.exitCode;
  env: Record<string, string | undefined>;
  listeners: Map<string, Function[]>;
  openFiles: Set<string>;
}

function saveProcessState(): ProcessState {
  return {
    cwd: process.cwd(),
    exitCode: process.exitCode,
    env: { ...process.env },
    listeners: new Map(PROCESS_EVENTS.map((event) => [event, emitter.listeners(event)])),
    openFiles: new Set(openFiles().keys()),
  };
}

function restoreProcessState(saved: ProcessState): void {
  process.chdir(saved.cwd);
  process.exitCode = saved.exitCode;
  for (const key of Object.keys(process.env)) if (!(key in saved.env)) delete process.env[key];
  Object.assign(process.env, saved.env);
  for (const [event, before] of saved.listeners) {
    for (const listener of emitter.listeners(event)) {
      if (!before.includes(listener)) emitter.removeListener(event, listener as (...args: unknown[]) => void);
    }
  }
}

/**
 * Files opened during the run and still open, in its folder or databases anywhere,
 * waiting a little for streams that close on a later turn of the event loop. Read
 * from /proc; elsewhere nothing is checked.
 */
async function filesLeftOpen(before: Set<string>, cwd: string): Promise<string[]> {
  const left = () =>
    [...openFiles()].filter(([key, file]) => !before.has(key) && (file.startsWith(`${cwd}${path.sep}`) || /\.db(-wal|-shm|-journal)?$/.test(file))).map(([, file]) => file);
  for (let wait = 0; wait < 20 && left().length > 0; wait++) await new Promise((resolve) => setTimeout(resolve, 10));
  return left();
}

/** This process's file descriptors that point at files, as "fd path" → path; none without /proc. */
function openFiles(): Map<string, string> {
  const files = new Map<string, string>();
  let fds: string[] = [];
  try {
    fds = readdirSync('/proc/self/fd');
  } catch {
    return files;
  }
  for (const fd of fds) {
    try {
      const target = readlinkSync(`/proc/self/fd/${fd}`);
      if (target.startsWith('/')) files.set(`${fd} ${target}`, target);
    } catch {
      // Closed since the listing (the listing's own descriptor, for one).
    }
  }
  return files;
}
