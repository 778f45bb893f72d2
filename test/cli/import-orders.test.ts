import BetterSqlite3 from 'better-sqlite3-multiple-ciphers';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { queryCliDatabase, sqliteOnly } from '../helpers/cli-database.js';
import { killMidWrite, makeWorkdir, runCli } from '../helpers/run-cli.js';
import { runCliInProcess } from '../helpers/run-cli-in-process.js';

interface ExportedOrder {
  order_id: string;
  source: string;
  status: string;
  currency: string | null;
  subtotal: number | null;
  tax: number | null;
  total: number;
  customer_id: number;
  email: string | null;
  items: { sku: string | null; name: string; quantity: number; price: number | null; total: number | null }[];
}

async function exportJson<T>(cwd: string, what: string): Promise<T[]> {
  const result = await runCliInProcess(['export', what, '--format', 'json'], { cwd });
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as T[];
}

async function importJson(cwd: string, args: string[]): Promise<{ code: number; summary: Record<string, any> }> {
  const result = await runCliInProcess(['import', ...args, '--json'], { cwd });
  expect(result.stderr).not.toMatch(/bug/i);
  return { code: result.code, summary: JSON.parse(result.stdout) as Record<string, any> };
}

describe('custdb import shopify_orders.csv (multi-row orders, taxes, blank continuation cells)', () => {
  it('is recognised with no flags and imports the right orders, items, totals and customers', async () => {
    const cwd = makeWorkdir('orders/shopify_orders.csv');
    const { code, summary } = await importJson(cwd, ['shopify_orders.csv']);
    expect(code).toBe(0);
    expect(summary).toMatchObject({
      status: 'imported',
      kind: 'orders',
      source: 'shopify',
      preset: 'shopify-orders',
      counts: { rows: 10, orders: 3, inserted: 3, items: 10, customersCreated: 2, productsCreated: 5, rejected: 0 },
      matchedBy: { email: 1 },
    });

    const orders = await exportJson<ExportedOrder>(cwd, 'orders');
    expect(orders.map((o) => [o.order_id, o.status, o.currency, o.subtotal, o.tax, o.total, o.items.length])).toEqual([
      ['#1051', 'paid', 'INR', 1299, 0, 1299, 1],
      ['#1050', 'paid', 'INR', 11594, 0, 11594, 4],
      ['#1044', 'paid', 'INR', 16292, 1466.28, 17758.28, 5],
    ]);
    const big = orders.find((o) => o.order_id === '#1044')!;
    expect(big.items).toContainEqual({ sku: 'SC-LAV-VAN', name: 'Lavender & Vanilla Soy Candle', quantity: 3, price: 899, total: 2697 });
    expect(big.items.reduce((sum, i) => sum + (i.total ?? 0), 0)).toBe(16292);

    const customers = await exportJson<Record<string, unknown>>(cwd, 'customers');
    expect(customers.map((c) => [c.email, c.first_name, c.last_name, c.country])).toEqual([
      ['shivagtx@gmail.com', 'Rohith', 'T', null],
      ['test1@gmail.com', 'Ram', 'A', 'IN'],
    ]);
    expect(orders.filter((o) => o.email === 'shivagtx@gmail.com').map((o) => o.customer_id)).toEqual([customers[0]!.id, customers[0]!.id]);
  });

  it('links orders to customers already known (by email) and creates only the unknown ones', async () => {
    const cwd = makeWorkdir('orders/shopify_orders.csv');
    writeFileSync(path.join(cwd, 'people.csv'), 'Email,First Name,Last Name,Phone\ntest1@gmail.com,Ram,Arcot,+91 98765 43210\n');
    expect((await runCliInProcess(['import', 'people.csv'], { cwd })).code).toBe(0);
    const { summary } = await importJson(cwd, ['shopify_orders.csv']);
    expect(summary.counts).toMatchObject({ customersCreated: 1, inserted: 3 });
    expect(summary.matchedBy).toMatchObject({ email: 2 });
    const customers = await exportJson<Record<string, unknown>>(cwd, 'customers');
    expect(customers).toHaveLength(2);
    // The known customer is not changed by an order: Arcot stays Arcot.
    expect(customers.find((c) => c.email === 'test1@gmail.com')).toMatchObject({ last_name: 'Arcot', phone: '+919876543210' });
  });

  it('is idempotent: the same file is skipped, a forced re-import changes nothing, a changed status is updated and undone', async () => {
    const cwd = makeWorkdir('orders/shopify_orders.csv');
    await runCliInProcess(['import', 'shopify_orders.csv'], { cwd });
    const before = await exportJson<ExportedOrder>(cwd, 'orders');
    const again = await runCliInProcess(['import', 'shopify_orders.csv'], { cwd });
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/already imported as batch 1/);
    const forced = await importJson(cwd, ['shopify_orders.csv', '--force']);
    expect(forced.summary.counts).toMatchObject({ orders: 3, inserted: 0, unchanged: 3, items: 0, customersCreated: 0 });
    expect(await exportJson<ExportedOrder>(cwd, 'orders')).toEqual(before);

    const refunded = readFileSync(path.join(cwd, 'shopify_orders.csv'), 'utf8').replace('#1051,shivagtx@gmail.com,paid', '#1051,shivagtx@gmail.com,refunded');
    writeFileSync(path.join(cwd, 'later.csv'), refunded);
    const later = await importJson(cwd, ['later.csv', '--preset', 'shopify-orders']);
    expect(later.summary.counts).toMatchObject({ updated: 1, unchanged: 2, inserted: 0 });
    expect((await exportJson<ExportedOrder>(cwd, 'orders')).find((o) => o.order_id === '#1051')!.status).toBe('refunded');
    expect((await runCliInProcess(['imports', 'undo', String(later.summary.batchId), '--yes'], { cwd })).code).toBe(0);
    expect(await exportJson<ExportedOrder>(cwd, 'orders')).toEqual(before);
  });

  it('custdb imports undo removes the orders, items, products and customers the batch created', async () => {
    const cwd = makeWorkdir('orders/shopify_orders.csv', 'customers.csv');
    await runCliInProcess(['import', 'customers.csv', '--default-country', 'US'], { cwd });
    const customersBefore = await exportJson<Record<string, unknown>>(cwd, 'customers');
    const { summary } = await importJson(cwd, ['shopify_orders.csv']);
    const undo = await runCliInProcess(['imports', 'undo', String(summary.batchId), '--yes', '--json'], { cwd });
    expect(undo.code, undo.stderr).toBe(0);
    expect(JSON.parse(undo.stdout)).toMatchObject({ status: 'undone', removedCustomers: 2, removedOrders: 3 });
    expect(await exportJson(cwd, 'orders')).toEqual([]);
    expect(await exportJson(cwd, 'customers')).toEqual(customersBefore);
    // The customers batch can be undone again afterwards: nothing depends on it any more.
    expect((await runCliInProcess(['imports', 'undo', '1', '--yes'], { cwd })).code).toBe(0);
  });

  it('refuses to undo a customers import while an orders import hangs orders on its customers', async () => {
    const cwd = makeWorkdir('orders/shopify_orders.csv');
    writeFileSync(path.join(cwd, 'people.csv'), 'Email,First Name\ntest1@gmail.com,Ram\n');
    await runCliInProcess(['import', 'people.csv'], { cwd });
    await runCliInProcess(['import', 'shopify_orders.csv'], { cwd });
    const refused = await runCliInProcess(['imports', 'undo', '1', '--yes'], { cwd });
    expect(refused.code).toBe(1);
    expect(refused.stdout).toMatch(/has orders \(from batch 2\)/);
  });

  it('--dry-run reports what would happen and writes nothing', async () => {
    const cwd = makeWorkdir('orders/shopify_orders.csv');
    await runCliInProcess(['init'], { cwd });
    const { code, summary } = await importJson(cwd, ['shopify_orders.csv', '--dry-run']);
    expect(code).toBe(0);
    expect(summary).toMatchObject({ status: 'dry-run', batchId: null, counts: { inserted: 3, items: 10 } });
    expect(await exportJson(cwd, 'orders')).toEqual([]);
    expect(await exportJson(cwd, 'customers')).toEqual([]);
  });

  it('--unknown-customers reject sends every row of such an order to the rejects file; above --max-rejects nothing is written', async () => {
    const cwd = makeWorkdir('orders/shopify_orders.csv');
    writeFileSync(path.join(cwd, 'people.csv'), 'Email,First Name\ntest1@gmail.com,Ram\n');
    await runCliInProcess(['import', 'people.csv'], { cwd });
    const refused = await importJson(cwd, ['shopify_orders.csv', '--unknown-customers', 'reject']);
    expect(refused.code).toBe(1);
    expect(refused.summary).toMatchObject({ status: 'too-many-rejects', counts: { rejected: 5, ordersRejected: 2 } });
    const rejects = readFileSync(path.join(cwd, 'shopify_orders.rejects.csv'), 'utf8').trim().split('\n');
    expect(rejects).toHaveLength(6);
    expect(rejects[1]).toMatch(/^#1051,.*,2,customer shivagtx@gmail.com is not in the database/);
    expect(await exportJson(cwd, 'orders')).toEqual([]);

    const allowed = await importJson(cwd, ['shopify_orders.csv', '--unknown-customers', 'reject', '--max-rejects', '5']);
    expect(allowed.code).toBe(0);
    expect(allowed.summary.counts).toMatchObject({ inserted: 1, customersCreated: 0, rejected: 5 });
    expect((await exportJson<ExportedOrder>(cwd, 'orders')).map((o) => o.order_id)).toEqual(['#1044']);
  });
});

