import { describe, expect, it } from 'vitest';
import { deriveId } from '../../../src/import/derive-row-id.js';
import { decideStatus, normalizeOrder, parsePackedItems, type OrderRow } from '../../../src/orders/normalize-order.js';

const ctx = { source: 'shop', defaultCountry: 'US', dateOrder: null, dateOrderConflict: false };

describe('normalizeOrder', () => {
  it('takes totals from the first row and an item from every row (Shopify shape)', () => {
    const rows: OrderRow[] = [
      { line: 2, fields: { order_id: '#1044', email: 'Test1@Gmail.com', status: 'paid', currency: 'INR', subtotal: '16292.00', tax: '1466.28', total: '17758.28', ordered_at: '2025-12-06 10:36:16 -0500', item_quantity: '3', item_name: 'Candle', item_price: '899.00', item_sku: 'SC-1', full_name: 'ram a', country: 'IN' } },
      { line: 3, fields: { order_id: '#1044', email: 'test1@gmail.com', ordered_at: '2025-12-06 10:36:16 -0500', item_quantity: '1', item_name: 'Wallet', item_price: '3499.00', item_sku: 'LW-1' } },
    ];
    const result = normalizeOrder(rows, ctx);
    if (!result.ok) throw new Error(result.reasons.join('; '));
    expect(result.order).toMatchObject({
      orderId: '#1044',
      orderedAt: '2025-12-06T15:36:16.000Z',
      status: 'paid',
      currency: 'INR',
      subtotalMinor: 1629200,
      taxMinor: 146628,
      totalMinor: 1775828,
      contentKey: null,
    });
    expect(result.order.items).toEqual([
      { sku: 'SC-1', name: 'Candle', quantity: 3, unitPriceMinor: 89900, totalMinor: 269700, named: true },
      { sku: 'LW-1', name: 'Wallet', quantity: 1, unitPriceMinor: 349900, totalMinor: 349900, named: true },
    ]);
    expect(result.order.customer.values).toMatchObject({ email_norm: 'test1@gmail.com', first_name: 'Ram', last_name: 'A', country: 'IN' });
  });

  it('rejects an order with no date, no total, or nothing that says whose it is', () => {
    const noDate = normalizeOrder([{ line: 2, fields: { order_id: '1', email: 'a@example.com', total: '5' } }], ctx);
    expect(noDate.ok).toBe(false);
    if (!noDate.ok) expect(noDate.reasons).toContain('no order date');
    const noTotal = normalizeOrder([{ line: 2, fields: { order_id: '1', email: 'a@example.com', ordered_at: '2024-01-01' } }], ctx);
    expect(!noTotal.ok && noTotal.reasons[0]).toMatch(/no total/);
    const nobody = normalizeOrder([{ line: 2, fields: { order_id: '1', full_name: 'Madonna', ordered_at: '2024-01-01', total: '5' } }], ctx);
    expect(!nobody.ok && nobody.reasons[0]).toMatch(/cannot tell whose order/);
    const mangled = normalizeOrder([{ line: 2, fields: { order_id: '6.79848E+12', email: 'a@example.com', ordered_at: '2024-01-01', total: '5' } }], ctx);
    expect(!mangled.ok && mangled.reasons[0]).toMatch(/scientific notation/);
  });

  it('takes a full name as the customer id within the source when nothing else says whose order it is', () => {
    const nameOnly = normalizeOrder([{ line: 2, fields: { order_id: '1', full_name: 'José  García-Ruiz', ordered_at: '2024-01-01', total: '5' } }], ctx);
    expect(nameOnly.ok && nameOnly.order.customer.externalIds).toEqual([{ source: ctx.source, externalId: 'name:jose garcia ruiz' }]);
  });

  it('computes a missing total from the item prices, and gives id-less rows a stable content key', () => {
    const row: OrderRow = { line: 2, fields: { customer_external_id: '00004', ordered_at: '19970101', item_quantity: '2', item_price: '$14.50' } };
    const result = normalizeOrder([row], ctx);
    if (!result.ok) throw new Error(result.reasons.join('; '));
    expect(result.order.totalMinor).toBe(2900);
    // Normal for a line-item file: the import says it once per file, not once per order.
    expect(result.order.totalComputedFrom).toBe('item prices');
    expect(result.warnings).toEqual([]);
    expect(result.order.currency).toBe('USD');
    expect(result.order.orderId).toBeNull();
    expect(result.order.items[0]).toMatchObject({ name: '(unnamed item)', named: false, quantity: 2 });
    const again = normalizeOrder([row], ctx);
    expect(again.ok && deriveId(again.order.contentKey ?? '')).toBe(deriveId(result.order.contentKey ?? ''));
    expect(deriveId(result.order.contentKey ?? '')).toMatch(/^row-[0-9a-f]{16}$/);
  });

  it('uses an email written in the name column (Stripe guest payments)', () => {
    const result = normalizeOrder([{ line: 2, fields: { order_id: 'ch_1', full_name: 'new.donor@example.net', ordered_at: '2021-02-03 16:40', total: '12.50' } }], ctx);
    expect(result.ok && result.order.customer.values.email_norm).toBe('new.donor@example.net');
  });
});

describe('decideStatus', () => {
  it.each([
    ['paid', false, null, 100, 'paid'],
    ['Completed', false, null, 100, 'paid'],
    ['wc-processing', false, null, 100, 'pending'],
    ['Refunded', false, null, 100, 'refunded'],
    ['paid', false, 100, 100, 'refunded'],
    ['paid', false, 20, 100, 'partially_refunded'],
    ['paid', true, null, 100, 'cancelled'],
    ['Canceled', false, null, 100, 'cancelled'],
    ['', false, null, 100, 'paid'],
    ['', false, null, -2750, 'cancelled'],
    ['paid', false, null, -2750, 'paid'],
    ['Awaiting Pickup', false, null, 100, 'awaiting_pickup'],
  ] as const)('%s (cancelled %s, refunded %s of %s) → %s', (raw, cancelled, refunded, total, expected) => {
    expect(decideStatus(raw, cancelled, refunded, total)).toBe(expected);
  });
});

describe('parsePackedItems', () => {
  it('reads WooCommerce "2× Hoodie, 1× Cap" cells', () => {
    expect(parsePackedItems('2× Hoodie, 1× Cap, Sticker, pack').map((i) => [i.quantity, i.name])).toEqual([
      [2, 'Hoodie'],
      [1, 'Cap, Sticker, pack'],
    ]);
  });
});
