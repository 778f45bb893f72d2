/** An order already in the store, as a re-import sees it. */
export interface StoredOrder {
  id: number;
  customer_id: number;
  status: string;
  batch_id: number | null;
}

export interface OrderInsert {
  customerId: number;
  source: string;
  externalId: string;
  orderedAt: string;
  status: string;
  currency: string | null;
  subtotalMinor: number | null;
  discountMinor: number | null;
  shippingMinor: number | null;
  taxMinor: number | null;
  totalMinor: number;
  batchId: number;
  now: string;
}

export interface OrderItemInsert {
  orderId: number;
  productId: number | null;
  sku: string | null;
  name: string;
  quantity: number;
  unitPriceMinor: number | null;
  totalMinor: number | null;
}

export interface InteractionInsert {
  customerId: number;
  occurredAt: string;
  channel: string | null;
  kind: string;
  summary: string | null;
  outcome: string | null;
  staff: string | null;
  source: string;
  externalId: string;
  batchId: number;
  now: string;
}

/**
 * What an orders or interactions import reads and writes, row by row, inside
 * its transaction (each dialect implements it in its folder; see
 * CustomerWriter for why the methods are synchronous).
 */
export interface OrderWriter {
  /** Inserts an order; returns its id, or null when (source, external id) is already there. */
  insertOrder(order: OrderInsert): number | null;
  findOrder(source: string, externalId: string): StoredOrder | undefined;
  updateOrderStatus(orderId: number, status: string): void;
  insertItem(item: OrderItemInsert): void;
  /** The product with this sku and name, created if new; `created` says which. */
  product(sku: string | null, name: string, now: string): { id: number; created: boolean };
  /** Inserts an interaction; returns its id, or null when (source, external id) is already there. */
  insertInteraction(interaction: InteractionInsert): number | null;
  findInteraction(source: string, externalId: string): { id: number; customer_id: number; batch_id: number | null } | undefined;
  /** 1 the first time `key` is seen in this import, 2 the second time, … */
  nextOccurrence(key: string): number;
}

/** The columns a new order is written with: one spelling for every dialect's writer (`orderValues` gives its values in this order). */
export const ORDER_COLUMNS = [
  'customer_id',
  'source',
  'external_id',
  'ordered_at',
  'status',
  'currency',
  'subtotal_minor',
  'discount_minor',
  'shipping_minor',
  'tax_minor',
  'total_minor',
  'batch_id',
  'created_at',
] as const;

/** An order's values in ORDER_COLUMNS order. */
export function orderValues(order: OrderInsert): (string | number | null)[] {
  return [
    order.customerId,
    order.source,
    order.externalId,
    order.orderedAt,
    order.status,
    order.currency,
    order.subtotalMinor,
    order.discountMinor,
    order.shippingMinor,
    order.taxMinor,
    order.totalMinor,
    order.batchId,
    order.now,
  ];
}

/** The columns a new interaction is written with (`interactionValues` gives its values in this order). */
export const INTERACTION_COLUMNS = ['customer_id', 'occurred_at', 'channel', 'kind', 'summary', 'outcome', 'staff', 'source', 'external_id', 'batch_id', 'created_at'] as const;

/** An interaction's values in INTERACTION_COLUMNS order. */
export function interactionValues(interaction: InteractionInsert): (string | number | null)[] {
  return [
    interaction.customerId,
    interaction.occurredAt,
    interaction.channel,
    interaction.kind,
    interaction.summary,
    interaction.outcome,
    interaction.staff,
    interaction.source,
    interaction.externalId,
    interaction.batchId,
    interaction.now,
  ];
}
