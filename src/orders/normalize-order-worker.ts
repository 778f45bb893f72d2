import { parentPort, workerData } from 'node:worker_threads';
import { transferablesOf, unpackRecords, type PackedRows } from '../import/record-codec.js';
import type { OrderField } from '../model/order-fields.js';
import { makeRecordReader, type RecordMapping } from '../mapping/map-record-columns.js';
import type { OrderContext } from './normalize-order.js';
import { normalizeOrderBatch } from './normalize-order-batch.js';
import { packOrderGroups } from './order-group-codec.js';

// Worker thread entry: maps, groups and standardises the packed batches of an orders file sent by runInWorkers, answering each with its sequence number.
const { mapping, context } = workerData as { mapping: RecordMapping<OrderField>; context: OrderContext };
const readRow = makeRecordReader(mapping);
parentPort!.on('message', (message: { sequence: number; rows: PackedRows }) => {
  const results = packOrderGroups(normalizeOrderBatch(unpackRecords(message.rows), readRow, context));
  parentPort!.postMessage({ sequence: message.sequence, results }, transferablesOf(results));
});
