import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { CsvRecord } from '../csv/tokenize-csv.js';
import { CustdbError } from '../errors.js';
import type { Mapping } from '../mapping/mapping-schema.js';
import type { RowContext } from './normalize-customer-row.js';
import { normalizeRecords, type NormalizedRecord } from './normalize-records.js';
import { packCells, unpackNormalized, type PackedRows } from './record-codec.js';

/** Below this size a file is standardised inline: starting threads would cost more than it saves. */
const PARALLEL_MIN_BYTES = 2 * 1024 * 1024;
/** Batches in flight per worker: enough to keep workers busy, few enough to bound memory. */
const IN_FLIGHT_PER_WORKER = 2;
/** A worker standardises ~64 KiB batches; a small young generation keeps its memory (and the import's peak RSS) low. */
const WORKER_LIMITS = { maxYoungGenerationSizeMb: 8, maxOldGenerationSizeMb: 96 };

/**
 * A pure function over batches that can run on worker threads. `file` is the
 * compiled worker script: it is started with `workerData`, and answers each
 * message `{ sequence, rows }` (rows = `pack(batch)`, copied to the worker)
 * with `{ sequence, results }`, where `unpack(results)` equals `inline(batch)`.
 */
export interface BatchJob<In, Out> {
  file: URL;
  workerData: unknown;
  inline: (batch: In) => Out;
  pack: (batch: In) => PackedRows;
  unpack: (results: PackedRows) => Out;
}

export interface PoolOptions {
  /** The input file's size: a small file is done inline. */
  fileBytes: number;
  /** Worker threads: 0 for none; default one per core but one. */
  threads?: number;
}

/**
 * Runs `job` over every batch on worker threads and yields each batch with its
 * result in input order, as if done inline. Small files, `threads: 0`, or a
 * build without the compiled worker (tests running TypeScript) are done
 * inline. A worker that fails fails the iteration with its error.
 */
export async function* runInWorkers<In, Out>(batches: AsyncIterable<In>, job: BatchJob<In, Out>, options: PoolOptions): AsyncGenerator<{ batch: In; result: Out }> {
  const workerCount = options.threads ?? Math.max(1, availableParallelism() - 1);
  if (workerCount === 0 || options.fileBytes < PARALLEL_MIN_BYTES || !existsSync(fileURLToPath(job.file))) {
    for await (const batch of batches) yield { batch, result: job.inline(batch) };
    return;
  }

  const workers = Array.from({ length: workerCount }, () => new Worker(job.file, { workerData: job.workerData, resourceLimits: WORKER_LIMITS }));
  const pending = new Map<number, { batch: In; result: Promise<PackedRows | null> }>();
  const waiting = new Map<number, (results: PackedRows | null) => void>();
  let failure: unknown;
  let stopping = false;
  const fail = (error: unknown) => {
    failure ??= error;
    for (const resolve of waiting.values()) resolve(null);
    waiting.clear();
  };
  for (const worker of workers) {
    worker.on('message', (message: { sequence: number; results: PackedRows }) => {
      waiting.get(message.sequence)?.(message.results);
      waiting.delete(message.sequence);
    });
    worker.on('error', (error) => fail(describeWorkerError(error)));
    worker.on('exit', (code) => {
      if (!stopping) fail(new Error(`a worker thread stopped (exit code ${code}) before answering`));
    });
  }
  let sent = 0;
  let next = 0;
  const send = (batch: In) => {
    if (failure !== undefined) throw failure;
    const sequence = sent++;
    const result = new Promise<PackedRows | null>((resolve) => waiting.set(sequence, resolve));
    const rows = job.pack(batch);
    workers[sequence % workers.length]!.postMessage({ sequence, rows });
    pending.set(sequence, { batch, result });
  };
  const take = async (): Promise<{ batch: In; result: Out }> => {
    const entry = pending.get(next)!;
    pending.delete(next);
    next += 1;
    const results = await entry.result;
    if (failure !== undefined || results === null) throw failure;
    return { batch: entry.batch, result: job.unpack(results) };
  };
  try {
    for await (const batch of batches) {
      send(batch);
      if (pending.size >= workerCount * IN_FLIGHT_PER_WORKER) yield await take();
    }
    while (pending.size > 0) yield await take();
  } finally {
    stopping = true;
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
}

/** A worker that hit its memory limit is a resource problem with a way round, not a bug in custdb. */
function describeWorkerError(error: unknown): unknown {
  if ((error as { code?: unknown } | null)?.code !== 'ERR_WORKER_OUT_OF_MEMORY') return error;
  return new CustdbError(`a worker thread standardising rows ran out of its ${WORKER_LIMITS.maxOldGenerationSizeMb} MiB of memory; nothing was written`, {
    hint: 'Run the import again with CUSTDB_IMPORT_THREADS=0 to standardise on the main thread, which may use more.',
    cause: error,
  });
}

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
  options: PoolOptions,
): AsyncGenerator<NormalizedBatch> {
  const job: BatchJob<CsvRecord[], NormalizedRecord[]> = {
    file: new URL('./normalize-worker.js', import.meta.url),
    workerData: { mapping, context },
    inline: (records) => normalizeRecords(mapping, context, records),
    pack: (records) => packCells(records.map((record) => record.cells)),
    unpack: unpackNormalized,
  };
  for await (const { batch, result } of runInWorkers(batches, job, options)) yield { records: batch, results: result };
}