describe('files without order ids (CDNOW purchases, a till export)', () => {
  it('imports every row as an order with a derived id, so a forced re-import changes nothing', async () => {
    const cwd = makeWorkdir('orders/cdnow_sample.csv');
    const first = await importJson(cwd, ['cdnow_sample.csv', '--source', 'cdnow']);
    expect(first.code).toBe(0);
    expect(first.summary.counts).toMatchObject({ rows: 6919, orders: 6919, inserted: 6919, customersCreated: 2357, rejected: 0 });
    expect(first.summary.notes.join('\n')).toMatch(/no order id column/);
    const again = await importJson(cwd, ['cdnow_sample.csv', '--source', 'cdnow', '--force']);
    expect(again.summary.counts).toMatchObject({ inserted: 0, unchanged: 6919, customersCreated: 0 });
    const csv = await runCliInProcess(['export', 'orders', '--fields', 'order_id,total'], { cwd });
    const lines = csv.stdout.trim().split('\n').slice(1);
    expect(lines).toHaveLength(6919);
    // Identical purchases on the same day stay two orders (…-2), and the dollars add up to the file's.
    expect(lines.filter((l) => /^row-[0-9a-f]{16}-2,/.test(l)).length).toBe(19);
    expect(lines.reduce((sum, l) => sum + Math.round(Number(l.split(',')[1]) * 100), 0)).toBe(24409194);
  });

  it('a till file with only names links the orders of each name to one customer of that source, and refuses a file with no customer column', async () => {
    const cwd = makeWorkdir();
    writeFileSync(path.join(cwd, 'till.csv'), 'Receipt,Date,Customer,Total\nR1,2024-01-02,Jane Doe,5.00\nR2,2024-01-09,JANE DOE,7.50\nR3,2024-01-09,Cher,2.00\n');
    const { summary } = await importJson(cwd, ['till.csv', '--as', 'orders', '--source', 'till']);
    expect(summary).toMatchObject({ counts: { inserted: 2, customersCreated: 1, rejected: 1 } });
    const jane = await runCliInProcess(['show', 'till:name:jane doe', '--json'], { cwd });
    expect(JSON.parse(jane.stdout).metrics).toMatchObject({ orders_count: 2 });

    writeFileSync(path.join(cwd, 'anonymous.csv'), 'Receipt,Date,Total\nR1,2024-01-02,5.00\n');
    const result = await runCliInProcess(['import', 'anonymous.csv', '--as', 'orders'], { cwd });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/needs a column for the customer \(a customer id, email, phone or name\)/);
    expect(result.stderr).toMatch(/--map "COLUMN=customer_external_id"/);
  });
});

