import { parentPort, workerData } from 'node:worker_threads';
import type { Mapping } from '../mapping/mapping-schema.js';
import type { RowContext } from './normalize-customer-row.js';
import { normalizeCells } from './normalize-records.js';
import { packNormalized, transferablesOf, unpackCells, type PackedRows } from './record-codec.js';

// Worker thread entry: standardises packed customer batches sent by runInWorkers, answering each with its sequence number.
const { mapping, context } = workerData as { mapping: Mapping; context: RowContext };
parentPort!.on('message', (message: { sequence: number; rows: PackedRows }) => {
  const results = packNormalized(normalizeCells(mapping, context, unpackCells(message.rows)));
  parentPort!.postMessage({ sequence: message.sequence, results }, transferablesOf(results));
});
