import { expect } from 'vitest';
import { getCustomerMetrics, listCustomerMetrics, type CustomerMetrics } from '../../src/customers/get-customer-metrics.js';
import { EXCLUDED_ORDER_STATUSES, findCustomerMetricsDrift } from '../../src/db/customer-metrics.js';
import type { Store } from '../../src/db/open-store.js';

const EXCLUDED = new Set<string>(EXCLUDED_ORDER_STATUSES);
const DAY = 86_400_000;

/**
 * What the metrics of every customer must be, worked out in plain code from the
 * order and interaction rows themselves: an oracle independent of custdb's SQL.
 */
export function expectedMetrics(store: Store): Map<number, Omit<CustomerMetrics, 'spend_by_currency'>> {
  const orders = store.sqlite.prepare('SELECT customer_id, ordered_at, status, currency, total_minor FROM orders').all() as {
    customer_id: number;
    ordered_at: string;
    status: string;
    currency: string | null;
    total_minor: number;
  }[];
  const interactions = store.sqlite.prepare('SELECT customer_id, occurred_at FROM interactions').all() as { customer_id: number; occurred_at: string }[];
  const ids = store.sqlite.prepare('SELECT id FROM customers ORDER BY id').pluck().all() as number[];
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
export function expectStoredMetricsRight(store: Store, step: string): void {
  const expected = expectedMetrics(store);
  for (const [id, metrics] of expected) {
    const { spend_by_currency: _breakdown, ...read } = getCustomerMetrics(store, id)!;
    expect(read, `${step}: customer ${id}`).toEqual(metrics);
  }
  const active = new Set(store.sqlite.prepare(`SELECT id FROM customers WHERE status = 'active'`).pluck().all() as number[]);
  const listed = [...listCustomerMetrics(store)];
  expect(listed.map((m) => m.customer_id), step).toEqual([...active].sort((a, b) => a - b));
  for (const { customer_id, ...read } of listed) expect(read, `${step}: listed customer ${customer_id}`).toEqual(expected.get(customer_id));
  expect(findCustomerMetricsDrift(store.sqlite), step).toEqual({ count: 0, sample: [] });
}

