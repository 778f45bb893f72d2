import pg from 'pg';
import { CustdbError, DatabaseBusyError, DatabaseOpenError, DatabaseReadOnlyError, PermissionDeniedError } from '../../errors.js';
import { BUSY_TIMEOUT_MS } from '../dialect.js';

/** Where a PostgreSQL database is, as custdb may print it (no password anywhere). */
export interface PostgresTarget {
  /** The URL without its password (redactUrl). */
  location: string;
  /** Host name, address, or Unix socket folder. */
  host: string;
  port: number;
  user: string;
  database: string;
}

/**
 * Turns an error from connecting to a PostgreSQL server into a CustdbError
 * (exit code 2) that says what went wrong where and names the fix. Errors
 * that come after the connection is made go through translatePostgresError.
 */
export function translatePostgresConnectError(error: unknown, target: PostgresTarget): unknown {
  if (error instanceof CustdbError) return error;
  const { location, user, database } = target;
  const server = target.host.startsWith('/')
    ? `the server socket in ${target.host} (port ${target.port})`
    : `${target.host.includes(':') ? `[${target.host}]` : target.host}:${target.port}`;
  const code = errorCode(error);
  const reason = error instanceof Error ? error.message : String(error);
  const open = (message: string, hint: string) => new DatabaseOpenError(message, { hint, cause: error });

  if (code === 'ECONNREFUSED' || code === 'ENOENT') {
    return open(`Cannot connect to PostgreSQL at ${server} (${location}): ${code === 'ENOENT' ? 'no server socket there' : 'connection refused'}.`, `Is the server running, and listening on ${server}? Start it, or correct the host and port in --db.`);
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return open(`Cannot connect to PostgreSQL (${location}): host "${target.host}" not found.`, 'Check the host name in --db, and your network or DNS.');
  }
  if (code === 'ETIMEDOUT' || code === 'EHOSTUNREACH' || code === 'ENETUNREACH' || (!(error instanceof pg.DatabaseError) && /timeout/i.test(reason))) {
    return open(`Cannot connect to PostgreSQL at ${server} (${location}): no answer (${reason}).`, 'Check the host and port in --db, and that no firewall stands between you and the server.');
  }
  if (code === '28P01') {
    return open(`PostgreSQL at ${server} refused the password for user "${user}" (${location}).`, passwordHint);
  }
  if (/password must be a string|no password supplied/i.test(reason)) {
    return open(`PostgreSQL at ${server} asks for a password for user "${user}", and none was given (${location}).`, passwordHint);
  }
  if (code === '28000') {
    // The same code for "no such role", "may not log in" and "no pg_hba.conf entry": the server's own words tell them apart.
    const hint = /pg_hba\.conf/.test(reason)
      ? 'The server does not let this user in from this machine: ask its administrator to allow it in pg_hba.conf (or add ?sslmode=require to --db if it only accepts encrypted connections).'
      : /does not exist/.test(reason)
        ? `Put an existing user in --db, or create the role as a superuser: createuser -h ${target.host} -p ${target.port} --pwprompt ${user} (a login role custdb created is dropped when its access is revoked: an owner can grant it again with custdb access grant ${user} --role …).`
        : `Put an existing user in --db, or create the role as a superuser: createuser -h ${target.host} -p ${target.port} --pwprompt ${user}`;
    return open(`PostgreSQL at ${server} refused user "${user}": ${reason} (${location}).`, hint);
  }
  if (code === '3D000') {
    return open(`PostgreSQL at ${server} has no database "${database}" (${location}).`, `Create it with: createdb -h ${target.host} -p ${target.port} -U ${user} ${database}`);
  }
  if (code === '57P03') {
    return open(`PostgreSQL at ${server} is not accepting connections: ${reason} (${location}).`, 'Wait until the server has finished starting (or recovering), then run this again.');
  }
  if (code === '53300') {
    return new DatabaseBusyError(`PostgreSQL at ${server} has no free connection: ${reason} (${location}).`, {
      hint: 'Run this again when other clients have disconnected, or raise max_connections on the server.',
      cause: error,
    });
  }
  if (error instanceof pg.DatabaseError) {
    const translated = translatePostgresError(error, location);
    if (translated !== error) return translated;
  }
  return open(`Cannot connect to PostgreSQL at ${server} (${location}): ${reason}.`, 'Check the URL in --db, and that the server is running and lets you in.');
}

