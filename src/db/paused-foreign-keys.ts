import type BetterSqlite3 from 'better-sqlite3';

/**
 * Turns SQLite's row-by-row foreign key checks off on this connection until
 * the returned function is called. For an orders import: each order's check
 * reads its customer's row, a random page once the customers outgrow the page
 * cache, and at 5M rows those reads were a third of the import. The import's
 * own lookups are what its ids come from, so it checks them once, as a set,
 * before committing (`ordersWithoutCustomer`). Must be called outside a
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

/**
 * How many of the batch's orders name a customer that does not exist: what the
 * paused checks would have refused. Reads the customers in id order, so it
 * costs a sort of the batch's customer ids rather than a random read per order.
 */
export function ordersWithoutCustomer(sqlite: BetterSqlite3.Database, batchId: number): number {
  const sql = `SELECT count(*) FROM (SELECT DISTINCT customer_id AS id FROM orders WHERE batch_id = ?) AS b
               WHERE NOT EXISTS (SELECT 1 FROM customers c WHERE c.id = b.id)`;
  return Number(sqlite.prepare(sql).pluck().get(batchId));
}