describe('Stripe payments (current and legacy headers) and WooCommerce orders', () => {
  it('links payments to customers by their Stripe customer id, then email', async () => {
    const cwd = makeWorkdir('orders/stripe_payments.csv', 'orders/stripe_payments_legacy.csv');
    const current = await importJson(cwd, ['stripe_payments.csv']);
    expect(current.summary).toMatchObject({ preset: 'stripe-payments', source: 'stripe', counts: { inserted: 4, customersCreated: 3 }, matchedBy: { external_id: 1 } });
    const legacy = await importJson(cwd, ['stripe_payments_legacy.csv']);
    expect(legacy.summary).toMatchObject({ preset: 'stripe-payments', dateOrder: 'dmy', counts: { inserted: 2, customersCreated: 1 }, matchedBy: { email: 1 } });
    const orders = await exportJson<ExportedOrder & { ordered_at: string }>(cwd, 'orders');
    expect(orders.map((o) => [o.order_id, o.status, o.currency, o.total, o.email])).toEqual([
      ['py_3QaA1B2C3D4E5F6G', 'paid', 'USD', 49, 'ada@example.com'],
      ['py_3QaA1B2C3D4E5F6H', 'refunded', 'USD', 120.5, 'grace@example.com'],
      ['py_3QaA1B2C3D4E5F6J', 'partially_refunded', 'USD', 1200, 'ada@example.com'],
      ['py_3QaA1B2C3D4E5F6K', 'failed', 'USD', 15, 'guest@example.org'],
      ['ch_1Hh1', 'paid', 'GBP', 30, 'ada@example.com'],
      ['ch_1Hh2', 'paid', 'GBP', 12.5, 'new.donor@example.net'],
    ]);
    expect(orders.find((o) => o.order_id === 'ch_1Hh1')!.ordered_at).toBe('2021-01-25T10:15:00.000Z');
    const ada = (await exportJson<Record<string, unknown>>(cwd, 'customers')).find((c) => c.email === 'ada@example.com')!;
    expect(ada.external_ids).toEqual(['stripe:cus_PxA1']);
  });

  it('WooCommerce Analytics orders (names, no email) find or create their customer by name within the source, flagged for review', async () => {
    const cwd = makeWorkdir('customers.csv', 'orders/woocommerce_orders.csv');
    expect((await runCliInProcess(['import', 'customers.csv', '--default-country', 'US'], { cwd })).code).toBe(0);
    const first = await importJson(cwd, ['woocommerce_orders.csv']);
    expect(first.summary).toMatchObject({ preset: 'woocommerce-orders', counts: { inserted: 2, customersCreated: 2 } });
    // Jane O'Brien is customer 1 already, known by email: a namesake from another source is flagged, never joined.
    const jane = await runCliInProcess(['show', 'woocommerce:name:jane obrien'], { cwd });
    expect(jane.code, jane.stderr).toBe(0);
    expect(jane.stdout).toMatch(/same name as customer 1; known by name alone, so not joined/);
    expect(jane.stdout).toMatch(/spent USD 54\.00/);
    // Next month's export finds the same customers again by their names within WooCommerce.
    writeFileSync(path.join(cwd, 'june.csv'), [
      'Date,Order #,N. Revenue (formatted),Status,Customer,Customer type,Product(s),Items sold,Coupon(s),Net Sales,Attribution',
      '2024-06-03 09:00:00,1250,$20.00,completed,JANE O\'BRIEN,returning,1× Mug,1,,20,Direct',
    ].join('\n'));
    const june = await importJson(cwd, ['june.csv']);
    expect(june.summary).toMatchObject({ counts: { inserted: 1, customersCreated: 0 }, matchedBy: { external_id: 1 } });
  });
});

