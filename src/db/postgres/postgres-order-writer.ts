import type pg from 'pg';
import { INTERACTION_COLUMNS, interactionValues, ORDER_COLUMNS, orderValues, type InteractionInsert, type OrderInsert, type OrderItemInsert, type OrderWriter, type StoredOrder } from '../order-writer.js';
import type { LookupKeys } from '../store.js';
import { CopyRows, refuseNul } from './copy-rows.js';
import type { KeyFilter } from '../key-filter.js';
import type { ImportIds } from './import-ids.js';

/** Where an order's status sits in its buffered row: after its id, in ORDER_COLUMNS order. */
const STATUS_INDEX = 1 + ORDER_COLUMNS.indexOf('status');

type StoredInteraction = { id: number; customer_id: number; batch_id: number | null };

/**
 * The order writer on PostgreSQL, answering from memory like
 * PostgresCustomerWriter: `load` reads the chunk's orders and interactions
 * (by external id, of the import's source) and products that memory does not
 * hold yet; inserts and status changes update memory and are buffered until
 * the session takes them (`takeWrites`: COPY, and one UPDATE … FROM unnest
 * for statuses of orders already in the table). A lookup no chunk's keys
 * named throws (a bug in the caller).
 */
export class PostgresOrderWriter implements OrderWriter {
  /** source\0external id → the order, or null when there is none. */
  private readonly orders = new Map<string, StoredOrder | null>();
  private readonly interactions = new Map<string, StoredInteraction | null>();
  /** sku\0name → product id, or null when there is none. */
  private readonly products = new Map<string, number | null>();
  /** Order id → its key in `orders`, for the orders the chunk knows. */
  private readonly orderKeys = new Map<number, string>();
  /** Orders of this chunk, by id, for status changes. */
  private newOrders = new Map<number, (string | number | null)[]>();
  private statusUpdates = new Map<number, string>();
  /**
   * Rows seen per key, for the whole import: one entry (about 100 bytes) per distinct
   * content of a row without an id, so it grows with such a file (SQLite keeps them in a
   * temporary table instead).
   */
  private readonly occurrences = new Map<string, number>();

  private readonly itemRows = new CopyRows('order_items', ['id', 'order_id', 'product_id', 'sku', 'name', 'quantity', 'unit_price_minor', 'total_minor']);
  private readonly productRows = new CopyRows('products', ['id', 'sku', 'name', 'created_at']);
  private readonly interactionRows = new CopyRows('interactions', ['id', ...INTERACTION_COLUMNS]);

  /**
   * `known`: the external ids of the import's source its kind of records (orders, or interactions) may have in
   * the table (readRecordKeys); undefined to ask the table about every one.
   */
  constructor(
    private readonly ids: ImportIds,
    private readonly source: string,
    private readonly known: KeyFilter | undefined,
  ) {}

  /** Reads the orders, interactions and products this chunk names that memory does not hold yet; `ready` is awaited before any query. */
  async load(client: pg.ClientBase, keys: LookupKeys, ready: () => Promise<void>): Promise<void> {
    const mightBeStored = (id: string) => this.known === undefined || this.known.mightContain(id);
    const orderIds = unknown(keys.orderIds ?? [], (id) => recordKey(this.source, id), this.orders).filter(mightBeStored);
    const interactionIds = unknown(keys.interactionIds ?? [], (id) => recordKey(this.source, id), this.interactions).filter(mightBeStored);
    const products = unknown(keys.products ?? [], (p) => productKey(p.sku, p.name), this.products);
    for (const id of [...orderIds, ...interactionIds]) refuseNul(id, 'an order or interaction id');
    for (const p of products) refuseNul(`${p.sku ?? ''}${p.name}`, 'a product');
    if (orderIds.length + interactionIds.length + products.length > 0) await ready();
    if (orderIds.length > 0) {
      const { rows } = await client.query<StoredOrder & { external_id: string }>({
        name: 'custdb_import_orders',
        text: 'SELECT id, customer_id, status, batch_id, external_id FROM orders WHERE source = $1 AND external_id = ANY($2::text[])',
        values: [this.source, orderIds],
      });
      for (const { external_id, ...order } of rows) {
        const key = recordKey(this.source, external_id);
        this.orders.set(key, order);
        this.orderKeys.set(order.id, key);
      }
    }
    if (interactionIds.length > 0) {
      const { rows } = await client.query<StoredInteraction & { external_id: string }>({
        name: 'custdb_import_interactions',
        text: 'SELECT id, customer_id, batch_id, external_id FROM interactions WHERE source = $1 AND external_id = ANY($2::text[])',
        values: [this.source, interactionIds],
      });
      for (const { external_id, ...interaction } of rows) this.interactions.set(recordKey(this.source, external_id), interaction);
    }
    if (products.length > 0) {
      // The lowest id when (NULL, name) is there twice (a unique constraint lets NULLs repeat).
      const { rows } = await client.query<{ id: number; sku: string | null; name: string }>({
        name: 'custdb_import_products',
        text: `SELECT min(p.id) AS id, p.sku, p.name FROM unnest($1::text[], $2::text[]) AS k(sku, name)
                 JOIN products p ON p.sku = k.sku AND p.name = k.name GROUP BY p.sku, p.name
               UNION ALL
               SELECT min(p.id), NULL, p.name FROM unnest($1::text[], $2::text[]) AS k(sku, name)
                 JOIN products p ON p.sku IS NULL AND p.name = k.name WHERE k.sku IS NULL GROUP BY p.name`,
        values: [products.map((p) => p.sku), products.map((p) => p.name)],
      });
      for (const row of rows) this.products.set(productKey(row.sku, row.name), row.id);
    }
  }

