import type { LookupKeys, Store } from '../db/store.js';
import type { OrderWriter } from '../db/order-writer.js';
import { RowCustomerLinker, type UnknownCustomerPolicy } from '../identity/link-row-customer.js';
import { lookupKeysOf } from '../identity/match-customer.js';
import { warnAboutRecord } from '../import/import-batch.js';
import { rejectErased } from '../import/reject-erased.js';
import { runImport, type ImportCounts, type ImportKindModule, type ImportRunOptions, type ImportRunResult, type RowChunk, type RowsRun } from '../import/run-import.js';
import type { RecordMapping } from '../mapping/map-record-columns.js';
import type { OrderField } from '../model/order-fields.js';
import { mapOrderColumns, ORDER_VOCABULARY } from './map-order-columns.js';
import { deriveId } from '../import/derive-row-id.js';
import type { NormalizedOrder } from './normalize-order.js';
import { isBlankRow, type OrderGroup } from './normalize-order-batch.js';
import { normalizeOrdersInParallel } from './normalize-orders-in-parallel.js';
import { resolveRecordKindMapping, type RecordKind } from '../import/resolve-record-mapping.js';

export interface OrderImportOptions extends ImportRunOptions {
  /** What to do with an order whose customer is not in the database: create them from the order, or reject the order. */
  unknownCustomers: UnknownCustomerPolicy;
}

export interface OrderImportCounts extends ImportCounts {
  /** Orders read from the file (a multi-row order counts once); inserted/updated/unchanged are orders too. */
  orders: number;
  /** Line items written. */
  items: number;
  /** Customers created from orders whose customer was not known. */
  customersCreated: number;
  /** Products seen for the first time. */
  productsCreated: number;
  /** Orders rejected (their rows are in `rejected`). */
  ordersRejected: number;
  /** Orders the file gave no total for, by what custdb computed it from (said once, in a note). */
  totalsComputed: { subtotal: number; 'item prices': number };
}

export interface OrderImportResult extends ImportRunResult<'orders', OrderImportCounts> {
  unknownCustomers: UnknownCustomerPolicy;
}

/**
 * Imports an orders CSV as one transaction, like `importCustomers`: one row
 * per order, or one row per line item with the rows of an order grouped by
 * its id (totals from its first row, an item from every row). Rows without
 * an order id get one derived from their content, so importing the file
 * again changes nothing. Each order is linked to its customer by the
 * customer import's identity rules; unknown customers are created (or the
 * order rejected). An order already imported from the same source is left
 * as it is, except that a changed status (paid → refunded) is updated and
 * recorded. Throws only when it cannot run.
 */
export function importOrders(store: Store, options: OrderImportOptions): Promise<OrderImportResult> {
  return runImport(store, options, ORDERS);
}

/** How an orders file's columns are mapped, and the fields it cannot do without (any one of each group). */
const ORDER_COLUMNS: RecordKind<OrderField> = {
  vocabulary: { ...ORDER_VOCABULARY, kind: 'orders' },
  map: mapOrderColumns,
  requirements: [
    { fields: ['ordered_at'], what: 'the order date' },
    { fields: ['total', 'subtotal', 'item_price', 'item_total'], what: 'the order total' },
    { fields: ['customer_external_id', 'email', 'phone', 'full_name', 'last_name'], what: 'the customer (a customer id, email, phone or name)' },
  ],
};

/**
 * Orders files: mapped by preset or synonyms, read a batch at a time cut
 * where an order ends (standardised on a worker thread), each order linked
 * to its customer and written with its items.
 */
const ORDERS: ImportKindModule<OrderImportOptions, OrderImportResult, RecordMapping<OrderField>> = {
  kind: 'orders',
  // A line item takes ~100 bytes in a typical export: an upper bound on the orders, which is all the store needs.
  bytesPerRow: 100,

  resolveMapping: (store, probe, options) => resolveRecordKindMapping(store, probe.header, options, ORDER_COLUMNS, ['ordered_at', 'cancelled_at']),

  newCounts: () => ({ rows: 0, orders: 0, inserted: 0, updated: 0, unchanged: 0, rejected: 0, suspects: 0, items: 0, customersCreated: 0, productsCreated: 0, ordersRejected: 0, totalsComputed: { subtotal: 0, 'item prices': 0 } }),
  startResult: (common, options) => ({ ...common, unknownCustomers: options.unknownCustomers }),
  readRows,
  summaryOf: ({ counts: c }) => ({ orders: c.orders, items: c.items, customersCreated: c.customersCreated, productsCreated: c.productsCreated, totalsComputed: c.totalsComputed }),
  eventOf: ({ counts: c }) => ({ summary: `${c.inserted} orders (${c.items} items), ${c.customersCreated} new customers`, details: { kind: 'orders', counts: c } }),
};

