import { copyFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readRfmSettings } from '../../src/analytics/rfm-settings.js';
import { rebuildCustomerMetrics } from '../../src/db/customer-metrics.js';
import { selectCustomerFields, type CustomerFieldsOptions, type CustomerFieldsRow } from '../../src/db/customer-fields-query.js';
import { openStore } from '../../src/db/open-store.js';
import { DEFAULT_RFM_TABLE } from '../../src/db/rfm-table.js';
import type { Store } from '../../src/db/store.js';
import { SCALAR_QUERY_FIELDS } from '../../src/model/query-fields.js';
import { freshLocation, TEST_DIALECTS, type TestDialect } from '../helpers/dialects.js';
import { runCliInProcess } from '../helpers/run-cli-in-process.js';
import { FIXTURES } from '../helpers/run-cli.js';

const TODAY = '2026-12-05';
const STAMP = '2026-01-01T00:00:00.000Z';

async function openFresh(dialect: TestDialect): Promise<{ store: Store; location: string; dir: string }> {
  const { location, dir } = await freshLocation(dialect, 'custdb-fields-');
  const { store } = await openStore({ location, create: true, migrations: 'apply' });
  return { store, location, dir };
}

interface HandOrder {
  at: string;
  total: number;
  currency: string | null;
  status?: string;
}

interface HandCustomer {
  first_name: string | null;
  last_name?: string | null;
  signup_date?: string | null;
  status?: 'active' | 'merged';
  orders?: HandOrder[];
  interactions?: string[];
}

/**
 * Writes customers, orders and interactions straight into the tables and then
 * rebuilds the stored metrics, as the bench's generator does; returns the ids by first name.
 */
