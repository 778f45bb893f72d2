import { sql, type Insertable, type Kysely } from 'kysely';
import { beforeAll, afterAll, describe, expect, it } from 'vitest';
import { EXCLUDED_ORDER_STATUSES } from '../../../src/db/customer-metrics.js';
import { openStore } from '../../../src/db/open-store.js';
import type { Store } from '../../../src/db/store.js';
import type { Database } from '../../../src/db/tables.js';
import { compileFilter } from '../../../src/filter/compile-filter.js';
import { FilterError } from '../../../src/filter/filter-error.js';
import { freshDatabase, TEST_DIALECTS, type FreshDatabase } from '../../helpers/dialects.js';

const AS_OF = '2026-03-31';
const SEGMENTS: Record<string, string> = {
  vip: 'tags contains "vip"',
  london_vip: 'in segment "vip" and city = "London"',
};
const context = { asOf: AS_OF, segmentFilter: (name: string) => SEGMENTS[name], segmentNames: Object.keys(SEGMENTS) };
const AT = '2026-03-01T10:00:00.000Z';

/**
 * Three customers, their tags, attributes, identities and orders:
 * 1 Ada (London, GB, vip + Coffee_Club, shopify 1001; orders 2026-01-10 $10 tea,
 *   2026-03-20 $25 espresso beans, and a refunded espresso 2026-03-25),
 * 2 Bob (london, US, square 77; one order 2026-03-31 23:59:59.999 $50 espresso machine SKU M_1),
 * 3 Chloé (no city, CA, tag VIP, no orders).
 */
async function addShop(db: Kysely<Database>): Promise<void> {
  const customer = async (values: Partial<Insertable<Database['customers']>>) =>
    (await db.insertInto('customers').values({ created_at: AT, updated_at: AT, ...values }).returning('id').executeTakeFirstOrThrow()).id;
  const ada = await customer({ first_name: 'Ada', city: 'London', country: 'GB', email: 'ada@example.com', email_consent: 'granted', signup_date: '2026-03-01' });
  const bob = await customer({ first_name: 'Bob', city: 'london', country: 'US', email_consent: 'denied', signup_date: '2026-02-28', created_at: '2026-02-28T23:59:59.999Z' });
  const chloe = await customer({ first_name: 'Chloé', city: '', country: 'CA', email: 'chloe@example.com' });
  await db.insertInto('customer_tags').values([{ customer_id: ada, tag: 'vip' }, { customer_id: ada, tag: 'Coffee_Club' }, { customer_id: chloe, tag: 'VIP' }]).execute();
  await db
    .insertInto('customer_attributes')
    .values([
      { customer_id: ada, name: 'favourite_roast', value: 'dark' },
      { customer_id: ada, name: 'weird name', value: '50% off' },
      { customer_id: bob, name: 'favourite_roast', value: 'light' },
      { customer_id: chloe, name: 'favourite_roast', value: '' },
      { customer_id: chloe, name: 'town', value: 'ÅRHUS' },
    ])
    .execute();
  await db
    .insertInto('customer_identities')
    .values([
      { customer_id: ada, source: 'shopify', external_id: '1001', created_at: AT },
      { customer_id: bob, source: 'square', external_id: '77', created_at: AT },
    ])
    .execute();
  const order = async (customerId: number, externalId: string, orderedAt: string, totalMinor: number, status: string, item: { name: string; sku: string | null }) => {
    const { id } = await db
      .insertInto('orders')
      .values({ customer_id: customerId, source: 'shop', external_id: externalId, ordered_at: orderedAt, status, currency: 'USD', total_minor: totalMinor, created_at: AT })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db.insertInto('order_items').values({ order_id: id, name: item.name, sku: item.sku }).execute();
  };
  await order(ada, 'a1', '2026-01-10T09:00:00.000Z', 1000, 'paid', { name: 'Tea', sku: null });
  await order(ada, 'a2', '2026-03-20T12:00:00.000Z', 2500, 'paid', { name: 'Espresso Beans', sku: 'ESP-1' });
  await order(ada, 'a3', '2026-03-25T12:00:00.000Z', 2500, 'refunded', { name: 'Espresso Beans', sku: 'ESP-1' });
  await order(bob, 'b1', '2026-03-31T23:59:59.999Z', 5000, 'paid', { name: 'Espresso Machine', sku: 'M_1' });
}

