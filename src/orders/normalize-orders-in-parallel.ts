import type { CsvRecord } from '../csv/tokenize-csv.js';
import { runInWorkers, type BatchJob, type PoolOptions } from '../import/normalizer-pool.js';
import { packRecords, unpackRecords, type PackedRows } from '../import/record-codec.js';
import type { OrderField } from '../model/order-fields.js';
import { cutAtOrderBoundaries } from './cut-at-order-boundaries.js';
import { makeRecordReader, type RecordMapping } from '../mapping/map-record-columns.js';
import type { OrderContext } from './normalize-order.js';
import { normalizeOrderBatch, type OrderGroup } from './normalize-order-batch.js';
import { unpackOrderGroups } from './order-group-codec.js';

/** A batch of an orders file, both read once and in step: its records, and the orders they make. */
export interface OrderBatch {
  records: Iterable<CsvRecord>;
  /** In file order; together they take every record that is not blank. */
  groups: Iterator<OrderGroup, void, undefined>;
}

/**
 * Maps, groups and standardises an orders file's batches on a worker thread
 * (dates, amounts, names and emails are a third of an import's CPU time) and
 * yields them back in file order, each batch cut where an order ends, so the
 * importing thread only matches and writes. Small files, `threads: 0`, or a
 * build without the compiled worker are done inline with the same result.
 */
export async function* normalizeOrdersInParallel(
  batches: AsyncIterable<CsvRecord[]>,
  mapping: RecordMapping<OrderField>,
  context: OrderContext,
  options: PoolOptions,
): AsyncGenerator<OrderBatch> {
  const readRow = makeRecordReader(mapping);
  // The order id alone, read as readRow reads it, for finding where a batch's orders end.
  const readOrderId = makeRecordReader({ ...mapping, columns: mapping.columns.filter((c) => c.target.kind === 'field' && c.target.field === 'order_id') });
  const job: BatchJob<PackedRows, Iterator<OrderGroup, void, undefined>> = {
    file: new URL('./normalize-order-worker.js', import.meta.url),
    workerData: { mapping, context },
    inline: (records) => normalizeOrderBatch(unpackRecords(records), readRow, context),
    pack: (records) => records,
    unpack: unpackOrderGroups,
  };
  const cut = cutAtOrderBoundaries(batches, (cells) => readOrderId(cells).order_id ?? null);
  // One worker keeps well ahead of the writing thread (it has under half the work): more would only cost memory.
  const pool = { ...options, threads: options.threads ?? 1 };
  for await (const { batch, result } of runInWorkers(packEach(cut), job, pool)) yield { records: unpackRecords(batch), groups: result };
}

/** Batches are kept packed while they wait for their turn (see packRecords). */
async function* packEach(batches: AsyncIterable<CsvRecord[]>): AsyncGenerator<PackedRows> {
  for await (const records of batches) yield packRecords(records);
}