/**
 * The file a batch at a time, each cut where an order ends: its orders are gathered (an order's rows follow its
 * first; one still open at a batch's end is finished by the next), then written in file order.
 */
async function* readRows(run: RowsRun<OrderImportOptions, OrderImportResult, RecordMapping<OrderField>>): AsyncGenerator<RowChunk> {
  const { options, result, csv, rejects, addWarning, meta, mapping } = run;
  const { batchId, now } = meta;
  const source = run.context.source;
  const customers = run.session.customers;
  const orders = run.session.orders;
  const hasOrderIds = mapping.columns.some((c) => c.target.kind === 'field' && c.target.field === 'order_id');
  if (!hasOrderIds) result.notes.push('the file has no order id column: each row is one order, with an id derived from its content (so importing it again changes nothing)');
  const linker = new RowCustomerLinker(customers, meta, options.unknownCustomers);

  const reject = (group: Group, reasons: readonly string[]) => {
    result.counts.ordersRejected += 1;
    result.counts.rejected += group.raw.length;
    for (const row of group.raw) rejects.add(row.line, row.cells, reasons);
  };

  const writeGroup = ({ group, externalId }: ReadyGroup) => {
    result.counts.orders += 1;
    const normalized = group.order.normalization;
    for (const warning of normalized.warnings) addWarning(warning.line, warning.field, warning.message);
    if (!normalized.ok) return reject(group, normalized.reasons);
    if (externalId === null) throw new Error(`line ${group.raw[0]?.line}: an order read without error has no id`);
    const order = normalized.order;
    if (order.totalComputedFrom !== null) result.counts.totalsComputed[order.totalComputedFrom] += 1;

    const existing = orders.findOrder(source, externalId);
    if (existing !== undefined) {
      if (existing.batch_id === batchId) {
        // More rows of an order met earlier in this file (not next to each other): add their items.
        result.counts.orders -= 1;
        writeItems(orders, existing.id, order, now, result);
      } else if (existing.status !== order.status) {
        orders.updateOrderStatus(existing.id, order.status);
        customers.recordChange(
          { batchId, eventId: null, customerId: existing.customer_id, entity: 'order', entityId: String(existing.id), action: 'update', field: 'status', oldValue: existing.status, newValue: order.status },
          now,
        );
        result.counts.updated += 1;
      } else {
        result.counts.unchanged += 1;
      }
      return;
    }

    if (rejectErased(run.suppressions, order.customer, group.raw, result.counts, rejects)) {
      result.counts.ordersRejected += 1;
      return;
    }
    const customer = linker.link(order.customer);
    if (customer.kind === 'unknown') {
      const who = order.customer.values.email ?? order.customer.values.phone ?? order.customer.externalIds[0]?.externalId ?? 'this customer';
      return reject(group, [`customer ${who} is not in the database (--unknown-customers reject)`]);
    }
    if (customer.kind === 'created') {
      result.counts.customersCreated += 1;
      if (customer.suspect) result.counts.suspects += 1;
    } else {
      result.matchedBy[customer.by] += 1;
    }
    const orderId = orders.insertOrder({
      customerId: customer.customerId,
      source,
      externalId,
      orderedAt: order.orderedAt,
      status: order.status,
      currency: order.currency,
      subtotalMinor: order.subtotalMinor,
      discountMinor: order.discountMinor,
      shippingMinor: order.shippingMinor,
      taxMinor: order.taxMinor,
      totalMinor: order.totalMinor,
      batchId,
      now,
    });
    if (orderId === null) throw new Error(`order ${source}:${externalId} appeared while it was being imported`);
    result.counts.inserted += 1;
    writeItems(orders, orderId, order, now, result);
  };

  const chunkOf = (groups: readonly Group[]): RowChunk => {
    const ready = groups.map((group) => ({ group, externalId: externalIdOf(group, orders) }));
    return { keys: lookupKeysOfOrders(ready), write: () => ready.forEach(writeGroup) };
  };

  let open: Group | null = null;
  for await (const { records, groups } of normalizeOrdersInParallel(csv.rows, mapping, run.context, { fileBytes: csv.totalBytes, threads: options.threads })) {
    const complete: Group[] = [];
    for (const record of records) {
      if (isBlankRow(record.cells)) continue;
      result.counts.rows += 1;
      warnAboutRecord(addWarning, record, csv.header.length);
      if (open !== null && open.raw.length < open.order.rows) {
        open.raw.push({ line: record.line, cells: record.cells });
        continue;
      }
      if (open !== null) complete.push(open);
      const order = groups.next();
      if (order.done === true) throw new Error(`line ${record.line} belongs to no order of its batch`);
      open = { order: order.value, raw: [{ line: record.line, cells: record.cells }] };
    }
    if (open !== null && open.raw.length === open.order.rows) {
      complete.push(open);
      open = null;
    }
    yield chunkOf(complete);
  }
  if (open !== null) yield chunkOf([open]);
  const computed = noteComputedTotals(result.counts.totalsComputed);
  if (computed !== null) result.notes.push(computed);
}

