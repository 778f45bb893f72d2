import { randomBytes } from 'node:crypto';
import { copyFileSync, readFileSync } from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3-multiple-ciphers';
import { Kysely, SqliteDialect, sql, type RawBuilder } from 'kysely';
import { afterAll, it } from 'vitest';
import { isPostgresUrl } from '../../src/db/open-store.js';
import { openPostgresPool } from '../../src/db/postgres/connect-postgres.js';
import { createPostgresKysely } from '../../src/db/postgres/create-postgres-kysely.js';
import { redactUrl } from '../../src/db/postgres/redact-url.js';
import { SQLITE_CONNECTION_PRAGMAS } from '../../src/db/sqlite/connection-settings.js';
import type { Database } from '../../src/db/tables.js';
import { adminQuery, postgresAdminUrl, type TestDialect } from './dialects.js';

/**
 * The dialect the CLI tests run custdb against: sqlite (database files, as
 * written), or postgres when CUSTDB_TEST_CLI_DIALECT=postgres, which the
 * `cli-postgres` project of vitest.config.ts sets to run test/cli a second time.
 */
export const CLI_DIALECT: TestDialect = readCliDialect(process.env.CUSTDB_TEST_CLI_DIALECT);

function readCliDialect(value: string | undefined): TestDialect {
  if (value === undefined || value === '' || value === 'sqlite') return 'sqlite';
  if (value === 'postgres') return 'postgres';
  throw new Error(`CUSTDB_TEST_CLI_DIALECT=${value} is not a dialect the CLI tests know: use sqlite or postgres`);
}

/**
 * `it`, or in the PostgreSQL run a skipped case whose name says why it is
 * SQLite's alone (a file's mode, a lock held by another connection, …).
 *
 * @example
 * sqliteOnly('file permissions')('custdb init makes the file 0600', async () => { … });
 */
export function sqliteOnly(reason: string): (name: string, body: () => Promise<void>, timeout?: number) => void {
  return (name, body, timeout) => {
    if (CLI_DIALECT === 'sqlite') it(name, body, timeout);
    else it.skip(`${name} [SQLite only: ${reason}]`, body);
  };
}

/** A PostgreSQL database standing in for one database file. */
interface StandIn {
  url: string;
  name: string;
  created: boolean;
}

/** Database files the PostgreSQL run has been asked about, by absolute path. */
const standIns = new Map<string, StandIn>();
let named = 0;

/**
 * Commands that create a missing database file (every other command refuses
 * one: "No database at …"). Their stand-in database is created before they
 * run; any other command gets the URL of a database that does not exist yet,
 * which PostgreSQL's custdb refuses the same way.
 */
const CREATING_COMMANDS = ['init', 'import', 'config set'];

/** Global options that take a value, so that the word after them is not taken for the command. */
const VALUED_GLOBAL_OPTIONS = ['--db', '--actor', '--key-file'];

// Stand-ins are dropped after each test file on a server CUSTDB_TEST_POSTGRES_URL names. A throw-away
// cluster is removed whole when the run ends, so there dropping them (a fifth of a second each) is skipped.
if (CLI_DIALECT === 'postgres' && (process.env.CUSTDB_TEST_POSTGRES_URL ?? '') !== '') {
  afterAll(async () => {
    for (const standIn of standIns.values()) {
      if (standIn.created) await adminQuery(`DROP DATABASE IF EXISTS "${standIn.name}" WITH (FORCE)`);
    }
    standIns.clear();
  });
}

/** What a run is given once its database is put where CLI_DIALECT says, and how to read its output as written for a file. */
export interface RunOnDialect {
  args: string[];
  env: Record<string, string> | undefined;
  /** The output with the stand-in's URL put back as the file's path, so that assertions about the file hold. */
  asWritten(text: string): string;
}

/**
 * In the PostgreSQL run, points a run of custdb at the stand-in database of
 * the file it names (--db PATH, --db=PATH, CUSTDB_DB or ./customers.db, against
 * `cwd`): the same file, the same database, in every run of the test file.
 * In the SQLite run, changes nothing.
 */
