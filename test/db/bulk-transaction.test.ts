import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../src/db/open-store.js';
import type { Store } from '../../src/db/store.js';
import { freshLocation, TEST_DIALECTS } from '../helpers/dialects.js';

const COLUMNS = ['customer_id', 'fit_id', 'p_active', 'expected_orders_90d', 'expected_orders_365d', 'predicted_value_12m', 'clv'];
const FIT = {
  fitted_at: '2026-12-05T00:00:00.000Z',
  as_of: '2026-12-04',
  time_unit: 'weeks' as const,
  horizon_months: 12,
  monthly_discount_rate: 0.01,
  models_json: '{}',
  orders_count: 0,
  max_order_id: 0,
  max_order_change_id: 0,
  max_merge_id: 0,
  undone_merges: 0,
};

/** Row i's values: awkward doubles (thirds, tiny, large) that must come back bit for bit. */
function row(i: number, fitId: number): number[] {
  return [i + 1, fitId, 1 / (i + 3), (i + 1) * 1e-300, (i + 1) / 3, 1e15 + i / 7, -(i + 1) / 11];
}

/** One array refilled for every row, as the writer's callers hand them out. */
function* rows(count: number, fitId: number, failAt = -1): Generator<number[]> {
  const values = new Array<number>(COLUMNS.length);
  for (let i = 0; i < count; i++) {
    if (i === failAt) throw new Error('the rows ran out');
    row(i, fitId).forEach((value, k) => (values[k] = value));
    yield values;
  }
}

async function counts(store: Store): Promise<{ fits: number; predictions: number }> {
  const { rows: found } = await sql<{ fits: number; predictions: number }>`SELECT
      (SELECT count(*) FROM model_fits) AS fits, (SELECT count(*) FROM customer_predictions) AS predictions`.execute(store.db);
  return { fits: Number(found[0]!.fits), predictions: Number(found[0]!.predictions) };
}

describe.each(TEST_DIALECTS)('a bulk write on %s', (dialect) => {
  async function open(): Promise<Store> {
    const { location } = await freshLocation(dialect, 'custdb-bulk-');
    const { store } = await openStore({ location, create: true, migrations: 'apply' });
    return store;
  }

  it('writes every row exactly, with the statements of its transaction, whatever the count', async () => {
    const store = await open();
    try {
      // 1,234 rows: full statements of many rows, then a short last one.
      const fitId = await store.bulkTransaction(async (db, bulk) => {
        const { id } = await db.insertInto('model_fits').values(FIT).returning('id').executeTakeFirstOrThrow();
        await bulk.insert('customer_predictions', COLUMNS, rows(1234, id));
        // A query in the same transaction sees the rows just written.
        const { rows: seen } = await sql<{ n: number }>`SELECT count(*) AS n FROM customer_predictions`.execute(db);
        expect(Number(seen[0]!.n)).toBe(1234);
        return id;
      });
      const stored = await store.db.selectFrom('customer_predictions').selectAll().orderBy('customer_id').execute();
      expect(stored).toHaveLength(1234);
      for (const [i, values] of stored.entries()) {
        expect(COLUMNS.map((column) => Number(values[column as keyof typeof values]))).toEqual(row(i, fitId));
      }
      await store.bulkTransaction(async (_db, bulk) => bulk.insert('customer_predictions', COLUMNS, []));
      expect(await counts(store)).toEqual({ fits: 1, predictions: 1234 });
    } finally {
      await store.close();
    }
  });

  it('keeps nothing of a write whose rows fail midway or that the table refuses, and the database goes on working', async () => {
    const store = await open();
    try {
      const failing = store.bulkTransaction(async (db, bulk) => {
        const { id } = await db.insertInto('model_fits').values(FIT).returning('id').executeTakeFirstOrThrow();
        await bulk.insert('customer_predictions', COLUMNS, rows(700, id, 650));
      });
      await expect(failing).rejects.toThrow('the rows ran out');
      expect(await counts(store)).toEqual({ fits: 0, predictions: 0 });

      const refused = store.bulkTransaction(async (db, bulk) => {
        const { id } = await db.insertInto('model_fits').values(FIT).returning('id').executeTakeFirstOrThrow();
        // The same customer twice: the primary key refuses the second.
        await bulk.insert('customer_predictions', COLUMNS, [row(0, id), row(1, id), row(0, id)]);
      });
      await expect(refused).rejects.toThrow();
      expect(await counts(store)).toEqual({ fits: 0, predictions: 0 });

      await expect(store.bulkTransaction(async (_db, bulk) => bulk.insert('customer_predictions', COLUMNS, [[1, 2, 3]]))).rejects.toThrow(/3 values for 7 columns/);

      await store.bulkTransaction(async (db, bulk) => {
        const { id } = await db.insertInto('model_fits').values(FIT).returning('id').executeTakeFirstOrThrow();
        await bulk.insert('customer_predictions', COLUMNS, rows(3, id));
      });
      expect(await counts(store)).toEqual({ fits: 1, predictions: 3 });
    } finally {
      await store.close();
    }
  });
});
