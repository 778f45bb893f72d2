import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { getCustomerMetrics, listCustomerMetrics, type CustomerMetrics } from '../../src/customers/get-customer-metrics.js';
import { editCustomer } from '../../src/customers/edit-customer.js';
import { addCustomerNote } from '../../src/customers/add-customer-note.js';
import { openStore } from '../../src/db/open-store.js';
import { freshDatabase, TEST_DIALECTS, type FreshDatabase } from '../helpers/dialects.js';
import type { Store } from '../../src/db/store.js';
import { importCustomers, type ImportOptions } from '../../src/import/import-customers.js';
import { undoImport } from '../../src/import/undo-import.js';
import { importInteractions } from '../../src/interactions/import-interactions.js';
import { importOrders } from '../../src/orders/import-orders.js';
import { mergeCluster } from '../../src/merge/merge-cluster.js';
import { undoMerge } from '../../src/merge/undo-merge.js';
import { FIXTURES } from '../helpers/run-cli.js';

interface HistoryOrder {
  customer: string;
  external_id: string;
  ordered_at: string;
  status: string;
  currency: string | null;
  total_minor: number;
  items: { sku: string | null; name: string; quantity: number; unit_price_minor: number | null; total_minor: number | null }[];
}
interface History {
  orders: HistoryOrder[];
  interactions: { customer: string; occurred_at: string; kind: string; channel: string; summary: string }[];
}

const DIR = path.join(FIXTURES, 'metrics');
const history = JSON.parse(readFileSync(path.join(DIR, 'history.json'), 'utf8')) as History;
const expected = JSON.parse(readFileSync(path.join(DIR, 'expected.json'), 'utf8')) as Record<string, Partial<CustomerMetrics>>;
const PEOPLE = ['M-1', 'M-2', 'M-3', 'M-4', 'M-5', 'M-6'];

function importOptions(file: string): ImportOptions {
  return { file, maps: [], ignoreUnmapped: false, update: 'fill', maxRejects: { percent: 100 }, dryRun: false, force: false, actor: 'test', defaultCountry: 'US' };
}

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const item of items) all.push(item);
  return all;
}

async function idOf(store: Store, externalId: string): Promise<number> {
  return (await store.db.selectFrom('customer_identities').select('customer_id').where('source', '=', 'csv').where('external_id', '=', externalId).executeTakeFirstOrThrow()).customer_id;
}

/** customers.csv's email for each external id: orders and interactions files name customers by email. */
const EMAILS = new Map(
  readFileSync(path.join(DIR, 'customers.csv'), 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => line.split(','))
    .map((cells) => [cells[0]!, cells[3]!]),
);

function money(minor: number): string {
  return (minor / 100).toFixed(2);
}

