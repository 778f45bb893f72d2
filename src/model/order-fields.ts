/**
 * The canonical order fields: what a column of an orders file can be mapped
 * to (`--map "Order #=order_id"`), snake_case like the customer fields.
 *
 * - Order-level fields (`order_id` … `cancelled_at`) are read from the first
 *   row of an order that has them; item fields (`item_*`) from every row.
 * - Customer fields (`customer_external_id` … `email_consent`) say whose
 *   order it is; an unknown customer is created from them, and a known one
 *   whose email consent is unknown gets it from the order.
 * - `items` is a packed list in one cell (WooCommerce `2× Hoodie, 1× Cap`).
 */
export const ORDER_FIELDS = [
  'order_id',
  'customer_external_id',
  'email',
  'phone',
  'first_name',
  'last_name',
  'full_name',
  'company',
  'address_line1',
  'address_line2',
  'city',
  'region',
  'postal_code',
  'country',
  'email_consent',
  'ordered_at',
  'status',
  'currency',
  'subtotal',
  'discount',
  'shipping',
  'tax',
  'total',
  'refunded',
  'cancelled_at',
  'item_sku',
  'item_name',
  'item_quantity',
  'item_price',
  'item_total',
  'items',
] as const;

export type OrderField = (typeof ORDER_FIELDS)[number];

/** Fields that say whose order it is; a customer is found (or created) from these. */
export const ORDER_CUSTOMER_FIELDS = [
  'customer_external_id',
  'email',
  'phone',
  'first_name',
  'last_name',
  'full_name',
  'company',
  'address_line1',
  'address_line2',
  'city',
  'region',
  'postal_code',
  'country',
  'email_consent',
] as const satisfies readonly OrderField[];

/** Fields of a line item: every row of an order contributes one item. */
export const ORDER_ITEM_FIELDS = ['item_sku', 'item_name', 'item_quantity', 'item_price', 'item_total'] as const satisfies readonly OrderField[];

/** Order statuses custdb stores; other words are kept lower-cased as written. */
export const ORDER_STATUSES = ['paid', 'pending', 'partially_refunded', 'refunded', 'cancelled', 'failed'] as const;
