import { basename } from 'node:path';
import { recordEvent } from '../audit/record-event.js';
import { nowIso } from '../db/clock.js';
import { findPreviousImport } from '../db/import-batches.js';
import type { LookupKeys, Store } from '../db/store.js';
import type { OrderWriter } from '../db/order-writer.js';
import { translateDatabaseError } from '../db/translate-database-error.js';
import { openCsv } from '../csv/read-csv-file.js';
import type { ImportCounts, ImportOptions, ImportResult } from '../import/import-customers.js';
import { RejectsFile } from '../import/rejects-file.js';
import type { OrderField } from '../model/order-fields.js';
import { mapOrderColumns } from './map-order-columns.js';
import { deriveId, type NormalizedOrder } from './normalize-order.js';
import { isBlankRow, type OrderGroup } from './normalize-order-batch.js';
import { normalizeOrdersInParallel } from './normalize-orders-in-parallel.js';
import { recordDateColumns, describeRecordMapping, resolveRecordMapping } from './record-import-kit.js';
import { defaultRejectsPath } from '../import/rejects-file.js';
import { probeImportFile } from '../import/probe-import-file.js';
import { decideDateOrder } from '../import/decide-date-order.js';
import { getSetting } from '../setup/settings.js';
import { RowCustomerLinker, type UnknownCustomerPolicy } from '../identity/link-row-customer.js';
import { lookupKeysOf } from '../identity/match-customer.js';
import { beginImportBatch, countWarnings, settleImport, warnAboutRecord } from '../import/import-batch.js';

export interface OrderImportOptions extends Omit<ImportOptions, 'update'> {
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

export interface OrderImportResult extends Omit<ImportResult, 'kind' | 'counts'> {
  kind: 'orders';
  counts: OrderImportCounts;
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
export async function importOrders(store: Store, options: OrderImportOptions): Promise<OrderImportResult> {
  const started = Date.now();
  const probe = await probeImportFile(options);
  const resolved = resolveRecordMapping<OrderField>('orders', probe.header, options, mapOrderColumns, [
    { fields: ['ordered_at'], what: 'the order date' },
    { fields: ['total', 'subtotal', 'item_price', 'item_total'], what: 'the order total' },
    { fields: ['customer_external_id', 'email', 'phone', 'full_name', 'last_name'], what: 'the customer (a customer id, email, phone or name)' },
  ]);
  const source = options.source ?? resolved.source ?? 'csv';
  const sha256 = await probe.sha256();
  const notes = [...probe.notes, ...resolved.notes];
  const result: OrderImportResult = {
    status: 'imported',
    batchId: null,
    previousBatchId: null,
    file: options.file,
    sha256,
    kind: 'orders',
    source,
    preset: resolved.mapping.preset,
    encoding: probe.encoding,
    encodingAssumed: probe.encodingAssumed,
    delimiter: probe.delimiter,
    dateOrder: null,
    mapping: describeRecordMapping(resolved.mapping),
    counts: { rows: 0, orders: 0, inserted: 0, updated: 0, unchanged: 0, rejected: 0, suspects: 0, items: 0, customersCreated: 0, productsCreated: 0, ordersRejected: 0, totalsComputed: { subtotal: 0, 'item prices': 0 } },
    matchedBy: { external_id: 0, email: 0, phone: 0 },
    warnings: {},
    warningExamples: [],
    warningsUnlisted: 0,
    rejectsFile: null,
    maxRejects: 0,
    elapsedMs: 0,
    notes,
    unknownCustomers: options.unknownCustomers,
  };

  const previous = await findPreviousImport(store, source, sha256);
  if (previous !== undefined && !options.force) {
    result.status = 'already-imported';
    result.previousBatchId = previous;
    result.elapsedMs = Date.now() - started;
    return result;
  }

  const dateDecision = await decideDateOrder(options, probe, recordDateColumns(resolved.mapping, ['ordered_at', 'cancelled_at']));
  result.dateOrder = dateDecision.order;
  if (dateDecision.note) notes.push(dateDecision.note);
  const hasOrderIds = resolved.mapping.columns.some((c) => c.target.kind === 'field' && c.target.field === 'order_id');
  if (!hasOrderIds) notes.push('the file has no order id column: each row is one order, with an id derived from its content (so importing it again changes nothing)');

  const defaultCountry = options.defaultCountry ?? (await getSetting(store, 'default-country')) ?? null;
  const csv = await openCsv(options.file, { encoding: options.encoding, delimiter: options.delimiter });
  const rejects = new RejectsFile(options.rejectsFile ?? defaultRejectsPath(options.file), csv.header, csv);
  const now = nowIso();
  const context = { source, defaultCountry, dateOrder: dateDecision.order, dateOrderConflict: dateDecision.conflict };

  // A line item takes ~100 bytes in a typical export: an upper bound on the orders, which is all the store needs.
  const expectedRows = Math.ceil(csv.totalBytes / 100);
  const session = await beginImportBatch(store, csv, { kind: 'orders', source, file: options.file, sha256, startedAt: now, mapping: result.mapping, actor: options.actor, expectedRows });
  const batchId = session.batchId;
  result.batchId = batchId;
  const customers = session.customers;
  const orders = session.orders;
  const addWarning = countWarnings(result, (warning) => session.addWarning(warning));
  try {
    const linker = new RowCustomerLinker(customers, { batchId, now, consentSource: `import:${source}` }, options.unknownCustomers);

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

    // The file is read a batch at a time, each cut where an order ends: its orders are gathered (an order's rows
    // follow its first), the store is handed what they will look up, then they are written in file order.
    let open: Group | null = null;
    for await (const { records, groups } of normalizeOrdersInParallel(csv.rows, resolved.mapping, context, { fileBytes: csv.totalBytes, threads: options.threads })) {
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
      const ready = complete.map((group) => ({ group, externalId: externalIdOf(group, orders) }));
      await session.prepare(lookupKeysOfOrders(ready));
      for (const item of ready) writeGroup(item);
      await session.flush();
      options.onProgress?.(csv.bytesRead(), csv.totalBytes, result.counts.rows);
    }
    if (open !== null) {
      const ready = [{ group: open, externalId: externalIdOf(open, orders) }];
      await session.prepare(lookupKeysOfOrders(ready));
      writeGroup(ready[0]!);
      await session.flush();
    }
    const computed = noteComputedTotals(result.counts.totalsComputed);
    if (computed !== null) notes.push(computed);

    await settleImport(session, result, rejects, options, now);

    if (result.status === 'imported') {
      result.elapsedMs = Date.now() - started;
      const c = result.counts;
      await session.finish(c, JSON.stringify({ warnings: result.warnings, matchedBy: result.matchedBy, orders: c.orders, items: c.items, customersCreated: c.customersCreated, productsCreated: c.productsCreated, totalsComputed: c.totalsComputed }), nowIso());
      await recordEvent(session.db, {
        actor: options.actor,
        command: 'import',
        summary: `imported ${basename(options.file)} as batch ${batchId}: ${c.inserted} orders (${c.items} items), ${c.customersCreated} new customers`,
        details: { batchId, source, kind: 'orders', counts: c },
      });
      await session.commit();
    } else {
      result.batchId = null;
    }
  } catch (error) {
    rejects.discard();
    csv.close();
    throw translateDatabaseError(error, store.location);
  } finally {
    await session.close();
  }
  result.elapsedMs = Date.now() - started;
  return result;
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

