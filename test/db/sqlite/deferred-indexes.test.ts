import type BetterSqlite3 from 'better-sqlite3-multiple-ciphers';
import { describe, expect, it } from 'vitest';
import { DeferredIndexes } from '../../../src/db/sqlite/deferred-indexes.js';
import { openSqliteConnection } from '../../helpers/sqlite-connection.js';

/** A connection to a new custdb database, as an import holds it. */
type Store = { sqlite: BetterSqlite3.Database };

// A bulk orders import drops the orders' customer index and builds it at the end. Whatever
// happens in between, the database must come out with exactly the indexes it went in with.

async function storeWithOrders(orders: number): Promise<Store> {
  const store = await openSqliteConnection('custdb-deferred-');
  store.sqlite.exec("INSERT INTO customers (id, created_at, updated_at) VALUES (1, 'now', 'now')");
  const insert = store.sqlite.prepare(
    "INSERT INTO orders (customer_id, source, external_id, ordered_at, status, total_minor, created_at) VALUES (1, 'shop', ?, '2026-01-01', 'paid', 100, 'now')",
  );
  for (let i = 0; i < orders; i++) insert.run(`o${i}`);
  return store;
}

function indexes(store: Store): { name: string; sql: string }[] {
  return store.sqlite.prepare("SELECT name, sql FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'orders' AND sql IS NOT NULL ORDER BY name").all() as {
    name: string;
    sql: string;
  }[];
}

const plan = (store: Store) => store.sqlite.prepare('EXPLAIN QUERY PLAN SELECT * FROM orders WHERE customer_id = 1').all() as { detail: string }[];

describe('DeferredIndexes', () => {
  it('drops the named index for a large write and builds the same definition again', async () => {
    const store = await storeWithOrders(10);
    const before = indexes(store);
    store.sqlite.exec('BEGIN');
    const deferred = DeferredIndexes.dropFor(store.sqlite, 'orders', ['orders_customer_ordered', 'no_such_index'], 100);
    expect(indexes(store).map((i) => i.name)).not.toContain('orders_customer_ordered');
    const settings = () => [store.sqlite.pragma('cache_size', { simple: true }), store.sqlite.pragma('threads', { simple: true })];
    const usual = settings();
    deferred.rebuild();
    deferred.rebuild();
    // The rebuild's own cache size and sort threads are put back for the rest of the import.
    expect(settings()).toEqual(usual);
    store.sqlite.exec('COMMIT');
    expect(indexes(store)).toEqual(before);
    expect(plan(store).some((row) => row.detail.includes('orders_customer_ordered'))).toBe(true);
  });

  it('leaves the index in place when the transaction rolls back before the rebuild', async () => {
    const store = await storeWithOrders(10);
    const before = indexes(store);
    store.sqlite.exec('BEGIN');
    DeferredIndexes.dropFor(store.sqlite, 'orders', ['orders_customer_ordered'], 100);
    store.sqlite.exec('ROLLBACK');
    expect(indexes(store)).toEqual(before);
  });

  it('keeps the index when the write is small next to the table', async () => {
    const store = await storeWithOrders(1000);
    store.sqlite.exec('BEGIN');
    DeferredIndexes.dropFor(store.sqlite, 'orders', ['orders_customer_ordered'], 100);
    expect(indexes(store).map((i) => i.name)).toContain('orders_customer_ordered');
    store.sqlite.exec('COMMIT');
  });

  it('refuses to run outside a transaction, where a drop would be committed at once', async () => {
    const store = await storeWithOrders(0);
    expect(() => DeferredIndexes.dropFor(store.sqlite, 'orders', ['orders_customer_ordered'], 100)).toThrow(/transaction/);
    expect(indexes(store).map((i) => i.name)).toContain('orders_customer_ordered');
  });
});
