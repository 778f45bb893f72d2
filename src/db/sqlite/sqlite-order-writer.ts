import type BetterSqlite3 from 'better-sqlite3-multiple-ciphers';
import { KeyFilter } from '../key-filter.js';
import { INTERACTION_COLUMNS, interactionValues, ORDER_COLUMNS, orderValues, type InteractionInsert, type OrderInsert, type OrderItemInsert, type OrderWriter, type StoredOrder } from '../order-writer.js';

/** Below this many orders per existing order, reading a source's order ids into a filter costs more than it saves. */
const FILTER_MIN_SHARE = 1 / 8;

export interface OrderWriterOptions {
  /** The source a large import writes orders for, and about how many: turns on the order id filter. */
  bulk?: { source: string; expectedOrders: number };
}

/** Product ids kept in memory at most; past this the cache starts again (memory stays bounded). */
const PRODUCT_CACHE_LIMIT = 50_000;

/**
 * The order writer on SQLite: prepared statements for orders, their items,
 * products and interactions on the import's open transaction (the orders
 * import hot path). Nothing here commits. Ids for rows without one are
 * counted per import in a temporary table (`nextOccurrence`), so the third
 * identical till row of a file is always `…-3`, however often it is imported.
 */
export class SqliteOrderWriter implements OrderWriter {
  private readonly statements;
  private readonly products = new Map<string, number>();
  private occurrence: BetterSqlite3.Statement | undefined;

  /** Order ids of `bulk.source` that may exist; absent for small writes to a large table. */
  private readonly known: { source: string; ids: KeyFilter } | undefined;

  constructor(
    private readonly sqlite: BetterSqlite3.Database,
    options: OrderWriterOptions = {},
  ) {
    this.statements = {
      insertOrder: sqlite.prepare(
        `INSERT INTO orders (${ORDER_COLUMNS.join(', ')}) VALUES (${ORDER_COLUMNS.map(() => '?').join(', ')}) ON CONFLICT (source, external_id) DO NOTHING`,
      ),
      findOrder: sqlite.prepare('SELECT id, customer_id, status, batch_id FROM orders WHERE source = ? AND external_id = ?'),
      updateOrderStatus: sqlite.prepare('UPDATE orders SET status = ? WHERE id = ?'),
      insertItem: sqlite.prepare(
        'INSERT INTO order_items (order_id, product_id, sku, name, quantity, unit_price_minor, total_minor) VALUES (?, ?, ?, ?, ?, ?, ?)',
      ),
      findProduct: sqlite.prepare('SELECT id FROM products WHERE sku IS ? AND name = ?').pluck(),
      insertProduct: sqlite.prepare('INSERT INTO products (sku, name, created_at) VALUES (?, ?, ?)'),
      insertInteraction: sqlite.prepare(
        `INSERT INTO interactions (${INTERACTION_COLUMNS.join(', ')}) VALUES (${INTERACTION_COLUMNS.map(() => '?').join(', ')})
         ON CONFLICT (source, external_id) WHERE external_id IS NOT NULL DO NOTHING`,
      ),
      findInteraction: sqlite.prepare('SELECT id, customer_id, batch_id FROM interactions WHERE source = ? AND external_id = ?'),
    };
    this.known = options.bulk && this.loadKnownOrders(options.bulk.source, options.bulk.expectedOrders);
  }

  /** Inserts an order; returns its id, or null when (source, external id) is already there. */
  insertOrder(order: OrderInsert): number | null {
    const result = this.statements.insertOrder.run(...orderValues(order));
    if (result.changes === 0) return null;
    if (this.known?.source === order.source) this.known.ids.add(order.externalId);
    return Number(result.lastInsertRowid);
  }

  findOrder(source: string, externalId: string): StoredOrder | undefined {
    if (this.known?.source === source && !this.known.ids.mightContain(externalId)) return undefined;
    return this.statements.findOrder.get(source, externalId) as StoredOrder | undefined;
  }

  updateOrderStatus(orderId: number, status: string): void {
    this.statements.updateOrderStatus.run(status, orderId);
  }

  insertItem(item: OrderItemInsert): void {
    this.statements.insertItem.run(item.orderId, item.productId, item.sku, item.name, item.quantity, item.unitPriceMinor, item.totalMinor);
  }

  /** The product with this sku and name, created if new; `created` says which. */
  product(sku: string | null, name: string, now: string): { id: number; created: boolean } {
    const key = `${sku ?? ''}\u0000${name}`;
    const cached = this.products.get(key);
    if (cached !== undefined) return { id: cached, created: false };
    let id = this.statements.findProduct.get(sku, name) as number | undefined;
    let created = false;
    if (id === undefined) {
      id = Number(this.statements.insertProduct.run(sku, name, now).lastInsertRowid);
      created = true;
    }
    if (this.products.size >= PRODUCT_CACHE_LIMIT) this.products.clear();
    this.products.set(key, id);
    return { id, created };
  }

  /** Inserts an interaction; returns its id, or null when (source, external id) is already there. */
  insertInteraction(interaction: InteractionInsert): number | null {
    const result = this.statements.insertInteraction.run(...interactionValues(interaction));
    return result.changes === 0 ? null : Number(result.lastInsertRowid);
  }

  findInteraction(source: string, externalId: string): { id: number; customer_id: number; batch_id: number | null } | undefined {
    return this.statements.findInteraction.get(source, externalId) as { id: number; customer_id: number; batch_id: number | null } | undefined;
  }

  /** 1 the first time `key` is seen in this import, 2 the second time, … (kept in a temporary table, not in memory). */
  nextOccurrence(key: string): number {
    if (this.occurrence === undefined) {
      this.sqlite.exec('CREATE TEMP TABLE IF NOT EXISTS custdb_row_occurrences (key TEXT PRIMARY KEY, n INTEGER NOT NULL) WITHOUT ROWID');
      this.sqlite.exec('DELETE FROM temp.custdb_row_occurrences');
      this.occurrence = this.sqlite
        .prepare('INSERT INTO temp.custdb_row_occurrences (key, n) VALUES (?, 1) ON CONFLICT (key) DO UPDATE SET n = n + 1 RETURNING n')
        .pluck();
    }
    return this.occurrence.get(key) as number;
  }

  /**
   * Reads the source's order ids into a filter when this import is large next to the
   * orders table (an empty table needs no reading at all); undefined otherwise, and
   * every lookup then asks the database.
   */
  private loadKnownOrders(source: string, expectedOrders: number): { source: string; ids: KeyFilter } | undefined {
    const existing = Number(this.sqlite.prepare('SELECT coalesce(max(id), 0) FROM orders').pluck().get());
    if (expectedOrders === 0 || expectedOrders < existing * FILTER_MIN_SHARE) return undefined;
    const ids = new KeyFilter(existing + expectedOrders);
    if (existing > 0) {
      for (const id of this.sqlite.prepare('SELECT external_id FROM orders WHERE source = ?').pluck().iterate(source)) ids.add(id as string);
    }
    return { source, ids };
  }

  /** Drops the temporary occurrence counts (call once the import is over, committed or not). */
  dispose(): void {
    if (this.occurrence !== undefined) this.sqlite.exec('DROP TABLE IF EXISTS temp.custdb_row_occurrences');
    this.occurrence = undefined;
  }
}