/** An orders CSV (one row per line item, the order's cells on its first row) written into `dir`; returns its path. */
function writeOrdersFile(dir: string, name: string, orders: HistoryOrder[]): string {
  const lines = ['Order ID,Created At,Email,Financial Status,Currency,Total,Lineitem sku,Lineitem name,Lineitem quantity,Lineitem price'];
  for (const o of orders) {
    const head = [o.external_id, o.ordered_at, EMAILS.get(o.customer)!, o.status, o.currency ?? '', money(o.total_minor)];
    if (o.items.length === 0) lines.push([...head, '', '', '', ''].join(','));
    for (const item of o.items) lines.push([...head, item.sku ?? '', item.name, String(item.quantity), item.unit_price_minor === null ? '' : money(item.unit_price_minor)].join(','));
  }
  const file = path.join(dir, name);
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

async function importOrdersFile(store: Store, file: string): Promise<number> {
  const result = await importOrders(store, { ...importOptions(file), source: 'shop', unknownCustomers: 'reject', maxRejects: { count: 0 } });
  expect(result.status, JSON.stringify(result.warningExamples)).toBe('imported');
  return result.batchId!;
}

/** The metrics that do not depend on today's date, plus a check that days_since_last_order matches last_order_at. */
function stable(metrics: CustomerMetrics | undefined) {
  expect(metrics).toBeDefined();
  const { days_since_last_order, ...rest } = metrics!;
  if (rest.last_order_at === null) expect(days_since_last_order).toBeNull();
  else expect(days_since_last_order).toBe(Math.floor((Date.now() - Date.parse(rest.last_order_at)) / 86_400_000));
  return rest;
}

describe.each(TEST_DIALECTS)('customer metrics over fixtures/metrics on %s', (dialect) => {
  let store: Store;
  let dir: string;
  let database: FreshDatabase;

  beforeEach(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'custdb-metrics-'));
    copyFileSync(path.join(DIR, 'customers.csv'), path.join(dir, 'customers.csv'));
    database = await freshDatabase(dialect);
    ({ store } = await openStore({ location: database.location, create: true, migrations: 'apply' }));
    await importCustomers(store, importOptions(path.join(dir, 'customers.csv')));
    // Through the importers, as a user would load them: the metrics read back are the ones those writes stored.
    await importOrdersFile(store, writeOrdersFile(dir, 'orders.csv', history.orders));
    const interactions = path.join(dir, 'interactions.csv');
    writeFileSync(
      interactions,
      ['Occurred At,Email,Kind,Channel,Summary', ...history.interactions.map((i) => [i.occurred_at, EMAILS.get(i.customer)!, i.kind, i.channel, i.summary].join(','))].join('\n'),
    );
    const imported = await importInteractions(store, { ...importOptions(interactions), source: 'helpdesk', unknownCustomers: 'reject', maxRejects: { count: 0 } });
    expect(imported.counts.inserted).toBe(history.interactions.length);
  });
  afterEach(async () => {
    await store.close();
    await database.dispose();
  });

  it('gives the expected metrics for every customer, one at a time and all at once', async () => {
    const all = new Map((await collect(listCustomerMetrics(store))).map((m) => [m.customer_id, m]));
    expect(all.size).toBe(6);
    for (const person of PEOPLE) {
      const one = (await getCustomerMetrics(store, (await idOf(store, person))));
      expect(stable(one), person).toMatchObject(expected[person]!);
      const { spend_by_currency: _perCurrency, ...oneWithoutBreakdown } = one!;
      expect(all.get((await idOf(store, person))), person).toEqual({ customer_id: (await idOf(store, person)), ...oneWithoutBreakdown });
    }
  });

  it('reports mixed currencies per currency instead of summing them', async () => {
    expect((await getCustomerMetrics(store, (await idOf(store, 'M-3'))))!.spend_by_currency).toEqual([
      { currency: 'EUR', orders_count: 1, total_minor: 2000 },
      { currency: 'USD', orders_count: 1, total_minor: 1000 },
    ]);
  });

  it('follows a new order, its refund, and undoing the refund and the order', async () => {
    const alice = (await idOf(store, 'M-1'));
    const order: HistoryOrder = { customer: 'M-1', external_id: 'A-6', ordered_at: '2025-10-01T00:00:00.000Z', status: 'paid', currency: 'USD', total_minor: 500, items: [] };
    const placed = await importOrdersFile(store, writeOrdersFile(dir, 'new-order.csv', [order]));
    const withNewOrder = { orders_count: 4, total_spent_minor: 8000, avg_order_value_minor: 2000, last_order_at: '2025-10-01T00:00:00.000Z' };
    expect(stable((await getCustomerMetrics(store, alice)))).toMatchObject(withNewOrder);
    // The same order exported again after a refund: the import updates its status.
    const refunded = await importOrdersFile(store, writeOrdersFile(dir, 'refund.csv', [{ ...order, status: 'refunded' }]));
    expect(stable((await getCustomerMetrics(store, alice)))).toMatchObject(expected['M-1']!);
    expect((await undoImport(store, refunded, 'test')).status).toBe('undone');
    expect(stable((await getCustomerMetrics(store, alice)))).toMatchObject(withNewOrder);
    expect((await undoImport(store, placed, 'test')).status).toBe('undone');
    expect(stable((await getCustomerMetrics(store, alice)))).toMatchObject(expected['M-1']!);
  });

  it('is unchanged by editing the customer, and counts a note as an interaction', async () => {
    const alice = (await idOf(store, 'M-1'));
    await editCustomer(store, alice, [{ field: 'email', value: 'Alice.Archer@Example.com' }, { field: 'company', value: 'Archer Roasters' }], 'test');
    expect(stable((await getCustomerMetrics(store, alice)))).toMatchObject(expected['M-1']!);
    await addCustomerNote(store, alice, 'Called about a wholesale account', 'test');
    const after = (await getCustomerMetrics(store, alice))!;
    expect(after.interactions_count).toBe(2);
    expect(after.last_interaction_at! > expected['M-1']!.last_interaction_at!).toBe(true);
  });

  it('adds up after a merge and goes back after undoing it', async () => {
    const alice = (await idOf(store, 'M-1'));
    const frank = (await idOf(store, 'M-6'));
    const dan = (await idOf(store, 'M-4'));
    // Alice's and Dan's orders are both in USD: merged, they add up.
    const [applied] = await mergeCluster(store, [alice, dan], { actor: 'test', probability: 0.99, command: 'test' });
    const survivor = (await store.db.selectFrom('customers').select('id').where('id', 'in', [alice, dan]).where('status', '=', 'active').executeTakeFirstOrThrow()).id;
    expect(stable((await getCustomerMetrics(store, survivor)))).toMatchObject({
      orders_count: 5,
      total_spent_minor: 9500,
      avg_order_value_minor: 1900,
      currency: 'USD',
      first_order_at: '2025-01-10T10:00:00.000Z',
      last_order_at: '2025-06-20T16:45:00.000Z',
      interactions_count: 1,
    });
    expect((await collect(listCustomerMetrics(store))).map((m) => m.customer_id)).not.toContain(survivor === alice ? dan : alice);
    await undoMerge(store, applied!.mergeId, 'test');
    expect(stable((await getCustomerMetrics(store, alice)))).toMatchObject(expected['M-1']!);
    expect(stable((await getCustomerMetrics(store, dan)))).toMatchObject(expected['M-4']!);
    // A merge across currencies is reported as mixed.
    await mergeCluster(store, [alice, frank], { actor: 'test', probability: 0.99, command: 'test' });
    const mixed = (await collect(listCustomerMetrics(store))).find((m) => m.customer_id === alice || m.customer_id === frank)!;
    expect(mixed).toMatchObject({ orders_count: 5, mixed_currencies: true, total_spent_minor: null, currency: null });
  });

  it('is unchanged by a later customer import and its undo', async () => {
    const file = path.join(dir, 'update.csv');
    writeFileSync(file, 'Customer ID,First Name,Company\nM-1,Alice,Archer Roasters\nM-9,Nina,New Co\n');
    const result = await importCustomers(store, importOptions(file));
    expect(result.counts).toMatchObject({ inserted: 1, updated: 1 });
    expect(stable((await getCustomerMetrics(store, (await idOf(store, 'M-1')))))).toMatchObject(expected['M-1']!);
    expect(stable((await getCustomerMetrics(store, (await idOf(store, 'M-9')))))).toMatchObject(expected['M-5']!);
    expect((await undoImport(store, result.batchId!, 'test')).status).toBe('undone');
    for (const person of PEOPLE) expect(stable((await getCustomerMetrics(store, (await idOf(store, person))))), person).toMatchObject(expected[person]!);
  });
});
