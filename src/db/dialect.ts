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
 * Pragmas every SQLite connection gets: WAL for concurrent readers, enforced
 * foreign keys, NORMAL sync (safe with WAL), and a 64 MiB page cache — the
 * default 2 MiB thrashes once a bulk import's indexes outgrow it.
 */
export const SQLITE_CONNECTION_PRAGMAS = ['journal_mode = WAL', 'foreign_keys = ON', 'synchronous = NORMAL', 'cache_size = -65536', 'temp_store = MEMORY'] as const;

/** How long a write waits for another process's lock before giving up, in ms. */
export const BUSY_TIMEOUT_MS = 5000;
