import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { CsvRecord } from '../csv/tokenize-csv.js';
import type { Mapping } from '../mapping/mapping-schema.js';
import type { RowContext } from './normalize-customer-row.js';
import { normalizeRecords, type NormalizedRecord } from './normalize-records.js';
import { packCells, unpackNormalized, type PackedRows } from './record-codec.js';

const WORKER_FILE = new URL('./normalize-worker.js', import.meta.url);
/** Below this size a file is standardised inline: starting threads would cost more than it saves. */
const PARALLEL_MIN_BYTES = 2 * 1024 * 1024;
/** Batches in flight per worker: enough to keep workers busy, few enough to bound memory. */
const IN_FLIGHT_PER_WORKER = 2;
/** A worker standardises ~64 KiB batches; a small young generation keeps its memory (and the import's peak RSS) low. */
const WORKER_LIMITS = { maxYoungGenerationSizeMb: 8, maxOldGenerationSizeMb: 96 };

export interface NormalizedBatch {
  records: CsvRecord[];
  results: NormalizedRecord[];
}

/**
 * Standardises CSV batches on worker threads (phone parsing dominates an
 * import's CPU time) and yields them back in file order, so identity matching
 * sees rows exactly as it would inline. Small files, or a build without the
 * compiled worker (tests running TypeScript), are standardised inline.
 */
export async function* normalizeInParallel(
  batches: AsyncIterable<CsvRecord[]>,
  mapping: Mapping,
  context: RowContext,
  options: { fileBytes: number; threads?: number },
): AsyncGenerator<NormalizedBatch> {
  const workerCount = options.threads ?? Math.max(1, availableParallelism() - 1);
  if (workerCount === 0 || options.fileBytes < PARALLEL_MIN_BYTES || !existsSync(fileURLToPath(WORKER_FILE))) {
    for await (const records of batches) yield { records, results: normalizeRecords(mapping, context, records) };
    return;
  }

  const workers = Array.from({ length: workerCount }, () => new Worker(WORKER_FILE, { workerData: { mapping, context }, resourceLimits: WORKER_LIMITS }));
  const pending = new Map<number, { records: CsvRecord[]; result: Promise<NormalizedRecord[]> }>();
  const waiting = new Map<number, (results: NormalizedRecord[]) => void>();
  let failure: unknown;
  for (const worker of workers) {
    worker.on('message', (message: { sequence: number; results: PackedRows }) => {
      waiting.get(message.sequence)?.(unpackNormalized(message.results));
      waiting.delete(message.sequence);
    });
    worker.on('error', (error) => {
      failure = error;
      for (const resolve of waiting.values()) resolve([]);
    });
  }
  let sent = 0;
  let next = 0;
  const send = (records: CsvRecord[]) => {
    const sequence = sent++;
    const result = new Promise<NormalizedRecord[]>((resolve) => waiting.set(sequence, resolve));
    const rows = packCells(records.map((record) => record.cells));
    workers[sequence % workers.length]!.postMessage({ sequence, rows }, [rows.sizes.buffer as ArrayBuffer]);
    pending.set(sequence, { records, result });
  };
  const take = async (): Promise<NormalizedBatch> => {
    const entry = pending.get(next)!;
    pending.delete(next);
    next += 1;
    const results = await entry.result;
    if (failure !== undefined) throw failure;
    return { records: entry.records, results };
  };
  try {
    for await (const records of batches) {
      send(records);
      if (pending.size >= workerCount * IN_FLIGHT_PER_WORKER) yield await take();
    }
    while (pending.size > 0) yield await take();
  } finally {
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
}