  insertOrder(order: OrderInsert): number | null {
    const key = recordKey(order.source, order.externalId);
    if (this.prepared(this.orders, key, `the order ${order.source}:${order.externalId}`) !== null) return null;
    const id = this.ids.next('orders');
    this.newOrders.set(id, [id, ...orderValues(order)]);
    this.orders.set(key, { id, customer_id: order.customerId, status: order.status, batch_id: order.batchId });
    this.orderKeys.set(id, key);
    if (order.source === this.source) this.known?.add(order.externalId);
    return id;
  }

  findOrder(source: string, externalId: string): StoredOrder | undefined {
    const order = this.prepared(this.orders, recordKey(source, externalId), `the order ${source}:${externalId}`);
    return order === null ? undefined : { ...order };
  }

  updateOrderStatus(orderId: number, status: string): void {
    const key = this.orderKeys.get(orderId);
    const order = key === undefined ? undefined : this.orders.get(key);
    if (key !== undefined && order) this.orders.set(key, { ...order, status });
    const fresh = this.newOrders.get(orderId);
    if (fresh !== undefined) fresh[STATUS_INDEX] = status;
    else this.statusUpdates.set(orderId, status);
  }

  insertItem(item: OrderItemInsert): void {
    this.itemRows.add([this.ids.next('order_items'), item.orderId, item.productId, item.sku, item.name, item.quantity, item.unitPriceMinor, item.totalMinor]);
  }

  product(sku: string | null, name: string, now: string): { id: number; created: boolean } {
    const key = productKey(sku, name);
    const known = this.prepared(this.products, key, `the product ${sku ?? ''} ${name}`);
    if (known !== null) return { id: known, created: false };
    const id = this.ids.next('products');
    this.productRows.add([id, sku, name, now]);
    this.products.set(key, id);
    return { id, created: true };
  }

  insertInteraction(interaction: InteractionInsert): number | null {
    const key = recordKey(interaction.source, interaction.externalId);
    if (this.prepared(this.interactions, key, `the interaction ${interaction.source}:${interaction.externalId}`) !== null) return null;
    const id = this.ids.next('interactions');
    this.interactionRows.add([id, ...interactionValues(interaction)]);
    this.interactions.set(key, { id, customer_id: interaction.customerId, batch_id: interaction.batchId });
    if (interaction.source === this.source) this.known?.add(interaction.externalId);
    return id;
  }

  findInteraction(source: string, externalId: string): StoredInteraction | undefined {
    const interaction = this.prepared(this.interactions, recordKey(source, externalId), `the interaction ${source}:${externalId}`);
    return interaction === null ? undefined : { ...interaction };
  }

  nextOccurrence(key: string): number {
    const n = (this.occurrences.get(key) ?? 0) + 1;
    this.occurrences.set(key, n);
    return n;
  }

  /** Rows waiting to be taken by `takeWrites`. */
  get bufferedRows(): number {
    return this.newOrders.size + this.statusUpdates.size + this.itemRows.size + this.productRows.size + this.interactionRows.size;
  }

  /** How many orders, interactions and products memory holds. */
  get memorySize(): number {
    return this.orders.size + this.interactions.size + this.products.size;
  }

  /** Forgets everything read; only when nothing waits to be written. */
  forget(): void {
    if (this.bufferedRows > 0) throw new Error('the order writer was asked to forget writes not yet taken');
    this.orders.clear();
    this.interactions.clear();
    this.products.clear();
    this.orderKeys.clear();
  }

  /** Takes every buffered write, now, and returns what writes them: products, orders, status changes, items and interactions, in an order their foreign keys allow. */
  takeWrites(): (client: pg.ClientBase) => Promise<void> {
    const products = this.productRows.take();
    const orders = new CopyRows('orders', ['id', ...ORDER_COLUMNS]);
    for (const row of this.newOrders.values()) orders.add(row);
    this.newOrders.clear();
    const statuses = [...this.statusUpdates];
    this.statusUpdates.clear();
    for (const [, status] of statuses) refuseNul(status, 'orders.status');
    const items = this.itemRows.take();
    const interactions = this.interactionRows.take();
    return async (client) => {
      await products.copyInto(client);
      await orders.copyInto(client);
      if (statuses.length > 0) {
        await client.query({
          name: 'custdb_import_order_statuses',
          text: 'UPDATE orders AS o SET status = u.status FROM unnest($1::int[], $2::text[]) AS u(id, status) WHERE o.id = u.id',
          values: [statuses.map(([id]) => id), statuses.map(([, status]) => status)],
        });
      }
      await items.copyInto(client);
      await interactions.copyInto(client);
    };
  }

  /** Memory's entry for `key` (null: none there); throws when no chunk's keys named it. */
  private prepared<T>(map: Map<string, T | null>, key: string, what: string): T | null {
    const value = map.get(key);
    if (value === undefined) throw new Error(`${what} was looked up in a PostgreSQL import without being among the keys handed to prepare (ImportSession.prepare)`);
    return value;
  }
}

/** Of `keys`, those memory has no entry for (each once), entered as "none" until the table says otherwise. */
function unknown<K>(keys: readonly K[], keyOf: (key: K) => string, memory: Map<string, unknown>): K[] {
  const fresh: K[] = [];
  for (const key of keys) {
    const k = keyOf(key);
    if (memory.has(k)) continue;
    memory.set(k, null);
    fresh.push(key);
  }
  return fresh;
}

function recordKey(source: string, externalId: string): string {
  return `${source}\u0000${externalId}`;
}

function productKey(sku: string | null, name: string): string {
  return `${sku === null ? '\u0000' : `s${sku}`}\u0000${name}`;
}
