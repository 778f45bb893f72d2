import { parentPort, workerData } from 'node:worker_threads';
import type { CsvRecord } from '../csv/tokenize-csv.js';
import type { Mapping } from '../mapping/mapping-schema.js';
import type { RowContext } from './normalize-customer-row.js';
import { normalizeRecords } from './normalize-records.js';

// Worker thread entry: standardises batches sent by NormalizerPool, answering each with its sequence number.
const { mapping, context } = workerData as { mapping: Mapping; context: RowContext };
parentPort!.on('message', (message: { sequence: number; records: CsvRecord[] }) => {
  parentPort!.postMessage({ sequence: message.sequence, results: normalizeRecords(mapping, context, message.records) });
});
