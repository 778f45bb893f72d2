import pg from 'pg';
import { DatabaseOpenError, UsageError } from '../../errors.js';
import { BUSY_TIMEOUT_MS } from '../dialect.js';
import { redactUrl } from './redact-url.js';
import { translatePostgresConnectError, type PostgresTarget } from './translate-postgres-error.js';
import { custdbTypeParsers } from './type-parsers.js';

/** The oldest server custdb supports, as server_version_num spells it (13.0). */
export const MIN_SERVER_VERSION_NUM = 130000;

/** How long connecting may take before custdb gives up, in ms. */
const CONNECT_TIMEOUT_MS = 10_000;

/**
 * Connects to the PostgreSQL server `url` names (`postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE`),
 * checks it can hold a custdb database (PostgreSQL 13 or later, UTF8), and
 * returns a pool whose connections all carry custdb's settings (see
 * postgresPoolConfig). Throws UsageError for a malformed URL and
 * DatabaseOpenError (exit code 2) for a server that cannot be reached, a
 * refused login, a missing database or an unsupported server; no message
 * shows the password. Nothing is written. The caller ends the pool.
 *
 * @example
 * const pool = await openPostgresPool('postgres://ann@localhost/shop');
 * const db = createPostgresKysely(pool);
 */
export async function openPostgresPool(url: string): Promise<pg.Pool> {
  const target = describePostgresTarget(url);
  const config = postgresPoolConfig(url);
  // The first connection is a client of our own, closed whatever happens: when pg fails on its side of the
  // login (the server asks for a password and there is none), a pool drops that client with its socket still
  // open, and the process then waits for the server's authentication_timeout (a minute) before it can exit.
  const probe = new pg.Client(config);
  try {
    await probe.connect();
    await checkServer(probe, target);
  } catch (error) {
    throw translatePostgresConnectError(error, target);
  } finally {
    await probe.end().catch(() => {});
  }
  const pool = new pg.Pool(config);
  // An idle pooled connection that breaks (the server restarts) is dropped by the pool; the next query
  // then fails and is reported. Without a listener, the event would end the process instead.
  pool.on('error', () => {});
  return pool;
}

/**
 * The pool settings every custdb connection gets:
 * - application_name custdb, so a DBA sees who holds a connection or a lock;
 * - lock_timeout of BUSY_TIMEOUT_MS, as SQLite's busy timeout: a command that
 *   waits that long for another's lock gives up (DatabaseBusyError) rather
 *   than hang a cron job;
 * - no statement_timeout: an import or export of millions of rows is one
 *   long statement (COPY) that must not be cut off part way;
 * - TimeZone UTC, as SQLite's date('now'): current_date and timestamps the
 *   server renders read the same on both dialects; DateStyle ISO;
 * - custdb's type parsers (type-parsers.ts): counts and sums as numbers;
 * - idle pooled connections do not keep the process alive (a command that
 *   has finished exits even before the pool is ended).
 * Settings in the URL's query (?application_name=…, ?options=…) win.
 */
export function postgresPoolConfig(url: string): pg.PoolConfig {
  return {
    connectionString: url,
    application_name: 'custdb',
    lock_timeout: BUSY_TIMEOUT_MS,
    options: '-c TimeZone=UTC -c DateStyle=ISO,YMD',
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    keepAlive: true,
    types: custdbTypeParsers,
    allowExitOnIdle: true,
  };
}

/**
 * Where `url` points, with pg's own defaults filled in (host localhost, port
 * 5432, user and database from the environment as libpq does), for messages.
 * Throws UsageError when `url` is not a PostgreSQL URL.
 */
export function describePostgresTarget(url: string): PostgresTarget {
  const location = redactUrl(url);
  const malformed = (reason: string, cause?: unknown) =>
    new UsageError(`--db ${location} is not a valid PostgreSQL URL: ${reason}.`, {
      hint: 'Write it as postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE, with special characters in the password percent-encoded (@ as %40).',
      cause,
    });
  let parsed: URL;
  try {
    // pg accepts an empty host before a ?host= socket folder ("postgres://ann@/shop?host=/run/postgresql").
    parsed = new URL(url.replace('@/', '@localhost/'));
  } catch (error) {
    throw malformed('it cannot be read as a URL', error);
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') throw malformed('it must start with postgres://');
  try {
    decodeURIComponent(parsed.username + parsed.password + parsed.pathname);
  } catch (error) {
    throw malformed('it has a broken %-escape', error);
  }
  let client: pg.Client;
  try {
    client = new pg.Client({ connectionString: url });
  } catch (error) {
    // pg reads ?sslcert=/?sslkey=/?sslrootcert= files here, and checks parameters such as ?sslnegotiation=.
    throw new UsageError(`Cannot use --db ${location}: ${error instanceof Error ? error.message : String(error)}.`, {
      hint: 'Check the parameters after "?" in --db, and that the files they name exist.',
      cause: error,
    });
  }
  const user = client.user ?? '';
  return { location, host: client.host || 'localhost', port: client.port, user, database: client.database ?? user };
}

interface ServerFacts {
  version: string;
  version_num: string;
  encoding: string;
}

async function checkServer(client: pg.ClientBase, target: PostgresTarget): Promise<void> {
  const { rows } = await client.query<ServerFacts>(
    `SELECT current_setting('server_version') AS version, current_setting('server_version_num') AS version_num, current_setting('server_encoding') AS encoding`,
  );
  const facts = rows[0]!;
  if (Number(facts.version_num) < MIN_SERVER_VERSION_NUM) {
    throw new DatabaseOpenError(`${target.location} is PostgreSQL ${facts.version}; custdb needs PostgreSQL ${MIN_SERVER_VERSION_NUM / 10000} or later.`, {
      hint: 'Upgrade the server, or keep the database in a SQLite file (--db PATH).',
    });
  }
  if (facts.encoding !== 'UTF8') {
    throw new DatabaseOpenError(`${target.location} stores text as ${facts.encoding}; custdb needs a UTF8 database to keep names and notes in any script.`, {
      hint: `Create a UTF8 database and point --db at it: createdb -h ${target.host} -p ${target.port} -U ${target.user} --encoding=UTF8 --template=template0 NAME`,
    });
  }
}
