import { expect } from 'vitest';
import { getCustomerMetrics, listCustomerMetrics, type CustomerMetrics } from '../../src/customers/get-customer-metrics.js';
import { EXCLUDED_ORDER_STATUSES, findCustomerMetricsDrift } from '../../src/db/customer-metrics.js';
import type { Store } from '../../src/db/store.js';

const EXCLUDED = new Set<string>(EXCLUDED_ORDER_STATUSES);
const DAY = 86_400_000;

/**
 * What the metrics of every customer must be, worked out in plain code from the
 * order and interaction rows themselves: an oracle independent of custdb's SQL.
 */
export async function expectedMetrics(store: Store): Promise<Map<number, Omit<CustomerMetrics, 'spend_by_currency'>>> {
  const orders = await store.db.selectFrom('orders').select(['customer_id', 'ordered_at', 'status', 'currency', 'total_minor']).execute();
  const interactions = await store.db.selectFrom('interactions').select(['customer_id', 'occurred_at']).execute();
  const ids = (await store.db.selectFrom('customers').select('id').orderBy('id').execute()).map((row) => row.id);
  const result = new Map<number, Omit<CustomerMetrics, 'spend_by_currency'>>();
  for (const id of ids) {
    const counted = orders.filter((o) => o.customer_id === id && !EXCLUDED.has(o.status));
    const currencies = new Set(counted.map((o) => o.currency).filter((c) => c !== null));
    const mixed = currencies.size > 1;
    const sum = counted.reduce((total, o) => total + o.total_minor, 0);
    const total = counted.length === 0 ? 0 : mixed ? null : sum;
    const average = total === null || counted.length === 0 ? null : Math.round(total / counted.length);
    const dates = counted.map((o) => o.ordered_at).sort();
    const last = dates.at(-1) ?? null;
    const contacts = interactions.filter((i) => i.customer_id === id).map((i) => i.occurred_at).sort();
    result.set(id, {
      orders_count: counted.length,
      total_spent: total === null ? null : total / 100,
      total_spent_minor: total,
      avg_order_value: average === null ? null : average / 100,
      avg_order_value_minor: average,
      currency: mixed ? null : ([...currencies][0] ?? null),
      mixed_currencies: mixed,
      first_order_at: dates[0] ?? null,
      last_order_at: last,
      days_since_last_order: last === null ? null : Math.floor((Date.now() - Date.parse(last)) / DAY),
      interactions_count: contacts.length,
      last_interaction_at: contacts.at(-1) ?? null,
    });
  }
  return result;
}

/** Every customer's metrics as custdb reads them (one by one, and all active ones at once) equal the oracle's; doctor sees no drift. */
export async function expectStoredMetricsRight(store: Store, step: string): Promise<void> {
  const expected = await expectedMetrics(store);
  for (const [id, metrics] of expected) {
    const { spend_by_currency: _breakdown, ...read } = (await getCustomerMetrics(store, id))!;
    expect(read, `${step}: customer ${id}`).toEqual(metrics);
  }
  const active = new Set((await store.db.selectFrom('customers').select('id').where('status', '=', 'active').execute()).map((row) => row.id));
  const listed: ({ customer_id: number } & CustomerMetrics)[] = [];
  for await (const metrics of listCustomerMetrics(store)) listed.push(metrics);
  expect(listed.map((m) => m.customer_id), step).toEqual([...active].sort((a, b) => a - b));
  for (const { customer_id, ...read } of listed) expect(read, `${step}: listed customer ${customer_id}`).toEqual(expected.get(customer_id));
  expect(await findCustomerMetricsDrift(store), step).toEqual({ count: 0, sample: [] });
}

