import { Packer, packCustomerRecord, packStrings, Unpacker, unpackCustomerRecord, unpackStrings, type PackedRows } from '../import/record-codec.js';
import type { NormalizedOrder, OrderItemDraft, OrderWarning } from './normalize-order.js';
import type { OrderGroup } from './normalize-order-batch.js';

/**
 * Standardised orders packed for the trip back from the worker thread, in the
 * style of record-codec.ts: cloning ~600k orders with their customer records
 * field by field would cost the importing thread much of what the worker saves
 * it. Pure.
 */

const ACCEPTED = 1;
const REJECTED = 2;
/** Before each group (the number of groups is not known until the last is packed). */
const MORE = 1;
const END = 0;

/** Packs the groups as they come (each order can then die young), each behind a MORE mark, the whole behind END. */
export function packOrderGroups(groups: Iterable<OrderGroup>): PackedRows {
  const packer = new Packer();
  for (const { rows, keyed, normalization } of groups) {
    packer.row();
    packer.count(MORE);
    packer.count(rows);
    packer.count(keyed ? 1 : 0);
    packer.count(normalization.warnings.length);
    for (const warning of normalization.warnings) {
      packer.count(warning.line);
      packer.string(warning.field);
      packer.string(warning.message);
    }
    if (!normalization.ok) {
      packer.count(REJECTED);
      packStrings(packer, normalization.reasons);
      continue;
    }
    packer.count(ACCEPTED);
    const order = normalization.order;
    packer.string(order.orderId);
    packer.string(order.orderedAt);
    packer.string(order.status);
    packer.string(order.currency);
    packer.number(order.subtotalMinor);
    packer.number(order.discountMinor);
    packer.number(order.shippingMinor);
    packer.number(order.taxMinor);
    packer.number(order.totalMinor);
    packer.string(order.totalComputedFrom);
    packer.count(order.items.length);
    for (const item of order.items) {
      packer.string(item.sku);
      packer.string(item.name);
      packer.number(item.quantity);
      packer.number(item.unitPriceMinor);
      packer.number(item.totalMinor);
      packer.count(item.named ? 1 : 0);
    }
    packCustomerRecord(packer, order.customer);
    packer.string(order.contentKey);
  }
  packer.row();
  packer.count(END);
  return packer.finish();
}

/**
 * The groups one at a time, as the importer writes them: each order then dies
 * young, where unpacking a whole batch up front kept hundreds alive through
 * its writes and into the old generation (+120 MiB peak RSS for 1M rows).
 */
export function* unpackOrderGroups(packed: PackedRows): Generator<OrderGroup, void, undefined> {
  const unpacker = new Unpacker(packed);
  const amount = (): number => unpacker.number() ?? Number.NaN;
  for (;;) {
    unpacker.row();
    if (unpacker.count() !== MORE) return;
    const rows = unpacker.count();
    const keyed = unpacker.count() === 1;
    const warnings: OrderWarning[] = new Array(unpacker.count());
    for (let w = 0; w < warnings.length; w++) warnings[w] = { line: unpacker.count(), field: unpacker.text() as OrderWarning['field'], message: unpacker.text() };
    if (unpacker.count() === REJECTED) {
      yield { rows, keyed, normalization: { ok: false, reasons: unpackStrings(unpacker), warnings } };
      continue;
    }
    const orderId = unpacker.string();
    const orderedAt = unpacker.text();
    const status = unpacker.text();
    const currency = unpacker.string();
    const subtotalMinor = unpacker.number();
    const discountMinor = unpacker.number();
    const shippingMinor = unpacker.number();
    const taxMinor = unpacker.number();
    const totalMinor = amount();
    const totalComputedFrom = readTotalSource(unpacker.string());
    const items: OrderItemDraft[] = new Array(unpacker.count());
    for (let i = 0; i < items.length; i++) {
      items[i] = { sku: unpacker.string(), name: unpacker.text(), quantity: amount(), unitPriceMinor: unpacker.number(), totalMinor: unpacker.number(), named: unpacker.count() === 1 };
    }
    const customer = unpackCustomerRecord(unpacker);
    const contentKey = unpacker.string();
    yield {
      rows,
      keyed,
      normalization: {
        ok: true,
        order: { orderId, orderedAt, status, currency, subtotalMinor, discountMinor, shippingMinor, taxMinor, totalMinor, totalComputedFrom, items, customer, contentKey },
        warnings,
      },
    };
  }
}

function readTotalSource(text: string | null): NormalizedOrder['totalComputedFrom'] {
  return text === 'subtotal' || text === 'item prices' ? text : null;
}
