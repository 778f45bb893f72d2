import { availableParallelism } from 'node:os';
import type BetterSqlite3 from 'better-sqlite3-multiple-ciphers';

/**
 * A bulk write adds this many rows per row already in the table, or more,
 * before its indexes are dropped and built again: below it, one sort of the
 * whole table at the end costs more than the row-by-row inserts it saves.
 */
const DEFER_MIN_SHARE = 1 / 4;
/** The page cache while an index is built (negative: KiB). */
const SORT_CACHE_SIZE = -4096;

/**
 * Indexes dropped for the length of a bulk write and built again at its end,
 * both inside the caller's open transaction. An index whose keys arrive in
 * random order (an order's customer id) costs a B-tree descent and, once it
 * outgrows the page cache, a page read and a page write per row; building it
 * afterwards is one sort. A rollback, or a process killed half way, leaves the
 * indexes exactly as they were, since their DROP was never committed.
 */
export class DeferredIndexes {
  private constructor(
    private readonly sqlite: BetterSqlite3.Database,
    /** The CREATE INDEX statements of the indexes dropped and not yet built again. */
    private pending: string[],
  ) {}

  /**
   * Drops those of `names` that exist when `expectedRows` is large next to `table`'s
   * rows (else drops none, and `rebuild` has nothing to do). Must run in a transaction.
   */
  static dropFor(sqlite: BetterSqlite3.Database, table: string, names: readonly string[], expectedRows: number): DeferredIndexes {
    if (!sqlite.inTransaction) throw new Error('indexes can only be deferred inside a transaction');
    const existing = Number(sqlite.prepare(`SELECT coalesce(max(rowid), 0) FROM ${table}`).pluck().get());
    if (expectedRows === 0 || expectedRows < existing * DEFER_MIN_SHARE) return new DeferredIndexes(sqlite, []);
    const definition = sqlite.prepare("SELECT sql FROM sqlite_schema WHERE type = 'index' AND name = ? AND tbl_name = ?").pluck();
    const pending: string[] = [];
    for (const name of names) {
      const sql = definition.get(name, table) as string | null | undefined;
      if (typeof sql !== 'string') continue;
      sqlite.exec(`DROP INDEX ${name}`);
      pending.push(sql);
    }
    return new DeferredIndexes(sqlite, pending);
  }

  /**
   * Builds every dropped index again; safe to call more than once. The sort may use
   * a helper thread per core (by now the write's other threads are done), and runs
   * with a 4 MiB page cache: SQLite sorts in memory up to the cache's size. Building
   * the orders' customer index over 3M orders on its own peaked at 151 MiB and took
   * 2.99 s with a 32 MiB cache and a helper thread, 93 MiB and 2.10 s with 4 MiB
   * (shorter sorted runs, merged from a temporary file).
   */
  rebuild(): void {
    if (this.pending.length === 0) return;
    const threads = Number(this.sqlite.pragma('threads', { simple: true }));
    const cacheSize = Number(this.sqlite.pragma('cache_size', { simple: true }));
    this.sqlite.pragma(`threads = ${Math.max(0, availableParallelism() - 1)}`);
    this.sqlite.pragma(`cache_size = ${SORT_CACHE_SIZE}`);
    try {
      for (const sql of this.pending) this.sqlite.exec(sql);
    } finally {
      this.sqlite.pragma(`threads = ${threads}`);
      this.sqlite.pragma(`cache_size = ${cacheSize}`);
    }
    this.pending = [];
  }
}