describe('custdb export orders', () => {
  it('writes -o atomically, one CSV row per item, and neutralises formula-like cells (a negative amount stays a number)', async () => {
    const cwd = makeWorkdir();
    writeFileSync(path.join(cwd, 'pos.csv'), 'Order ID,Date,Email,Product,Qty,Price,Total\n=1+1,2024-01-02,a@example.com,"=HYPERLINK(""x"")",1,5.00,5.00\nA2,2024-01-03,a@example.com,Mug,2,3.00,-6.00\n');
    expect((await runCliInProcess(['import', 'pos.csv'], { cwd })).code).toBe(0);
    const result = await runCliInProcess(['export', 'orders', '-o', 'out.csv', '--fields', 'order_id,item_name,total'], { cwd });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/Exported 2 orders to out.csv/);
    expect(readFileSync(path.join(cwd, 'out.csv'), 'utf8')).toBe(`order_id,item_name,total\n'=1+1,"'=HYPERLINK(""x"")",5.00\nA2,Mug,-6.00\n`);
    expect(existsSync(path.join(cwd, 'out.csv.partial'))).toBe(false);
    const bad = await runCliInProcess(['export', 'orders', '--fields', 'order_id,nope'], { cwd });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/no field "nope".*\n.*order_id, source/);
  });

  it('an exported orders file imports back into a new database unchanged', async () => {
    const cwd = makeWorkdir('orders/shopify_orders.csv');
    await runCliInProcess(['import', 'shopify_orders.csv'], { cwd });
    await runCliInProcess(['export', 'orders', '-o', 'orders-out.csv'], { cwd });
    const back = await runCliInProcess(['import', 'orders-out.csv', '--db', 'copy.db'], { cwd });
    expect(back.code, back.stderr).toBe(0);
    const original = (await runCliInProcess(['export', 'orders'], { cwd })).stdout;
    const copy = (await runCliInProcess(['export', 'orders', '--db', 'copy.db'], { cwd })).stdout;
    const withoutSource = (csv: string) => csv.split('\n').map((l) => l.split(',').filter((_, i) => i !== 1).join(','));
    expect(withoutSource(copy)).toEqual(withoutSource(original));
  });
});

