import { parentPort, workerData } from 'node:worker_threads';
import { joinCustomerSnapshot, type IdRange, type SnapshotToken } from '../db/customer-snapshot.js';
import { formatCustomerChunk, type ExportLayout } from './format-customer-chunk.js';

/** What the exporting thread tells this one at start. */
export interface ExportWorkerData {
  token: SnapshotToken;
  layout: ExportLayout;
}

/** First message: the snapshot is open and holds customers up to this id. */
export interface ExportWorkerReady {
  maxId: number;
}

// Worker thread entry: a second reader of the same snapshot. It joins the snapshot while the exporting
// thread waits for it (so no commit can come between the two), then reads and formats the id ranges it
// is sent, answering each with its sequence number, in the order they came.
const { token, layout } = workerData as ExportWorkerData;
const snapshot = await joinCustomerSnapshot(token);
parentPort!.postMessage({ maxId: snapshot.maxId } satisfies ExportWorkerReady);
let previous: Promise<void> = Promise.resolve();
parentPort!.on('message', ({ sequence, range }: { sequence: number; range: IdRange }) => {
  previous = previous.then(async () => {
    parentPort!.postMessage({ sequence, formatted: formatCustomerChunk(await snapshot.read(range), layout) });
  });
});
