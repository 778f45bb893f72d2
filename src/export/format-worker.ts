import { parentPort, workerData } from 'node:worker_threads';
import type { CustomerChunk } from '../db/customer-export-rows.js';
import { formatCustomerChunk, type ExportLayout } from './format-customer-chunk.js';

// Worker thread entry: formats the chunks exportCustomers sends, answering each in the order received.
const layout = workerData as ExportLayout;
parentPort!.on('message', (chunk: CustomerChunk) => {
  parentPort!.postMessage(formatCustomerChunk(chunk, layout));
});