describe('custdb import orders.csv that creates customers looking like existing ones', () => {
  it('flags them as possible duplicates, as a customers import does, and counts them in the summary', async () => {
    const cwd = makeWorkdir('customers.csv');
    for (const args of [['init'], ['import', 'customers.csv', '--default-country', 'US']]) expect((await runCliInProcess(args, { cwd })).code).toBe(0);
    writeFileSync(
      path.join(cwd, 'till-orders.csv'),
      [
        'Order ID,Date,Email,First Name,Last Name,Total,Currency,Address,City,Zip,State,Country',
        // Emma Brown (customer 14: 5 Beacon St, Boston) paying with another email.
        'O-1,2026-01-05,emma.b@gmail.com,Emma,Brown,25.00,USD,5 Beacon Street,Boston,02108,MA,US',
        'O-2,2026-01-06,owen@example.com,Owen,Gallagher,10.00,USD,40 Tremont St,Boston,02108,MA,US',
      ].join('\n') + '\n',
    );
    const { code, summary } = await importJson(cwd, ['till-orders.csv', '--as', 'orders', '--default-country', 'US']);
    expect(code).toBe(0);
    expect(summary.counts).toMatchObject({ orders: 2, customersCreated: 2, suspects: 1 });
    const shown = await runCliInProcess(['show', 'emma.b@gmail.com'], { cwd });
    expect(shown.stdout).toMatch(/Possible duplicates \(1, not yet reviewed\)\n  customer 14: Emma Brown/);
    expect(shown.stdout).toMatch(/looks like customer 14: same first name, surname and street address/);
  });
});

/**
 * A Shopify-shaped orders file of ~4 MiB (over the size that starts a worker
 * thread): orders of 2–4 rows whose continuation rows leave the totals and
 * email blank, so many 64 KiB read batches end inside an order; one order of
 * 12,000 rows (longer than a batch, and split every 5,000 rows); rows without
 * an order id; an order with one row far from the others; and rows that are
 * rejected or warned about.
 */
