/**
 * The few SQL expressions spelled differently per dialect (date arithmetic),
 * and where each dialect's migrations are, for the dialect-neutral SQL of
 * src/db. Everything else a dialect does its own way (connection set-up,
 * bulk writes, snapshots, integrity checks) lives in its folder under src/db/.
 */
export interface Dialect {
  readonly name: 'sqlite' | 'postgres';
  /** Folder under schema/ holding this dialect's migrations. */
  readonly schemaFolder: string;
  /** SQL for whole days between an ISO timestamp/date column and now. */
  daysSince(columnSql: string): string;
  /** SQL of an aggregate joining text `valueSql` of the group's rows in `orderSql` order, separated by U+001F (NULL for no rows). */
  textList(valueSql: string, orderSql: string): string;
  /** A statement setting how long this connection's writes wait for another's lock, in ms (at least 1). */
  lockWait(ms: number): string;
}

export const sqliteDialect: Dialect = {
  name: 'sqlite',
  schemaFolder: 'sqlite',
  daysSince: (columnSql) => `CAST(julianday('now') - julianday(${columnSql}) AS INTEGER)`,
  textList: (valueSql, orderSql) => `group_concat(${valueSql}, char(31) ORDER BY ${orderSql})`,
  lockWait: (ms) => `PRAGMA busy_timeout = ${Math.max(1, Math.trunc(ms))}`,
};

/**
 * PostgreSQL (schema/postgres/). Timestamps and dates are text there too, so
 * `daysSince` reads the column as a UTC instant whatever the session's time
 * zone ('YYYY-MM-DD' is midnight UTC, as julianday() takes it; the 'Z' of a
 * timestamp is ignored by ::timestamp, which is right since all are UTC) and,
 * like SQLite's CAST, truncates the fraction of a day toward zero. Unlike
 * julianday(), a text that is not a date is an error here, not NULL.
 */
export const postgresDialect: Dialect = {
  name: 'postgres',
  schemaFolder: 'postgres',
  daysSince: (columnSql) =>
    `CAST(trunc((extract(epoch FROM now()) - extract(epoch FROM (CAST(${columnSql} AS timestamp) AT TIME ZONE 'UTC'))) / 86400) AS integer)`,
  textList: (valueSql, orderSql) => `string_agg(${valueSql}, chr(31) ORDER BY ${orderSql})`,
  // 0 would mean no limit at all on PostgreSQL.
  lockWait: (ms) => `SET lock_timeout = ${Math.max(1, Math.trunc(ms))}`,
};

/** How long a write waits for another process's lock (SQLite's busy timeout, PostgreSQL's lock_timeout) before giving up, in ms. */
export const BUSY_TIMEOUT_MS = 5000;
