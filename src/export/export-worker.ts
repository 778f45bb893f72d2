import { parentPort, workerData } from 'node:worker_threads';
import BetterSqlite3 from 'better-sqlite3';
import { CustomerRangeReader, EXPORT_CACHE_SIZE, maxCustomerId, type IdRange } from '../db/customer-export-rows.js';
import { BUSY_TIMEOUT_MS, SQLITE_CONNECTION_PRAGMAS } from '../db/dialect.js';
import { formatCustomerChunk, type ExportLayout } from './format-customer-chunk.js';

/** What the exporting thread tells this one at start. */
export interface ExportWorkerData {
  file: string;
  layout: ExportLayout;
  nulls: boolean;
}

/** First message: the snapshot is open and holds customers up to this id. */
export interface ExportWorkerReady {
  maxId: number;
}

// Worker thread entry: a second reader of the same snapshot. It opens its own read transaction while the
// exporting thread holds the write lock (so no commit can come between the two), then reads and formats
// the id ranges it is sent, answering each with its sequence number.
const { file, layout, nulls } = workerData as ExportWorkerData;
const sqlite = new BetterSqlite3(file, { fileMustExist: true, timeout: BUSY_TIMEOUT_MS });
for (const pragma of [...SQLITE_CONNECTION_PRAGMAS, 'query_only = ON', `cache_size = ${EXPORT_CACHE_SIZE}`]) sqlite.pragma(pragma);
sqlite.exec('BEGIN');
const reader = new CustomerRangeReader(sqlite, { nulls });
parentPort!.postMessage({ maxId: maxCustomerId(sqlite) } satisfies ExportWorkerReady);
parentPort!.on('message', ({ sequence, range }: { sequence: number; range: IdRange }) => {
  parentPort!.postMessage({ sequence, formatted: formatCustomerChunk(reader.read(range), layout) });
});