function writeLargeOrdersFile(file: string): { straddles: number; rejectedOrders: number } {
  const lines = ['Order ID,Created At,Email,Billing Name,Financial Status,Currency,Subtotal,Shipping,Taxes,Total,Lineitem sku,Lineitem name,Lineitem quantity,Lineitem price'];
  const late: string[] = [];
  for (let o = 1; o <= 9_000; o++) {
    const id = o % 50 === 0 ? '' : `#${1000 + o}`;
    const date = o % 97 === 0 ? 'soon' : `2024-${String(1 + (o % 12)).padStart(2, '0')}-${String(1 + (o % 28)).padStart(2, '0')} 10:${String(o % 60).padStart(2, '0')}:00 -0500`;
    const email = o % 89 === 0 ? 'nobody@' : `customer${o % 700}@example.com`;
    const total = o % 71 === 0 ? 'n/a' : `${(o % 300) + 10}.99`;
    const count = o === 333 ? 12_000 : id === '' ? 1 : 2 + (o % 3);
    const rows: string[] = [];
    for (let r = 0; r < count; r++) {
      const item = `SKU-${(o + r) % 400},Product ${(o + r) % 400},${o % 61 === 0 && r === 1 ? 'two' : 1 + (r % 3)},${(r % 40) + 5}.00`;
      // The long order and the scattered one carry email and total on every row, so each of their parts stands as an order.
      const head = r === 0 || o === 333 || o === 556 ? `${date},${email},Ann Lee,paid,USD,${total},0.00,1.00,${total}` : `${date},,,,,,,,`;
      rows.push(`${id},${head},${item}${o % 73 === 0 && r === 0 ? ',extra' : ''}`);
      if (o % 41 === 0 && r === 0) rows.push(',,,,,,,,,,,,,');
    }
    if (o === 556) late.push(rows.pop()!);
    lines.push(...rows);
  }
  lines.push(...late);
  const text = `${lines.join('\n')}\n`;
  writeFileSync(file, text);
  // Read batches end at 64 KiB boundaries: count those that fall between two rows of one order.
  let straddles = 0;
  for (let at = 65_536; at < text.length; at += 65_536) {
    const start = text.lastIndexOf('\n', at - 1);
    const previous = text.lastIndexOf('\n', start - 1);
    const id = (line: string) => line.slice(0, line.indexOf(','));
    if (id(text.slice(start + 1, at)) !== '' && id(text.slice(start + 1, at)) === id(text.slice(previous + 1, start))) straddles += 1;
  }
  let rejectedOrders = 0;
  for (let o = 1; o <= 9_000; o++) if (o % 97 === 0 || o % 89 === 0 || o % 71 === 0) rejectedOrders += 1;
  return { straddles, rejectedOrders };
}

/** Every table an orders import writes, without the columns that hold the time it ran. */
async function dumpDatabase(cwd: string, file: string): Promise<Record<string, string[]>> {
  const tables = ['orders', 'order_items', 'products', 'customers', 'customer_identities', 'customer_metrics', 'duplicate_suspects', 'changes', 'import_batches'];
  const times = new Set(['created_at', 'updated_at', 'at', 'started_at', 'finished_at', 'email_consent_at', 'sms_consent_at']);
  const dump: Record<string, string[]> = {};
  for (const table of tables) {
    const rows = await queryCliDatabase<Record<string, unknown>>(cwd, sql`select * from ${sql.table(table)}`, file);
    // Sorted as text, ids included: a table's id says in what order its rows were written.
    dump[table] = rows.map((row) => JSON.stringify(Object.entries(row).filter(([column]) => !times.has(column)))).sort();
  }
  return dump;
}

