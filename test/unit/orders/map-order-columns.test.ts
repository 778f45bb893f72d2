import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeRecordReader, savedRecordMappingSchema, toSavedRecordMapping } from '../../../src/mapping/map-record-columns.js';
import { mapOrderColumns, ORDER_VOCABULARY, recognizeOrderPreset } from '../../../src/orders/map-order-columns.js';
import { mapInteractionColumns } from '../../../src/interactions/map-interaction-columns.js';

const FIXTURES = join(import.meta.dirname, '../../../fixtures/orders');
const headerOf = (file: string) => readFileSync(join(FIXTURES, file), 'utf8').split('\n')[0]!.split(',');

describe('order presets', () => {
  it.each([
    ['shopify_orders.csv', 'shopify-orders'],
    ['stripe_payments.csv', 'stripe-payments'],
    ['stripe_payments_legacy.csv', 'stripe-payments'],
    ['woocommerce_orders.csv', 'woocommerce-orders'],
  ])('%s is recognised as %s', (file, preset) => {
    expect(recognizeOrderPreset(headerOf(file)).preset?.name).toBe(preset);
  });

  it('a customers export is not recognised as orders', () => {
    expect(recognizeOrderPreset(['First Name', 'Last Name', 'Email', 'Total Spent', 'Total Orders', 'Tax Exempt']).preset).toBeNull();
  });
});

describe('mapOrderColumns', () => {
  it('maps till-style headers by synonym and ignores the rest', () => {
    const result = mapOrderColumns(['Receipt No', 'Date', 'Customer Email', 'Qty', 'Amount', 'Cashier']);
    if (!result.ok) throw new Error(result.message);
    expect(result.mapping.columns.map((c) => (c.target.kind === 'field' ? c.target.field : 'ignore'))).toEqual([
      'order_id', 'ordered_at', 'email', 'item_quantity', 'total', 'ignore',
    ]);
  });

  it('--map overrides, and rejects unknown fields with the list of valid ones', () => {
    const ok = mapOrderColumns(['Beleg', 'Datum', 'Kunde'], { overrides: { Beleg: 'order_id', Kunde: 'email' } });
    expect(ok.ok && ok.mapping.columns.map((c) => c.confidence)).toEqual(['override', 'synonym', 'override']);
    const bad = mapOrderColumns(['Beleg'], { overrides: { Beleg: 'receipt' } });
    expect(!bad.ok && bad.hint).toMatch(/order_id, customer_external_id/);
  });

  it('reads a row: first non-empty value in rank order, apostrophes stripped', () => {
    const result = mapOrderColumns(headerOf('shopify_orders.csv'), { preset: recognizeOrderPreset(headerOf('shopify_orders.csv')).preset });
    if (!result.ok) throw new Error(result.message);
    const read = makeRecordReader(result.mapping);
    const header = headerOf('shopify_orders.csv');
    const cells = header.map((h) => ({ Name: '#1', 'Billing Phone': "'+15551234567", Phone: '', 'Billing Zip': "'02108", Total: '1.00' })[h] ?? '');
    expect(read(cells)).toEqual({ order_id: '#1', phone: '+15551234567', postal_code: '02108', total: '1.00' });
  });
});

describe('mapInteractionColumns', () => {
  it('maps a support log', () => {
    const result = mapInteractionColumns(['Ticket #', 'Date', 'Requester', 'Channel', 'Type', 'Subject', 'Description', 'Resolution', 'Agent']);
    if (!result.ok) throw new Error(result.message);
    expect(result.mapping.columns.map((c) => (c.target.kind === 'field' ? c.target.field : 'ignore'))).toEqual([
      'interaction_id', 'occurred_at', 'email', 'channel', 'kind', 'subject', 'summary', 'outcome', 'staff',
    ]);
  });
});

describe('saved order mappings', () => {
  it.each(['shopify_orders.csv', 'stripe_payments.csv', 'woocommerce_orders.csv', 'online_retail.csv', 'cdnow_sample.csv'])(
    'a mapping of %s saved, checked and applied again gives the same targets, transforms and ranks',
    (file) => {
      const header = headerOf(file);
      const first = mapOrderColumns(header, { preset: recognizeOrderPreset(header).preset });
      if (!first.ok) throw new Error(first.message);
      const saved = savedRecordMappingSchema({ ...ORDER_VOCABULARY, kind: 'orders' }).parse(JSON.parse(JSON.stringify(toSavedRecordMapping(first.mapping, 'orders'))));
      const again = mapOrderColumns(header, { saved });
      if (!again.ok) throw new Error(again.message);
      const shape = (columns: typeof first.mapping.columns) => columns.map(({ confidence: _, ...column }) => column);
      expect(shape(again.mapping.columns)).toEqual(shape(first.mapping.columns));
      expect(again.mapping.columns.every((c) => c.confidence === 'saved')).toBe(true);
      expect(again.mapping.preset).toBe(first.mapping.preset);
    },
  );

  it('maps columns the saved mapping does not name by synonyms, and notes the ones the file lacks', () => {
    const saved = { version: 1 as const, columns: [{ header: 'Bon', target: 'order_id' }, { header: 'Kasse', target: 'ignore' }] };
    const result = mapOrderColumns(['bon', 'Datum', 'Total'], { saved });
    if (!result.ok) throw new Error(result.message);
    expect(result.mapping.columns.map((c) => [c.header, c.target.kind === 'field' ? c.target.field : 'ignore', c.confidence])).toEqual([
      ['bon', 'order_id', 'saved'],
      ['Datum', 'ordered_at', 'synonym'],
      ['Total', 'total', 'exact'],
    ]);
    expect(result.notes).toEqual(['The saved mapping names column "Kasse", which this file does not have.']);
  });

  it('refuses a target that is not an order field, naming the fields', () => {
    const parsed = savedRecordMappingSchema({ ...ORDER_VOCABULARY, kind: 'orders' }).safeParse({ version: 1, columns: [{ header: 'Summe', target: 'attr.sum' }] });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.message).toMatch(/^target must be one of the orders fields \(order_id, .*\) or ignore$/);
  });
});