/**
 * A stand-in for the per-customer field query (src/db/customer-fields-query.ts):
 * a derived table `cf` with the columns these tests name, computed the same way.
 */
function customerFields(db: Kysely<Database>) {
  const counted = sql.join(EXCLUDED_ORDER_STATUSES.map((status) => sql.lit(status)));
  return db
    .selectFrom('customers as c')
    .select([
      'c.id',
      'c.first_name',
      'c.city',
      'c.country',
      'c.email',
      'c.email_consent',
      'c.signup_date',
      'c.created_at',
      sql<number>`(SELECT COUNT(*) FROM orders o WHERE o.customer_id = c.id AND o.status NOT IN (${counted}))`.as('orders_count'),
      sql<number>`(SELECT SUM(o.total_minor) FROM orders o WHERE o.customer_id = c.id AND o.status NOT IN (${counted})) / 100.0`.as('total_spent'),
      sql<string>`(SELECT MAX(o.ordered_at) FROM orders o WHERE o.customer_id = c.id AND o.status NOT IN (${counted}))`.as('last_order_at'),
    ])
    .as('cf');
}

describe.each(TEST_DIALECTS)('compileFilter on a real %s database', (dialect) => {
  let database: FreshDatabase;
  let store: Store;

  beforeAll(async () => {
    database = await freshDatabase(dialect);
    store = (await openStore({ location: database.location, create: true, migrations: 'apply' })).store;
    await addShop(store.db);
  });
  afterAll(async () => {
    await store?.close();
    await database?.dispose();
  });

  async function idsMatching(filter: string): Promise<number[]> {
    const rows = await store.db.selectFrom(customerFields(store.db)).select('cf.id').where(compileFilter(filter, context)).orderBy('cf.id').execute();
    return rows.map((row) => Number(row.id));
  }

  const cases: [string, number[]][] = [
    // Text: =, != and in ignore case; != and not in are true for an empty field, as not (…) is.
    ['city = "london"', [1, 2]],
    ['city != "LONDON"', [3]],
    ['not (city = "london")', [3]],
    ['city is empty', [3]],
    ['email is empty', [2]],
    ['email is not empty', [1, 3]],
    ['country in ("gb", "US")', [1, 2]],
    ['country not in ("GB")', [2, 3]],
    ['email contains "EXAMPLE"', [1, 3]],
    ['email starts with "ada@"', [1]],
    ['first_name = "chloé"', [3]],
    ['first_name >= "B"', [2, 3]],
    // Tags: exact tag, any case.
    ['tags contains "vip"', [1, 3]],
    ['tags contains "vi"', []],
    ['tags starts with "coffee_"', [1]],
    ['tags is empty', [2]],
    ['tags in ("coffee_club", "nothing")', [1]],
    ['tags not in ("vip")', [2]],
    // Numbers compare as numbers.
    ['total_spent >= 35', [1, 2]],
    ['total_spent between 30 and 40', [1]],
    ['total_spent > 49.99', [2]],
    ['total_spent is empty', [3]],
    ['orders_count = 2', [1]],
    ['orders_count > 0.5 and orders_count < 1.5', [2]],
    ['orders_count in (0, 2)', [1, 3]],
    // Timestamps against days: exact at the day's edges (Bob's order is at 23:59:59.999 on the as-of day).
    ['last_order_at >= 2026-03-31', [2]],
    ['last_order_at < 2026-03-31', [1]],
    ['last_order_at <= 2026-03-30', [1]],
    ['last_order_at > 2026-03-30', [2]],
    ['last_order_at = today', [2]],
    ['last_order_at = yesterday', []],
    ['last_order_at in last 11 days', [1, 2]],
    ['last_order_at in last 10 days', [2]],
    ['last_order_at between 2026-03-20 and 2026-03-20', [1]],
    ['last_order_at >= 2026-03-31T23:59:59.999Z', [2]],
    ['last_order_at < 1 week ago', [1]],
    ['created_at = 2026-03-01', [1, 3]],
    ['created_at = "2026-02-28"', [2]],
    ['created_at in (2026-02-28, 2026-03-01)', [1, 2, 3]],
    // Dates.
    ['signup_date in this month', [1]],
    ['signup_date in last month', [2]],
    ['signup_date < 1 month ago', []],
    ['signup_date <= 1 month ago', [2]],
    ['signup_date in this year', [1, 2]],
    ['signup_date in last year', []],
    ['signup_date is empty', [3]],
    // Consent.
    ['email_consent = granted', [1]],
    ['email_consent = "no"', [2]],
    ['email_consent != granted', [2, 3]],
    ['email_consent in (yes, no)', [1, 2]],
    ['email_consent is empty', [3]],
    // Custom attributes, compared as text; % and _ in the value are literal.
    ['attr.favourite_roast = "DARK"', [1]],
    ['attr.favourite_roast != "dark"', [2, 3]],
    ['attr.favourite_roast is empty', [3]],
    ['attr."weird name" contains "50%"', [1]],
    ['attr."weird name" contains "5_"', []],
    ['attr.missing is empty', [1, 2, 3]],
    // Case is folded for A–Z only, the same on both dialects.
    ['attr.town = "Århus"', [3]],
    ['attr.town = "århus"', []],
    ['attr.town contains "rhus"', [3]],
    // Identities.
    ['source = "shopify"', [1]],
    ['source != "Shopify"', [2, 3]],
    ['external_id = "77"', [2]],
    ['source is empty', [3]],
    ['source in ("square", "stripe")', [2]],
    // Orders: refunded ones do not count.
    ['ordered()', [1, 2]],
    ['not ordered()', [3]],
    ['ordered() = 0', [3]],
    ['ordered() >= 2', [1]],
    ['ordered(product contains "espresso")', [1, 2]],
    ['ordered(product contains "espresso") >= 2', []],
    ['ordered(product contains "ESPRESSO", since 2026-03-21)', [2]],
    ['ordered(product = "esp-1")', [1]],
    ['ordered(sku = "m_1")', [2]],
    ['ordered(sku starts with "M_")', [2]],
    ['ordered(sku starts with "M%")', []],
    ['ordered(total >= 25)', [1, 2]],
    ['ordered(total > 25)', [2]],
    ['ordered(total = 10.00)', [1]],
    ['ordered(before 2026-01-11)', [1]],
    ['ordered(since 11 days ago, before today)', [1]],
    ['ordered(status = "refunded")', []],
    ['ordered(status = "PAID") = 1', [2]],
    ['ordered(status != "paid")', []],
    // Logic and segments.
    ['not (city = "london" or tags contains "vip")', []],
    ['city = "london" and not tags contains "vip"', [2]],
    ['tags contains "vip" or city = "london" and country = "US"', [1, 2, 3]],
    ['(tags contains "vip" or city = "london") and country = "US"', [2]],
    ['in segment "vip"', [1, 3]],
    ['not in segment "vip"', [2]],
    ['in segment "london_vip"', [1]],
    // Hostile text is only ever a value.
    ['city = "\'; drop table customers; --"', []],
    ['first_name = "1=1"', []],
  ];

  it.each(cases)('%s', async (filter, expected) => {
    expect(await idsMatching(filter)).toEqual(expected);
  });

  it('leaves the tables as they were after hostile filters', async () => {
    await expect(idsMatching(`attr."; delete from customers; --" = "1"`)).resolves.toEqual([]);
    expect(() => compileFilter(`'; drop table customers; --`, context)).toThrow(FilterError);
    expect(() => compileFilter('first_name = "x" or 1 = 1', context)).toThrow(FilterError);
    const { count } = await store.db.selectFrom('customers').select((eb) => eb.fn.countAll().as('count')).executeTakeFirstOrThrow();
    expect(Number(count)).toBe(3);
  });
});