export async function runOnDialect(args: readonly string[], options: { cwd: string; env?: Record<string, string> }): Promise<RunOnDialect> {
  const unchanged = { args: [...args], env: options.env, asWritten: (text: string) => text };
  if (CLI_DIALECT === 'sqlite') return unchanged;
  const flagAt = args.findIndex((arg) => arg === '--db' || arg.startsWith('--db='));
  const given = flagAt < 0 ? (options.env?.CUSTDB_DB ?? 'customers.db') : args[flagAt] === '--db' ? args[flagAt + 1] : args[flagAt]!.slice('--db='.length);
  if (given === undefined || given === '' || isPostgresUrl(given)) return unchanged;
  const file = path.resolve(options.cwd, given);
  const standIn = standInFor(file);
  if (createsDatabase(args)) await create(standIn);
  const mapped = [...args];
  if (flagAt < 0) return { args: mapped, env: { ...options.env, CUSTDB_DB: standIn.url }, asWritten: (text) => putBack(text, standIn, file) };
  if (args[flagAt] === '--db') mapped[flagAt + 1] = standIn.url;
  else mapped[flagAt] = `--db=${standIn.url}`;
  return { args: mapped, env: options.env, asWritten: (text) => putBack(text, standIn, file) };
}

/**
 * Where a test reads what custdb wrote to `file` (relative to `cwd`):
 * the file itself, or in the PostgreSQL run its stand-in database's URL.
 */
export function cliDatabaseLocation(cwd: string, file = 'customers.db'): string {
  const absolute = path.resolve(cwd, file);
  return CLI_DIALECT === 'sqlite' ? absolute : standInFor(absolute).url;
}

/**
 * Reads (or changes) the database custdb keeps in `file`, as a user's other
 * tools would: a connection of its own, set up as custdb sets up its
 * connections, with no migration check, and a Kysely over it, so that
 * dialect-neutral queries see the same rows in both runs.
 *
 * @example
 * const emails = await withCliDatabase(cwd, (db) => db.selectFrom('customers').select('email').orderBy('id').execute());
 */
export async function withCliDatabase<T>(cwd: string, work: (db: Kysely<Database>) => Promise<T>, file = 'customers.db'): Promise<T> {
  const db = CLI_DIALECT === 'sqlite' ? sqliteKysely(path.resolve(cwd, file)) : createPostgresKysely(await openPostgresPool(cliDatabaseLocation(cwd, file)));
  try {
    return await work(db);
  } finally {
    await db.destroy();
  }
}

function sqliteKysely(file: string): Kysely<Database> {
  const sqlite = new BetterSqlite3(file, { fileMustExist: true });
  for (const pragma of SQLITE_CONNECTION_PRAGMAS) sqlite.pragma(pragma);
  return new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
}

/**
 * Where a test that opens the store itself (openStore with create: true) finds the database of `file`:
 * the file's path, or in the PostgreSQL run its stand-in database, created now if it was not yet.
 */
export async function createdCliDatabase(cwd: string, file = 'customers.db'): Promise<string> {
  const absolute = path.resolve(cwd, file);
  if (CLI_DIALECT === 'sqlite') return absolute;
  const standIn = standInFor(absolute);
  await create(standIn);
  return standIn.url;
}

async function create(standIn: StandIn): Promise<void> {
  if (standIn.created) return;
  await adminQuery(`CREATE DATABASE "${standIn.name}"`);
  standIn.created = true;
}

function standInFor(file: string): StandIn {
  let standIn = standIns.get(file);
  if (standIn === undefined) {
    named += 1;
    const name = `custdb_cli_${process.pid}_${named}_${randomBytes(3).toString('hex')}`;
    const url = new URL(postgresAdminUrl());
    url.pathname = `/${name}`;
    standIn = { url: url.toString(), name, created: false };
    standIns.set(file, standIn);
  }
  return standIn;
}

/** Whether the command of `args` (its first word or two, past the global options and their values) is one of CREATING_COMMANDS. */
function createsDatabase(args: readonly string[]): boolean {
  const words: string[] = [];
  for (let i = 0; i < args.length && words.length < 2; i++) {
    const arg = args[i]!;
    if (VALUED_GLOBAL_OPTIONS.includes(arg)) i += 1;
    else if (!arg.startsWith('-')) words.push(arg);
  }
  return CREATING_COMMANDS.includes(words[0] ?? '') || CREATING_COMMANDS.includes(words.join(' '));
}

