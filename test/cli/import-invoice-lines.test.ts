import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeWorkdir } from '../helpers/run-cli.js';
import { runCliInProcess } from '../helpers/run-cli-in-process.js';

interface Shown {
  metrics: { orders_count: number; total_spent_minor: number };
  orders: { total: number; recent: { external_id: string; status: string; total_minor: number; items: { quantity: number }[] }[] };
}

async function show(cwd: string, who: string): Promise<Shown> {
  const result = await runCliInProcess(['show', who, '--json'], { cwd });
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as Shown;
}

// fixtures/orders/online_retail.csv: the "Online Retail" layout, one row per invoice line, no totals.
describe('custdb import online_retail.csv (one row per invoice line)', () => {
  it('is read as orders with no flags: invoices grouped, totals from the lines, the C invoice cancelled and not counted', async () => {
    const cwd = makeWorkdir('orders/online_retail.csv');
    const result = await runCliInProcess(['import', 'online_retail.csv', '--json'], { cwd });
    expect(result.code, result.stderr).toBe(0);
    const summary = JSON.parse(result.stdout) as Record<string, unknown> & { notes: string[] };
    expect(summary).toMatchObject({
      kind: 'orders',
      dateOrder: 'mdy',
      counts: { rows: 19, orders: 8, inserted: 8, items: 19, customersCreated: 5, rejected: 0, totalsComputed: { 'item prices': 8, subtotal: 0 } },
      warnings: {},
    });
    // Said once for the file, not once per order.
    expect(summary.notes).toContain('8 orders had no total in the file: computed from their item prices, plus shipping and tax, less discounts');

    const a = await show(cwd, 'csv:17850');
    expect(a.metrics).toMatchObject({ orders_count: 2, total_spent_minor: 5814 + 2220 });
    const b = await show(cwd, 'csv:13047');
    expect(b.metrics).toMatchObject({ orders_count: 2, total_spent_minor: 7928 + 4930 });
    expect(b.orders.recent.find((o) => o.external_id === '536384')?.items).toHaveLength(3);
    const c = await show(cwd, 'csv:14527');
    expect(c.metrics).toMatchObject({ orders_count: 1, total_spent_minor: 3960 });
    expect(c.orders.total).toBe(2);
    expect(c.orders.recent.find((o) => o.external_id === 'C536379')).toMatchObject({ status: 'cancelled', total_minor: -2750, items: [{ quantity: -1 }] });
  });

  it.each([
    'Invoice,StockCode,Description,Quantity,InvoiceDate,Price,Customer ID,Country',
    'Invoice Number,Stock Code,Description,Qty,Invoice Date,Unit Price,Customer ID,Country',
    'invoice_no,stock_code,description,quantity,invoice_date,unit_price,customer_id,country',
  ])('reads the same file under the header %s', async (header) => {
    const cwd = makeWorkdir('orders/online_retail.csv');
    const lines = readFileSync(path.join(cwd, 'online_retail.csv'), 'utf8').split('\n');
    writeFileSync(path.join(cwd, 'sales.csv'), [header, ...lines.slice(1)].join('\n'));
    const result = await runCliInProcess(['import', 'sales.csv', '--json'], { cwd });
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ kind: 'orders', counts: { orders: 8, items: 19, customersCreated: 5 } });
    expect((await show(cwd, 'csv:12583')).metrics).toMatchObject({ orders_count: 1, total_spent_minor: 23400 });
  });
});
