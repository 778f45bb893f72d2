import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CsvRecord } from '../../../src/csv/tokenize-csv.js';
import { cutAtOrderBoundaries } from '../../../src/orders/cut-at-order-boundaries.js';
import { MAX_GROUP_ROWS, normalizeOrderBatch, type OrderGroup } from '../../../src/orders/normalize-order-batch.js';

const ctx = { source: 'shop', defaultCountry: 'US', dateOrder: null, dateOrderConflict: false };
// Cells: order id (padded or not: read trimmed), email, date, total.
const readRow = (cells: readonly string[]) => {
  const id = cells[0]?.trim() ?? '';
  return { ...(id === '' ? {} : { order_id: id }), email: cells[1] ?? '', ordered_at: cells[2] ?? '', total: cells[3] ?? '' };
};
const orderKey = (cells: readonly string[]) => readRow(cells).order_id ?? null;

function makeRecords(ids: readonly (string | null)[]): CsvRecord[] {
  return ids.map((id, i) => ({ line: i + 2, cells: id === null ? ['', '', '', ''] : [id, `c${i % 7}@example.com`, '2024-01-02', '5.00'] }));
}

function batchesOf<T>(items: readonly T[], sizes: readonly number[]): T[][] {
  const batches: T[][] = [];
  let at = 0;
  for (let i = 0; at < items.length; i++) {
    const size = Math.max(1, sizes[i % Math.max(1, sizes.length)] ?? 1);
    batches.push(items.slice(at, at + size));
    at += size;
  }
  return batches;
}

async function* fromArray<T>(items: readonly T[]): AsyncGenerator<T> {
  for (const item of items) yield item;
}

async function cutAll(batches: CsvRecord[][]): Promise<CsvRecord[][]> {
  const cut: CsvRecord[][] = [];
  for await (const batch of cutAtOrderBoundaries(fromArray(batches), orderKey)) cut.push(batch);
  return cut;
}

const shape = (groups: Iterable<OrderGroup>) => [...groups].map((g) => [g.rows, g.keyed, g.normalization.ok]);

describe('normalizeOrderBatch', () => {
  it('groups consecutive rows of one order id, skips blank rows, and makes a row without an id an order of its own', () => {
    const records = makeRecords(['#1', ' #1', null, '#1', '', '', '#2', '#1']);
    // '' is a row with cells but no id: a group of one; null is a blank row.
    const groups = [...normalizeOrderBatch(records, readRow, ctx)];
    expect(groups.map((g) => [g.rows, g.keyed])).toEqual([[3, true], [1, false], [1, false], [1, true], [1, true]]);
    const first = groups[0]!.normalization;
    expect(first.ok && first.order.orderId).toBe('#1');
  });
});

describe('cutAtOrderBoundaries', () => {
  it('never drops, adds or reorders a record, and the batches it cuts group exactly as the whole file in one batch', async () => {
    const id = fc.oneof(fc.constantFrom('A', 'B', ' A', 'C'), fc.constant(''), fc.constant(null));
    await fc.assert(
      fc.asyncProperty(fc.array(id, { maxLength: 60 }), fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 1, maxLength: 8 }), async (ids, sizes) => {
        const records = makeRecords(ids);
        const cut = await cutAll(batchesOf(records, sizes));
        expect(cut.flat()).toEqual(records);
        expect(cut.every((batch) => batch.length > 0)).toBe(true);
        expect(shape(cut.flatMap((batch) => [...normalizeOrderBatch(batch, readRow, ctx)]))).toEqual(shape(normalizeOrderBatch(records, readRow, ctx)));
      }),
    );
  });

  it(`holds back an order longer than a batch, and splits it every ${MAX_GROUP_ROWS} rows as one pass would`, async () => {
    const ids = ['#0', ...Array<string>(2 * MAX_GROUP_ROWS + 2_000).fill('#1'), '#2', '#2'];
    const records = makeRecords(ids);
    const cut = await cutAll(batchesOf(records, [700]));
    expect(cut.flat()).toEqual(records);
    const groups = cut.flatMap((batch) => [...normalizeOrderBatch(batch, readRow, ctx)]);
    expect(groups.map((g) => g.rows)).toEqual([1, MAX_GROUP_ROWS, MAX_GROUP_ROWS, 2_000, 2]);
  });

  it('reads a padded id as the same order (the mapped id decides, not the raw cell)', async () => {
    const records = makeRecords(['#1', '#1', ' #1', '#1 ', '#2']);
    const cut = await cutAll([records.slice(0, 2), records.slice(2, 3), records.slice(3)]);
    expect(cut.map((batch) => batch.length)).toEqual([4, 1]);
  });
});