// The worker thread runs the built worker script, which exists only in dist/: both imports are spawned, to compare like with like.
describe('custdb import of a large orders file, standardised on a worker thread (spawned binary)', () => {
  it('writes the same orders, items, customers, summary and rejects as on one thread, orders cut by read batches included', async () => {
    const cwd = makeWorkdir();
    const { straddles, rejectedOrders } = writeLargeOrdersFile(path.join(cwd, 'orders.csv'));
    expect(straddles).toBeGreaterThan(10);
    const run = async (threads: string) => {
      const args = ['import', 'orders.csv', '--as', 'orders', '--db', `${threads}.db`, '--rejects', `${threads}.rejects.csv`, '--max-rejects', '100%', '--json'];
      const result = await runCli(args, { cwd, env: { CUSTDB_IMPORT_THREADS: threads } });
      expect(result.code, result.stderr).toBe(0);
      const { elapsedMs: _elapsed, rejectsFile: _rejectsFile, ...summary } = JSON.parse(result.stdout) as Record<string, unknown>;
      return { summary, rejects: readFileSync(path.join(cwd, `${threads}.rejects.csv`), 'utf8'), tables: await dumpDatabase(cwd, `${threads}.db`) };
    };
    const inline = await run('0');
    const worker = await run('1');

    expect(worker.summary).toEqual(inline.summary);
    expect(worker.rejects).toBe(inline.rejects);
    expect(worker.tables).toEqual(inline.tables);

    // 9,000 orders: #1333's 12,000 rows are written in three parts, and #1556's last row comes at the end, yet each is one order.
    const counts = inline.summary.counts as { rows: number; rejected: number };
    expect(counts).toMatchObject({ orders: 9_000, ordersRejected: rejectedOrders, inserted: 9_000 - rejectedOrders, items: counts.rows - counts.rejected });
    const items = await queryCliDatabase<{ external_id: string; n: number }>(
      cwd,
      sql`select o.external_id, (select count(*) from order_items i where i.order_id = o.id) as n from orders o where o.external_id in ('#1333', '#1556', '#1557') order by o.external_id`,
      '1.db',
    );
    expect(items.map((row) => [row.external_id, Number(row.n)])).toEqual([['#1333', 12_000], ['#1556', 3], ['#1557', 4]]);
  }, 120_000);
});

// The kill needs a process of its own; checking what it left is done in process.
describe('a process killed in the middle of a large orders import (spawned binary)', () => {
  // A large import drops the orders' customer index and builds it at the end: a kill in between must not lose it.
  sqliteOnly('the kill is timed by the growth of the -wal file, and indexes are read from sqlite_schema')('leaves the orders, items and indexes exactly as before, and running the import again completes', async () => {
    const cwd = makeWorkdir('orders/shopify_orders.csv');
    expect((await importJson(cwd, ['shopify_orders.csv'])).code).toBe(0);
    const schema = () => {
      const db = new BetterSqlite3(path.join(cwd, 'customers.db'), { readonly: true });
      const rows = db.prepare("SELECT name, sql FROM sqlite_schema WHERE type = 'index' ORDER BY name").all();
      db.close();
      return rows;
    };
    const before = { orders: await exportJson<ExportedOrder>(cwd, 'orders'), schema: schema() };

    const rows = 150_000;
    const lines = ['Order ID,Created At,Email,Total,Lineitem name,Lineitem quantity,Lineitem price'];
    for (let i = 0; i < rows; i++) lines.push(`B-${i},2024-05-01 10:00:00,buyer${i % 5000}@example.com,12.50,Mug,1,12.50`);
    writeFileSync(path.join(cwd, 'big.csv'), `${lines.join('\n')}\n`);

    expect(await killMidWrite(['import', 'big.csv', '--as', 'orders', '--quiet'], cwd)).toBe('SIGKILL');

    expect({ orders: await exportJson<ExportedOrder>(cwd, 'orders'), schema: schema() }).toEqual(before);
    expect((await runCliInProcess(['doctor'], { cwd })).code).toBe(0);

    const rerun = await importJson(cwd, ['big.csv', '--as', 'orders']);
    expect(rerun.code).toBe(0);
    expect(rerun.summary.counts).toMatchObject({ rows, inserted: rows, rejected: 0 });
    expect(schema()).toEqual(before.schema);
  }, 180_000);
});
