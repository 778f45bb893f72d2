/**
 * Everything that differs between SQL dialects lives here, so callers stay
 * dialect-neutral: where the migrations are, connection set-up, and the few
 * expressions (date arithmetic) that are spelled differently.
 */
export interface Dialect {
  readonly name: 'sqlite' | 'postgres';
  /** Folder under schema/ holding this dialect's migrations. */
  readonly schemaFolder: string;
  /** SQL for whole days between an ISO timestamp/date column and now. */
  daysSince(columnSql: string): string;
}

export const sqliteDialect: Dialect = {
  name: 'sqlite',
  schemaFolder: 'sqlite',
  daysSince: (columnSql) => `CAST(julianday('now') - julianday(${columnSql}) AS INTEGER)`,
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
};

/**
 * Pragmas every SQLite connection gets: WAL for concurrent readers, enforced
 * foreign keys, NORMAL sync (safe with WAL), and a 32 MiB page cache. The
 * default 2 MiB thrashes once a bulk import's indexes outgrow it; 64 MiB saved
 * only 3% of a 1M-row import's CPU and pushed its peak RSS past 300 MiB.
 * Temporary tables and sorts keep SQLite's default store, a file: in memory,
 * the index built at the end of a 5M-row orders import took its peak RSS to
 * 488 MiB (on file: 221–256 MiB).
 */
export const SQLITE_CONNECTION_PRAGMAS = ['journal_mode = WAL', 'foreign_keys = ON', 'synchronous = NORMAL', 'cache_size = -32768'] as const;

/** How long a write waits for another process's lock before giving up, in ms. */
export const BUSY_TIMEOUT_MS = 5000;