async function insert(store: Store, people: HandCustomer[]): Promise<Map<string, number>> {
  const ids = new Map<string, number>();
  await store.transaction(async (trx) => {
    let order = 0;
    for (const person of people) {
      const { id } = await trx
        .insertInto('customers')
        .values({
          first_name: person.first_name,
          last_name: person.last_name ?? null,
          email: `${(person.first_name ?? 'x').toLowerCase()}@example.com`,
          signup_date: person.signup_date ?? null,
          status: person.status ?? 'active',
          email_consent: 'granted',
          created_at: STAMP,
          updated_at: STAMP,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      ids.set(person.first_name ?? '', id);
      for (const o of person.orders ?? []) {
        order += 1;
        await trx
          .insertInto('orders')
          .values({ customer_id: id, source: 'shop', external_id: `o${order}`, ordered_at: o.at, status: o.status ?? 'paid', currency: o.currency, total_minor: o.total, created_at: STAMP })
          .execute();
      }
      for (const at of person.interactions ?? []) {
        await trx.insertInto('interactions').values({ customer_id: id, occurred_at: at, kind: 'note', created_at: STAMP }).execute();
      }
    }
    await rebuildCustomerMetrics(trx);
  });
  return ids;
}

async function readAll(store: Store, options: Omit<CustomerFieldsOptions, 'today'>): Promise<Map<number, CustomerFieldsRow>> {
  const rows = await selectCustomerFields(store, { today: TODAY, ...options }).selectAll().orderBy('id').execute();
  return new Map(rows.map((row) => [row.id, row]));
}

/** Whole days between two UTC calendar days, computed apart from SQL. */
function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to.slice(0, 10)}T00:00:00Z`) - Date.parse(`${from.slice(0, 10)}T00:00:00Z`)) / 86_400_000);
}

/*
 * Hand-made store (today 2026-12-05):
 *   Ann  USD 50.00 (2025-01-10) + USD 25.00 (2025-06-01) + a refunded USD 100.00 (2025-07-01); 2 interactions
 *   Bob  USD 10.00 (2025-03-01) + EUR 20.00 (2025-04-01): mixed, no total
 *   Cy   no orders, one interaction
 *   Dee  merged away (left out)
 *   Eve  USD 10.00 (2026-11-30) + 5.01 without a currency (2026-12-01): USD, average 750.5 cents → 7.51
 *   Fay  EUR 500.00 (2026-10-01)
 */
const PEOPLE: HandCustomer[] = [
  {
    first_name: 'Ann',
    last_name: 'Archer',
    signup_date: '2024-12-01',
    orders: [
      { at: '2025-01-10T10:00:00.000Z', total: 5000, currency: 'USD' },
      { at: '2025-06-01T23:30:00.000Z', total: 2500, currency: 'USD' },
      { at: '2025-07-01T08:00:00.000Z', total: 10000, currency: 'USD', status: 'refunded' },
    ],
    interactions: ['2025-02-01T09:00:00.000Z', '2025-08-01T09:00:00.000Z'],
  },
  {
    first_name: 'Bob',
    orders: [
      { at: '2025-03-01T12:00:00.000Z', total: 1000, currency: 'USD' },
      { at: '2025-04-01T12:00:00.000Z', total: 2000, currency: 'EUR' },
    ],
  },
  { first_name: 'Cy', signup_date: '2026-12-05', interactions: ['2025-09-01T09:00:00.000Z'] },
  { first_name: 'Dee', status: 'merged' },
  {
    first_name: 'Eve',
    orders: [
      { at: '2026-11-30T12:00:00.000Z', total: 1000, currency: 'USD' },
      { at: '2026-12-01T12:00:00.000Z', total: 501, currency: null },
    ],
  },
  { first_name: 'Fay', orders: [{ at: '2026-10-01T12:00:00.000Z', total: 50000, currency: 'EUR' }] },
];

describe.each(TEST_DIALECTS)('selectCustomerFields on %s', (dialect) => {
  it('has every scalar field of the catalogue as a column, one row per active customer', async () => {
    const { store } = await openFresh(dialect);
    try {
      await insert(store, PEOPLE);
      const rows = await selectCustomerFields(store, { asOf: TODAY, today: TODAY }).selectAll().execute();
      expect(rows).toHaveLength(5);
      expect(Object.keys(rows[0]!).sort()).toEqual(SCALAR_QUERY_FIELDS.map((f) => f.name).sort());
    } finally {
      await store.close();
    }
  });

  it('gives each computed field by hand, as of today, from the stored metrics', async () => {
    const { store } = await openFresh(dialect);
    try {
      const ids = await insert(store, PEOPLE);
      const all = await readAll(store, { asOf: TODAY });
      const of = (name: string) => all.get(ids.get(name)!)!;
      expect([...all.keys()]).not.toContain(ids.get('Dee'));
      expect(of('Ann')).toMatchObject({
        full_name: 'Ann Archer',
        email_consent: 'granted',
        orders_count: 2,
        total_spent: 75,
        avg_order_value: 37.5,
        currency: 'USD',
        first_order_at: '2025-01-10T10:00:00.000Z',
        last_order_at: '2025-06-01T23:30:00.000Z',
        days_since_last_order: daysBetween('2025-06-01', TODAY),
        days_since_signup: daysBetween('2024-12-01', TODAY),
        interactions_count: 2,
        last_interaction_at: '2025-08-01T09:00:00.000Z',
      });
      // Mixed currencies: counted, never summed.
      expect(of('Bob')).toMatchObject({ full_name: 'Bob', orders_count: 2, total_spent: null, avg_order_value: null, currency: null, interactions_count: 0, days_since_signup: null });
      expect(of('Cy')).toMatchObject({
        orders_count: 0, total_spent: 0, avg_order_value: null, currency: null, last_order_at: null, days_since_last_order: null, days_since_signup: 0, interactions_count: 1,
        rfm_recency: null, rfm_frequency: null, rfm_monetary: null, rfm_score: null, rfm_segment: null,
      });
      expect(of('Eve')).toMatchObject({ orders_count: 2, total_spent: 15.01, avg_order_value: 7.51, currency: 'USD', days_since_last_order: 4 });
      expect(of('Fay')).toMatchObject({ orders_count: 1, total_spent: 500, avg_order_value: 500, currency: 'EUR' });
    } finally {
      await store.close();
    }
  });

  it('scores RFM in the main currency: by default the one with the most orders, else the one given', async () => {
    const { store } = await openFresh(dialect);
    try {
      const ids = await insert(store, PEOPLE);
      const rfm = async (options: Partial<CustomerFieldsOptions>) => {
        const all = await readAll(store, { asOf: TODAY, ...options });
        return Object.fromEntries(['Ann', 'Bob', 'Eve', 'Fay'].map((name) => [name, `${all.get(ids.get(name)!)!.rfm_score} ${all.get(ids.get(name)!)!.rfm_segment}`]));
      };
      /*
       * Ranked: the 4 customers with counted orders (Cy has none), score = ceil(5k/4), k = customers at or below.
       * Orders by currency: USD 5 (Ann 2, Bob 1, Eve 2: her order without a currency is in her one currency), EUR 2 → main USD.
       * R, last order day: Bob 2025-04-01 (k1→2), Ann 2025-06-01 (k2→3), Fay 2026-10-01 (k3→4), Eve 2026-12-01 (k4→5).
       * F, orders: Fay 1 (k1→2); Ann, Bob, Eve 2 (k4→5).
       * M, USD spend: Fay 0 (only EUR, k1→2), Bob 10.00 (his USD order, k2→3), Eve 15.01 (k3→4), Ann 75.00 (k4→5).
       */
      expect(await rfm({})).toEqual({ Ann: '355 Loyal Customers', Bob: "253 Can't Lose Them", Eve: '554 Champions', Fay: '422 Potential Loyalists' });
      // In EUR: Ann 0 and Eve 0 (k2→3), Bob 20.00 (k3→4), Fay 500.00 (k4→5); R and F do not change.
      expect(await rfm({ mainCurrency: 'EUR' })).toEqual({ Ann: '353 Loyal Customers', Bob: "254 Can't Lose Them", Eve: '553 Champions', Fay: '425 Potential Loyalists' });
      // Another table renames the segments, cell by cell (R rows, F columns).
      const numbered = DEFAULT_RFM_TABLE.map((row, r) => row.map((_, f) => `r${r + 1}f${f + 1}`));
      expect(await rfm({ rfmTable: numbered })).toEqual({ Ann: '355 r3f5', Bob: '253 r2f5', Eve: '554 r5f5', Fay: '422 r4f2' });
    } finally {
      await store.close();
    }
  });

  it('as of a past day regroups the orders and interactions up to the end of that day', async () => {
    const { store } = await openFresh(dialect);
    try {
      const ids = await insert(store, [
        ...PEOPLE,
        {
          first_name: 'Gil',
          orders: [
            { at: '2025-05-15T23:59:59.999Z', total: 100, currency: 'USD' },
            { at: '2025-05-16T00:00:00.000Z', total: 200, currency: 'USD' },
          ],
        },
      ]);
      const asOf = '2025-05-15';
      const all = await readAll(store, { asOf });
      const of = (name: string) => all.get(ids.get(name)!)!;
      expect(of('Ann')).toMatchObject({
        orders_count: 1, total_spent: 50, last_order_at: '2025-01-10T10:00:00.000Z', days_since_last_order: daysBetween('2025-01-10', asOf),
        days_since_signup: daysBetween('2024-12-01', asOf), interactions_count: 1, last_interaction_at: '2025-02-01T09:00:00.000Z',
      });
      expect(of('Bob')).toMatchObject({ orders_count: 2, total_spent: null });
      expect(of('Cy')).toMatchObject({ interactions_count: 0, last_interaction_at: null, days_since_signup: -daysBetween(asOf, '2026-12-05') });
      expect(of('Eve')).toMatchObject({ orders_count: 0, total_spent: 0, rfm_score: null });
      expect(of('Gil')).toMatchObject({ orders_count: 1, total_spent: 1, days_since_last_order: 0 });
      /*
       * RFM as of then, over Ann, Bob and Gil (n = 3, score = ceil(5k/3)); main currency USD (Ann 1, Bob 1, Gil 1 vs EUR 1).
       * R: Ann 2025-01-10 (k1→2), Bob 2025-04-01 (k2→4), Gil 2025-05-15 (k3→5).
       * F: Ann 1, Gil 1 (k2→4), Bob 2 (k3→5).  M (USD): Gil 1.00 (k1→2), Bob 10.00 (k2→4), Ann 50.00 (k3→5).
       */
      expect([of('Ann'), of('Bob'), of('Gil')].map((row) => `${row.rfm_score} ${row.rfm_segment}`)).toEqual([
        '245 At Risk',
        '454 Loyal Customers',
        '542 Champions',
      ]);
      // Without interaction fields asked for, the past query leaves them out.
      const narrow = await selectCustomerFields(store, { asOf, today: TODAY, fields: new Set(['orders_count']) })
        .select(['id', 'orders_count', 'interactions_count', 'rfm_score'])
        .where('id', '=', ids.get('Ann')!)
        .executeTakeFirstOrThrow();
      expect(narrow).toEqual({ id: ids.get('Ann'), orders_count: 1, interactions_count: null, rfm_score: null });
    } finally {
      await store.close();
    }
  });

  it('can be narrowed, counted and grouped by the caller', async () => {
    const { store } = await openFresh(dialect);
    try {
      await insert(store, PEOPLE);
      const query = selectCustomerFields(store, { asOf: TODAY, today: TODAY });
      const spenders = await query.where('total_spent', '>=', 50).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      expect(Number(spenders.n)).toBe(2);
      const bySegment = await query
        .select((eb) => ['rfm_segment', eb.fn.countAll<number>().as('n')])
        .groupBy('rfm_segment')
        .orderBy('rfm_segment')
        .execute();
      expect(bySegment.map((row) => [row.rfm_segment, Number(row.n)])).toContainEqual(['Champions', 1]);
      const top = await query.select(['first_name']).orderBy('total_spent', 'desc').orderBy('id').limit(1).where('total_spent', 'is not', null).execute();
      expect(top).toEqual([{ first_name: 'Fay' }]);
      // A segment needs recency and frequency only: monetary is not ranked, and reads as NULL.
      const segmentOnly = await selectCustomerFields(store, { asOf: TODAY, today: TODAY, fields: new Set(['rfm_segment']) })
        .select(['first_name', 'rfm_recency', 'rfm_frequency', 'rfm_monetary', 'rfm_score', 'rfm_segment'])
        .where('first_name', '=', 'Eve')
        .execute();
      expect(segmentOnly).toEqual([{ first_name: 'Eve', rfm_recency: 5, rfm_frequency: 5, rfm_monetary: null, rfm_score: null, rfm_segment: 'Champions' }]);
    } finally {
      await store.close();
    }
  });

  it('scores fixtures/rfm/orders.csv, imported with custdb import, as worked out by hand', async () => {
    const { location, dir } = await freshLocation(dialect, 'custdb-rfm-');
    copyFileSync(path.join(FIXTURES, 'rfm', 'orders.csv'), path.join(dir, 'orders.csv'));
    const imported = await runCliInProcess(['import', 'orders.csv', '--as', 'orders', '--source', 'shop', '--db', location, '--json'], { cwd: dir });
    expect(imported.code, imported.stderr).toBe(0);
    const { store } = await openStore({ location, create: false, migrations: 'apply' });
    try {
      const rows = await selectCustomerFields(store, { asOf: TODAY })
        .innerJoin('customer_identities as ci', 'ci.customer_id', 'cf.id')
        .select(['ci.external_id', 'cf.orders_count', 'cf.rfm_score', 'cf.rfm_segment'])
        .orderBy('ci.external_id')
        .execute();
      const scores = Object.fromEntries(rows.map((row) => [row.external_id, row.rfm_score === null ? `${row.orders_count} orders` : `${row.rfm_score} ${row.rfm_segment}`]));
      /*
       * 20 customers have counted orders (R21's only order and R20's last, largest one were refunded),
       * so each score is ceil(5k/20) = ceil(k/4): k 1–4 → 1, 5–8 → 2, 9–12 → 3, 13–16 → 4, 17–20 → 5,
       * k being how many of the 20 are at or below the customer (ties share the highest k).
       * R by last order day: R01…R06 are days 1–6 (R01–R04 → 1, R05, R06 → 2); R07 and R08 tie on
       *   2026-05-05 at k 8 → 2; R09–R12 → 3; R13–R16 → 4; R17–R20 → 5.
       * F by orders: six customers with 1 (k 6 → 2), four with 2 (k 10 → 3), four with 3 (k 14 → 4),
       *   two with 4 (k 16 → 4), then 5, 6, 8, 10 orders (k 17–20 → 5).
       * M by spend: 10.00 R01, 12.00 R20, 15.00 R03, 20.00 R02 (→ 1); 25.00 R13, 30.00 R17, 35.00 R05,
       *   40.00 R04 (→ 2); 55.00 R15, 60.00 R06, 75.00 R08, 90.00 R07 (→ 3); 95.00 R18, 110.00 R11,
       *   120.00 R09, 150.00 R10 (→ 4); 200.00 R12, 300.00 R14, 500.00 R16, 800.00 R19 (→ 5).
       * Segment from R and F by the default table.
       */
      expect(scores).toEqual({
        R01: '121 Hibernating', R02: '121 Hibernating', R03: '121 Hibernating', R04: '132 At Risk', R05: '232 At Risk',
        R06: '233 At Risk', R07: '243 At Risk', R08: '243 At Risk', R09: '344 Loyal Customers', R10: '344 Loyal Customers',
        R11: '344 Loyal Customers', R12: '355 Loyal Customers', R13: '422 Potential Loyalists', R14: '455 Loyal Customers',
        R15: '433 Potential Loyalists', R16: '455 Loyal Customers', R17: '522 Potential Loyalists', R18: '544 Champions',
        R19: '555 Champions', R20: '521 Potential Loyalists', R21: '0 orders',
      });
    } finally {
      await store.close();
    }
  });

  it('takes the segment table and the main currency from the settings (custdb config set)', async () => {
    const first = await openFresh(dialect);
    const { location, dir } = first;
    const ids = await insert(first.store, PEOPLE);
    // The CLI runs in this process and checks that it leaves no file open: the test's own store is closed meanwhile.
    await first.store.close();
    const table = Object.fromEntries(DEFAULT_RFM_TABLE.map((row, r) => [String(r + 1), row.map((name) => (name === 'Champions' ? 'Stars' : name))]));
    writeFileSync(path.join(dir, 'rfm.json'), JSON.stringify(table));
    writeFileSync(path.join(dir, 'holey.json'), JSON.stringify({ ...table, 4: ['A', 'B', '', 'D', 'E'] }));
    for (const args of [['rfm-table', 'rfm.json'], ['currency', 'eur']]) {
      const set = await runCliInProcess(['config', 'set', ...args, '--db', location], { cwd: dir });
      expect(set.code, set.stderr).toBe(0);
    }
    const refused = await runCliInProcess(['config', 'set', 'rfm-table', 'holey.json', '--db', location], { cwd: dir });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/recency "4", frequency 3 has no segment name/);

    const { store } = await openStore({ location, create: false, migrations: 'apply' });
    try {
      const settings = await readRfmSettings(store);
      expect(settings.mainCurrency).toBe('EUR');
      // The refused file left the table set before it in place.
      expect(settings.rfmTable[4]).toEqual(['New Customers', 'Potential Loyalists', 'Potential Loyalists', 'Stars', 'Stars']);
      const eve = (await readAll(store, { asOf: TODAY, ...settings })).get(ids.get('Eve')!)!;
      expect(`${eve.rfm_score} ${eve.rfm_segment}`).toBe('553 Stars');
    } finally {
      await store.close();
    }
  });
});