function putBack(text: string, standIn: StandIn, file: string): string {
  return text.replaceAll(standIn.url, file).replaceAll(redactUrl(standIn.url), file);
}

/**
 * Runs one statement (a Kysely `sql` template, its values bound by the
 * dialect) on the database custdb keeps in `file`, and returns its rows.
 *
 * @example
 * const [row] = await queryCliDatabase<{ company: string | null }>(cwd, sql`SELECT company FROM customers WHERE id = ${id}`);
 */
export async function queryCliDatabase<Row>(cwd: string, query: RawBuilder<Row>, file = 'customers.db'): Promise<Row[]> {
  return withCliDatabase(cwd, async (db) => (await query.execute(db)).rows, file);
}

/** What custdb says of a database file that is not there, or in the PostgreSQL run of its stand-in database that was never created. */
export const NO_DATABASE: RegExp = CLI_DIALECT === 'sqlite' ? /No database at/ : /PostgreSQL at \S+ has no database "custdb_cli_\w+"/;

/** How custdb's hint for NO_DATABASE says to make one: custdb init makes a file, a PostgreSQL database is made with createdb. */
export const NO_DATABASE_HINT: RegExp = CLI_DIALECT === 'sqlite' ? /custdb init/ : /createdb/;

/**
 * Everything custdb keeps in `file`, as one string to compare before and
 * after a command that must change nothing: every byte of a SQLite file;
 * every row of every table of a PostgreSQL database.
 */
export async function snapshotCliDatabase(cwd: string, file = 'customers.db'): Promise<string> {
  return CLI_DIALECT === 'sqlite' ? readFileSync(path.resolve(cwd, file)).toString('base64') : dumpCliDatabase(cwd, file);
}

/** Every row of every table custdb keeps in `file`, as text: what a user would call the content, whatever the dialect. */
export async function dumpCliDatabase(cwd: string, file = 'customers.db'): Promise<string> {
  return withCliDatabase(
    cwd,
    async (db) => {
      const tables: string[] = [];
      for (const table of (await db.introspection.getTables()).filter((t) => !t.isView).sort((a, b) => a.name.localeCompare(b.name))) {
        const rows = await sql<Record<string, unknown>>`SELECT * FROM ${sql.table(table.name)}`.execute(db);
        // Sorted as text: some tables have no rowid to order by, and storage order is not content.
        tables.push(`${table.name}\n${rows.rows.map((row) => JSON.stringify(row)).sort().join('\n')}`);
      }
      return tables.join('\n\n');
    },
    file,
  );
}

/**
 * Runs `work` while another connection holds the write lock on the database
 * of `file`, as another custdb process or tool in the middle of a write
 * would: a transaction that has run `write` (which takes SQLite's lock; a
 * PostgreSQL transaction takes custdb's write lock as it begins) and is
 * rolled back once `work` is done.
 */
export async function whileWriteLocked<T>(cwd: string, write: RawBuilder<unknown>, work: () => Promise<T>, file = 'customers.db'): Promise<T> {
  return withCliDatabase(
    cwd,
    async (db) => {
      const transaction = await db.startTransaction().execute();
      try {
        await write.execute(transaction);
        return await work();
      } finally {
        await transaction.rollback().execute();
      }
    },
    file,
  );
}

/**
 * Copies the database custdb keeps in `file` of `fromCwd` to the same file
 * of `toCwd`: the file itself, or in the PostgreSQL run a new database made
 * from the first as its template (nothing may be connected to it meanwhile).
 */
export async function copyCliDatabase(fromCwd: string, toCwd: string, file = 'customers.db'): Promise<void> {
  const from = path.resolve(fromCwd, file);
  const to = path.resolve(toCwd, file);
  if (CLI_DIALECT === 'sqlite') {
    copyFileSync(from, to);
    return;
  }
  const copy = standInFor(to);
  await adminQuery(`CREATE DATABASE "${copy.name}" TEMPLATE "${standInFor(from).name}"`);
  copy.created = true;
}