const passwordHint =
  'Check the password: in --db (postgres://USER:PASSWORD@HOST/DATABASE, with special characters percent-encoded), in PGPASSWORD, or in ~/.pgpass.';

/**
 * Turns an error from a PostgreSQL server or a lost connection into a
 * CustdbError that names the database (`location`, without password) and
 * the fix. Errors it does not recognise (a constraint custdb should have
 * respected, a syntax error) are returned unchanged: the CLI reports those
 * as bugs.
 */
export function translatePostgresError(error: unknown, location: string): unknown {
  if (error instanceof CustdbError) return error;
  const code = errorCode(error);
  const reason = error instanceof Error ? error.message : String(error);
  if (code === '55P03') {
    return new DatabaseBusyError(`${location} is locked by another process (waited ${BUSY_TIMEOUT_MS / 1000} s).`, {
      hint: 'Wait for the other custdb command (an import, a backup) to finish, then run this again.',
      cause: error,
    });
  }
  if (code === '40P01' || code === '40001') {
    return new DatabaseBusyError(`${location}: this command collided with another process writing the same rows (${reason}). Nothing from this command was kept.`, {
      hint: 'Run the command again.',
      cause: error,
    });
  }
  if (code === '25006') {
    return new DatabaseReadOnlyError(`${location} is read-only: ${reason}.`, {
      hint: 'Point --db at the primary server (a standby only reads), or ask its administrator why the database is read-only.',
      cause: error,
    });
  }
  if (code === '42501') {
    const user = userOf(location);
    const who = user === undefined ? 'your database role' : `your database role (${user})`;
    if (/permission denied for schema/i.test(reason) && !/custdb_masked/.test(reason)) {
      // Creating custdb's tables without CREATE on the schema: a database set up for another user, not a custdb role.
      return new PermissionDeniedError(`${location}: ${who} may not create tables here (${reason}).`, {
        hint: 'Since PostgreSQL 15 only the database owner may create tables in schema public: create the database with "createdb -O YOUR_USER", or have its owner run GRANT CREATE ON SCHEMA public TO YOUR_USER.',
        location, serverMessage: reason, user,
        explained: true,
        cause: error,
      });
    }
    // Refined by the CLI (src/access/explain-refusal.ts), which knows the command and asks who the role is.
    return new PermissionDeniedError(`${location}: the server refused ${who} (${reason}).`, {
      hint: 'Ask an owner of the database to give your role the access it needs: custdb access grant ROLE --role analyst|staff|owner.',
      location, serverMessage: reason, user,
      cause: error,
    });
  }
  if (code === '3F000') {
    return new DatabaseOpenError(`${location}: ${reason}.`, {
      hint: 'custdb creates its tables in the first schema of your search_path: create that schema, or set search_path for your user.',
      cause: error,
    });
  }
  if (code === '53100' || code === '53200') {
    return new DatabaseOpenError(`Could not write to ${location}: ${reason}. Nothing from this command was kept.`, {
      hint: 'Free some disk space (or memory) on the server, then run the command again.',
      cause: error,
    });
  }
  if (code?.startsWith('08') || code === '57P01' || code === '57P02' || /Connection terminated/i.test(reason)) {
    return new DatabaseOpenError(`Lost the connection to ${location}: ${reason}.`, {
      hint: 'Check that the server is up, then run the command again; what it had not committed was rolled back.',
      cause: error,
    });
  }
  return error;
}

/** The user name in a postgres:// URL (percent-decoded), or undefined when it names none (pg then takes $PGUSER or the OS user). */
function userOf(location: string): string | undefined {
  try {
    const user = decodeURIComponent(new URL(location.replace('@/', '@localhost/')).username);
    return user === '' ? undefined : user;
  } catch {
    return undefined;
  }
}

/** The SQLSTATE of a server error, or the errno code of a network error (also inside an AggregateError, as Node reports a failed connection to every address of a host). */
function errorCode(error: unknown): string | undefined {
  if (error instanceof pg.DatabaseError) return error.code;
  if (error instanceof AggregateError && error.errors.length > 0 && !hasCode(error)) return errorCode(error.errors[0]);
  return hasCode(error) ? error.code : undefined;
}

function hasCode(error: unknown): error is { code: string } {
  return typeof error === 'object' && error !== null && typeof (error as { code?: unknown }).code === 'string';
}
