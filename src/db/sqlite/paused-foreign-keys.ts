import type BetterSqlite3 from 'better-sqlite3-multiple-ciphers';

/**
 * Turns SQLite's row-by-row foreign key checks off on this connection until
 * the returned function is called. For an orders or interactions import: each row's check
 * reads its customer's row, a random page once the customers outgrow the page
 * cache, and at 5M rows those reads were a third of the import. Items name
 * the order and product the import has just written or read; the customers
 * are what it looked up, so those it checks, once, as a set, before committing
 * (`refreshBatchCustomerMetrics` counts the missing ones, and the import
 * session refuses them). Must be called outside a
 * transaction (SQLite ignores the pragma inside one) and undone before the
 * connection is used for anything else.
 */
export function pauseForeignKeys(sqlite: BetterSqlite3.Database): () => void {
  if (sqlite.inTransaction) throw new Error('foreign key checks can only be paused outside a transaction');
  sqlite.pragma('foreign_keys = OFF');
  let resumed = false;
  return () => {
    if (resumed) return;
    resumed = true;
    sqlite.pragma('foreign_keys = ON');
  };
}