/** One note for every order whose total the file left out (a line-item file has none), or null. */
function noteComputedTotals(computed: OrderImportCounts['totalsComputed']): string | null {
  const total = computed.subtotal + computed['item prices'];
  if (total === 0) return null;
  const n = (count: number) => count.toLocaleString('en-US');
  const from = computed.subtotal === 0 ? 'their item prices' : computed['item prices'] === 0 ? 'their subtotals' : `their item prices (${n(computed['item prices'])}) or subtotals (${n(computed.subtotal)})`;
  return `${n(total)} order${total === 1 ? '' : 's'} had no total in the file: computed from ${from}, plus shipping and tax, less discounts`;
}

/** An order and the rows of the file it was read from (for the rejects file). */
interface Group {
  order: OrderGroup;
  raw: { line: number; cells: string[] }[];
}

/** An order ready to write: its external id (null when it is rejected). */
interface ReadyGroup {
  group: Group;
  externalId: string | null;
}

/**
 * The order's id in its source: the file's, or one derived from its content, with `-2`, `-3`, …
 * for the second and third identical rows of the file. Called once per order, in file order.
 */
function externalIdOf(group: Group, orders: OrderWriter): string | null {
  const normalized = group.order.normalization;
  if (!normalized.ok) return null;
  const order = normalized.order;
  const base = order.orderId ?? deriveId(order.contentKey ?? '');
  const occurrence = order.orderId === null ? orders.nextOccurrence(base) : 1;
  return occurrence === 1 ? base : `${base}-${occurrence}`;
}

/** What writing these orders may look up: their customers, their ids, and the products their items name. */
function lookupKeysOfOrders(ready: readonly ReadyGroup[]): LookupKeys {
  const written = ready.flatMap(({ group, externalId }) => (group.order.normalization.ok && externalId !== null ? [{ order: group.order.normalization.order, externalId }] : []));
  return {
    ...lookupKeysOf(written.map(({ order }) => order.customer)),
    orderIds: written.map(({ externalId }) => externalId),
    products: written.flatMap(({ order }) => order.items.filter((item) => item.named).map((item) => ({ sku: item.sku, name: item.name }))),
  };
}

function writeItems(writer: OrderWriter, orderId: number, order: NormalizedOrder, now: string, result: OrderImportResult): void {
  for (const item of order.items) {
    let productId: number | null = null;
    if (item.named) {
      const product = writer.product(item.sku, item.name, now);
      productId = product.id;
      if (product.created) result.counts.productsCreated += 1;
    }
    writer.insertItem({ orderId, productId, sku: item.sku, name: item.name, quantity: item.quantity, unitPriceMinor: item.unitPriceMinor, totalMinor: item.totalMinor });
    result.counts.items += 1;
  }
}

