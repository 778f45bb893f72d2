import { describe, expect, it } from 'vitest';
import { makeRecordReader } from '../../../src/mapping/map-record-columns.js';
import { mapOrderColumns } from '../../../src/orders/map-order-columns.js';
import { normalizeOrderBatch } from '../../../src/orders/normalize-order-batch.js';
import { packOrderGroups, unpackOrderGroups } from '../../../src/orders/order-group-codec.js';

// Orders cross back from the worker thread packed; what arrives must be exactly what was standardised.
describe('packing standardised orders between threads', () => {
  it('gives back accepted and rejected orders, warnings, items, customers, and every number as it was', () => {
    const header = ['Order ID', 'Date', 'Email', 'Customer ID', 'Name', 'Country', 'Currency', 'Discount', 'Total', 'SKU', 'Product', 'Qty', 'Price', 'Items'];
    const mapped = mapOrderColumns(header);
    if (!mapped.ok) throw new Error(mapped.message);
    const rows = [
      ['#1', '2024-01-02 10:00', 'Ana@Example.com', 'C-1', 'Ana de la Cruz', 'Atlantis', 'eur', '-2.50', '99999999999.99', 'S-1', 'Mug', '1.5', '3.33', ''],
      ['#1', '', '', '', '', '', '', '', '', '', 'Cap', 'two', '$4.00', ''],
      ['', '2024-01-03', 'bo@example.com', '', 'Bo', '', '', '', '10.00', '', '', '', '', '2× Hoodie, 1× Cap'],
      ['', '2024-01-03', 'bo@example.com', '', 'Bo', '', '', '', '12.00', '', '', '', '', ''],
      ['#2', 'soon', 'cy@example.com', '', '', '', 'USD', '', 'abc', '', '', '', '', ''],
      ['#3', '2024-01-04', '', '', 'Dee', '', 'USD', '', '0.00', '', '', '', '', ''],
    ];
    const groups = [...normalizeOrderBatch(rows.map((cells, i) => ({ line: i + 2, cells })), makeRecordReader(mapped.mapping), { source: 'shop', defaultCountry: 'US', dateOrder: null, dateOrderConflict: false })];
    expect(groups.map((g) => [g.rows, g.keyed, g.normalization.ok])).toEqual([[2, true, true], [1, false, true], [1, false, true], [1, true, false], [1, true, false]]);
    const first = groups[0]!.normalization;
    expect(first.ok && [first.order.totalMinor, first.order.items.map((i) => i.quantity)]).toEqual([9999999999999, [1.5, 1]]);
    expect(first.warnings.length).toBeGreaterThan(0);
    expect([...unpackOrderGroups(packOrderGroups(groups))]).toEqual(groups);
    expect([...unpackOrderGroups(packOrderGroups([]))]).toEqual([]);
  });
});
