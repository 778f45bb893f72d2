import { execFileSync } from 'node:child_process';
import { accessSync, appendFileSync, chmodSync, chownSync, constants, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';

/*
 * A throw-away PostgreSQL cluster on this machine, for the tests (test/setup/postgres-server.ts)
 * and the bench (bench/postgres.ts): initdb into a temporary folder, a server on a free local port,
 * stopped and removed at the end, also when the process that started it exits.
 */

export const NEEDED =
  'PostgreSQL is needed by the tests: apt-get install postgresql (Debian), or set CUSTDB_TEST_POSTGRES_URL=postgres://user@host:port/db to use a running server, or CUSTDB_TEST_DIALECTS=sqlite to run the SQLite half only';

/** The superuser initdb creates in the throw-away cluster; the database URLs tests get log in as it. */
const TEST_ROLE = 'custdb_test';
/** The one role the throw-away cluster asks a password of. */
const PASSWORD_PROBE_ROLE = 'custdb_password_probe';
/** initdb and pg_ctl refuse to run as root, so as root the cluster belongs to Debian's postgres user. */
const SERVER_USER = 'postgres';
const SERVER_TOOLS = ['initdb', 'pg_ctl', 'postgres'];
const CLUSTER_PREFIX = 'custdb-test-postgres-';
/** Written into each cluster's directory: the process that owns it, so a later run can tell an abandoned one. */
const OWNER_FILE = 'custdb-test-owner.pid';

/** Connects, checks the server can serve the tests, returns its version; throws, naming the fix, when it cannot. */
export async function checkServer(url: string, what: string): Promise<string> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  let row: { version: string; version_num: number; may_create: boolean | null } | undefined;
  try {
    await client.connect();
    const result = await client.query<{ version: string; version_num: number; may_create: boolean | null }>(
      `SELECT current_setting('server_version') AS version,
              current_setting('server_version_num')::int AS version_num,
              (SELECT rolsuper OR (rolcreatedb AND rolcreaterole) FROM pg_roles WHERE rolname = current_user) AS may_create`,
    );
    row = result.rows[0];
  } catch (error) {
    throw new Error(`Cannot connect to ${what}: ${error instanceof Error ? error.message : String(error)}. ${NEEDED}`, { cause: error });
  } finally {
    await client.end().catch(() => undefined);
  }
  if (row === undefined) throw new Error(`${what} answered nothing to a version query`);
  // DROP DATABASE … WITH (FORCE), which every test's clean-up uses, came in 13.
  if (row.version_num < 130000) throw new Error(`${what} is PostgreSQL ${row.version}; the tests need 13 or newer. ${NEEDED}`);
  if (row.may_create !== true) throw new Error(`The role in ${what} may not create databases and roles; the tests need a superuser (or CREATEDB CREATEROLE).`);
  return row.version;
}

export function hidePassword(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(an unreadable URL)';
  }
}

/** The first directory holding initdb, pg_ctl and postgres: pg_config's, Debian's newest, then one on PATH. */
export function findServerBinaries(): string | undefined {
  const candidates = [pgConfigBinDir(), ...debianBinDirs(), ...pathBinDirs()];
  return candidates.find((dir): dir is string => dir !== undefined && SERVER_TOOLS.every((tool) => isExecutable(path.join(dir, tool))));
}

function pgConfigBinDir(): string | undefined {
  try {
    return execFileSync('pg_config', ['--bindir'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return undefined;
  }
}

/** Debian keeps each major version's server in /usr/lib/postgresql/<version>/bin, off PATH. */
function debianBinDirs(): string[] {
  try {
    return readdirSync('/usr/lib/postgresql')
      .sort((a, b) => b.localeCompare(a, 'en', { numeric: true }))
      .map((version) => path.join('/usr/lib/postgresql', version, 'bin'));
  } catch {
    return [];
  }
}

function pathBinDirs(): string[] {
  return (process.env.PATH ?? '')
    .split(path.delimiter)
    .filter((dir) => dir !== '' && isExecutable(path.join(dir, 'initdb')))
    .map((dir) => path.dirname(realpathSync(path.join(dir, 'initdb'))));
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export interface Cluster {
  url: string;
  version: string;
  /** Stops the server and removes its files; safe to call more than once. */
  stop(): void;
}

export async function startThrowawayCluster(binDir: string): Promise<Cluster> {
  const asRoot = process.getuid?.() === 0;
  // As root the server runs as the postgres user, who may not be able to reach $TMPDIR (say, under /root).
  const base = asRoot ? '/tmp' : tmpdir();
  stopAbandonedClusters(base, binDir, asRoot);

  const root = mkdtempSync(path.join(base, CLUSTER_PREFIX));
  const dataDir = path.join(root, 'data');
  const logFile = path.join(root, 'server.log');
  const stop = stopOnce(() => {
    try {
      runServerTool(binDir, 'pg_ctl', ['-D', dataDir, 'stop', '-m', 'immediate', '-w', '-t', '30'], root, asRoot);
    } catch {
      // Not running: it never started, or it was already stopped.
    }
    rmSync(root, { recursive: true, force: true });
  });
  const removeExitHooks = stopOnExit(stop);
  const stopAndUnhook = () => {
    removeExitHooks();
    stop();
  };

  try {
    writeFileSync(path.join(root, OWNER_FILE), `${process.pid}\n`);
    chmodSync(root, 0o700);
    if (asRoot) {
      const { uid, gid } = serverUserIds();
      chownSync(root, uid, gid);
    }
    runServerTool(binDir, 'initdb', ['-D', dataDir, '-U', TEST_ROLE, '--auth=trust', '--encoding=UTF8', '--locale=C', '--no-sync'], root, asRoot);
    appendFileSync(
      path.join(dataDir, 'postgresql.conf'),
      [
        '',
        '# custdb tests: a throw-away cluster, so durability is traded for speed.',
        "listen_addresses = '127.0.0.1'",
        `unix_socket_directories = '${root}'`,
        'max_connections = 200',
        'fsync = off',
        'full_page_writes = off',
        'synchronous_commit = off',
        '',
      ].join('\n'),
    );
    // Every role is trusted but one, so that a test can see a wrong password refused (test/db/postgres-schema.test.ts).
    const hba = path.join(dataDir, 'pg_hba.conf');
    writeFileSync(hba, `host all ${PASSWORD_PROBE_ROLE} 127.0.0.1/32 scram-sha-256\n${readFileSync(hba, 'utf8')}`);
    const port = await startServer(binDir, dataDir, logFile, root, asRoot);
    const url = `postgres://${TEST_ROLE}@127.0.0.1:${port}/postgres`;
    const version = await checkServer(url, `the throw-away PostgreSQL server on port ${port}`);
    return { url, version, stop: stopAndUnhook };
  } catch (error) {
    stopAndUnhook();
    throw error;
  }
}

/**
 * Starts the server on a port that was free a moment ago; another process can
 * take it in between (other test runs share the machine), so a failed bind
 * is tried again on a new port.
 */
async function startServer(binDir: string, dataDir: string, logFile: string, cwd: string, asRoot: boolean): Promise<number> {
  for (let attempt = 1; ; attempt++) {
    const port = await findFreePort();
    try {
      runServerTool(binDir, 'pg_ctl', ['-D', dataDir, '-l', logFile, '-o', `-p ${port}`, '-w', '-t', '60', 'start'], cwd, asRoot);
      return port;
    } catch (error) {
      const log = readLogTail(logFile);
      if (attempt < 3 && /could not (bind|create listen socket)/i.test(log)) continue;
      throw new Error(`PostgreSQL did not start (${error instanceof Error ? error.message : String(error)}). Its log ends:\n${log}`, { cause: error });
    }
  }
}

function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port from listen(0)'))));
    });
  });
}

