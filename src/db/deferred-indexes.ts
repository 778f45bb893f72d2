import { availableParallelism } from 'node:os';
import type BetterSqlite3 from 'better-sqlite3';

/**
 * A bulk write adds this many rows per row already in the table, or more,
 * before its indexes are dropped and built again: below it, one sort of the
 * whole table at the end costs more than the row-by-row inserts it saves.
 */
const DEFER_MIN_SHARE = 1 / 4;

/**
 * Indexes dropped for the length of a bulk write and built again at its end,
 * both inside the caller's open transaction. An index whose keys arrive in
 * random order (customer ids, emails) costs a B-tree descent and, once it
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
   * a helper thread per core: by now the write's other threads are done.
   */
  rebuild(): void {
    if (this.pending.length === 0) return;
    const threads = Number(this.sqlite.pragma('threads', { simple: true }));
    this.sqlite.pragma(`threads = ${Math.max(0, availableParallelism() - 1)}`);
    try {
      for (const sql of this.pending) this.sqlite.exec(sql);
    } finally {
      this.sqlite.pragma(`threads = ${threads}`);
    }
    this.pending = [];
  }
}