/** Runs a server program, as the postgres user when we are root; throws with its output when it fails. */
function runServerTool(binDir: string, tool: string, args: string[], cwd: string, asRoot: boolean): string {
  const program = path.join(binDir, tool);
  const [command, ...rest] = asRoot ? ['runuser', '-u', SERVER_USER, '--', program, ...args] : [program, ...args];
  try {
    return execFileSync(command ?? program, rest, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    const output = error instanceof Error && 'stderr' in error ? `${String(error.stderr)}`.trim() : '';
    throw new Error(`${tool} failed${output === '' ? '' : `: ${output}`}`, { cause: error });
  }
}

function serverUserIds(): { uid: number; gid: number } {
  try {
    const id = (flag: string) => Number(execFileSync('id', [flag, SERVER_USER], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim());
    return { uid: id('-u'), gid: id('-g') };
  } catch (error) {
    throw new Error(
      `The tests run as root, so they start PostgreSQL as the ${SERVER_USER} user (initdb refuses root), but there is no such user. ${NEEDED}`,
      { cause: error },
    );
  }
}

function readLogTail(logFile: string): string {
  try {
    return readFileSync(logFile, 'utf8').split('\n').slice(-15).join('\n');
  } catch {
    return '(no log written)';
  }
}

function stopOnce(stop: () => void): () => void {
  let stopped = false;
  return () => {
    if (stopped) return;
    stopped = true;
    stop();
  };
}

/**
 * Stops the cluster when the main process exits or is interrupted before
 * vitest's teardown runs; returns a function that removes these hooks.
 * They go first in line: vitest's own SIGINT/SIGTERM/exit listener calls
 * process.exit(), and no listener after it would run.
 */
function stopOnExit(stop: () => void): () => void {
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
  const onSignal = (signal: NodeJS.Signals) => {
    stop();
    remove();
    // With no other listener left, die of the signal as the process would have without ours.
    if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
  };
  const remove = () => {
    process.removeListener('exit', stop);
    for (const signal of signals) process.removeListener(signal, onSignal);
  };
  process.prependListener('exit', stop);
  for (const signal of signals) process.prependListener(signal, onSignal);
  return remove;
}

/**
 * A run killed outright (SIGKILL, out of memory) leaves its server running;
 * the next run stops those whose owning process is gone.
 */
function stopAbandonedClusters(base: string, binDir: string, asRoot: boolean): void {
  let entries: string[];
  try {
    entries = readdirSync(base).filter((name) => name.startsWith(CLUSTER_PREFIX));
  } catch {
    return;
  }
  for (const name of entries) {
    const root = path.join(base, name);
    let owner: number;
    try {
      owner = Number(readFileSync(path.join(root, OWNER_FILE), 'utf8').trim());
    } catch {
      continue; // not ours to judge: another user's, or a run still setting up
    }
    if (!Number.isSafeInteger(owner) || owner <= 0 || isRunning(owner)) continue;
    try {
      runServerTool(binDir, 'pg_ctl', ['-D', path.join(root, 'data'), 'stop', '-m', 'immediate', '-w', '-t', '30'], base, asRoot);
    } catch {
      // Already stopped.
    }
    try {
      rmSync(root, { recursive: true, force: true });
    } catch {
      // Tidying up after another run must not stop this one.
    }
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, it just belongs to someone else.
    return error instanceof Error && 'code' in error && error.code === 'EPERM';
  }
}
