import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { formatCsvLine } from '../csv/format-csv-line.js';
import { idRanges, listAttributeNames, type IdRange, type SnapshotToken } from '../db/customer-snapshot.js';
import type { ExportWorkerData, ExportWorkerReady } from './export-worker.js';
import type { Store } from '../db/store.js';
import { resolveOutputColumns, queryCustomers, type MarketingChannel } from '../query/query-customers.js';
import { maskRows } from '../privacy/mask.js';
import { readAsOf } from '../query/read-as-of.js';
import { chooseExportColumns, needsFieldQuery } from './export-fields.js';
import { writeCustomerAnswer } from './write-customer-answer.js';
import { batchWrites, openExportTarget } from './open-export-target.js';
import { formatCustomerChunk, type ExportFormat, type ExportLayout, type FormattedChunk } from './format-customer-chunk.js';

export type { ExportFormat } from './format-customer-chunk.js';

const EXPORT_WORKER = new URL('./export-worker.js', import.meta.url);
/** From this many customers on, a second thread reads and formats part of the id ranges. */
const PARALLEL_MIN_CUSTOMERS = 20_000;
/** Ranges the second thread may hold at once: enough that it never waits, few enough to bound memory. */
const WORKER_AHEAD = 3;
/** Ranges formatted but not yet written, at most: the answers of both threads are written in id order. */
const QUEUE_LIMIT = 8;
/** Each range leaves ~1 MB of short-lived garbage: with V8's smaller default young generation, collecting it took a third of the worker's time. */
const WORKER_LIMITS = { maxYoungGenerationSizeMb: 48 };

export interface ExportOptions {
  fields?: string[];
  /** Only the customers a filter and/or a saved segment select (src/query/): read through the per-customer field query. */
  where?: string | undefined;
  segment?: string | undefined;
  /** The day computed fields and relative dates are as of ('YYYY-MM-DD'; default today). */
  asOf?: string | undefined;
  format: ExportFormat;
  /** Write here (atomically: a temporary file renamed when complete), or to `stream` when absent. */
  file?: string;
  stream?: NodeJS.WritableStream;
  /** Leave formula-like CSV cells as they are (default: neutralised with a leading '). */
  raw: boolean;
  /** As CustomerSelection.onNote: what the user should know about the answer. */
  onNote?: ((note: string) => void) | undefined;
  /** Hide what identifies a person (src/privacy/mask.ts). */
  mask?: boolean;
  /** Only the customers who may be contacted on this channel now (see CustomerSelection). */
  consented?: MarketingChannel | undefined;
}

export interface ExportResult {
  rows: number;
  columns: string[];
  format: ExportFormat;
  file: string | null;
}

const FLUSH_BYTES = 1 << 16;

/**
 * Streams active customers (all, or those a filter or segment selects) as
 * CSV, JSON or NDJSON. Always includes `id` and `external_ids`. A file is written under a temporary name and renamed only
 * when complete, so a reader never sees half an export.
 */
export async function exportCustomers(store: Store, options: ExportOptions): Promise<ExportResult> {
  const columns = chooseExportColumns(options.fields, await listAttributeNames(store));
  if (options.where !== undefined || options.segment !== undefined || options.consented !== undefined || options.mask === true || needsFieldQuery(columns)) {
    // One query streams the selected customers' columns, computed ones included; the snapshot below is
    // faster for the plain export of everyone, and writes the same text for the same columns.
    const answer = await queryCustomers(store, {
      where: options.where,
      segment: options.segment,
      consented: options.consented,
      asOf: options.asOf ?? readAsOf(undefined),
      columns: resolveOutputColumns(columns),
      onNote: options.onNote,
    });
    const rows = await writeCustomerAnswer(options.mask === true ? maskRows(answer.rows) : answer.rows, answer.columns, options);
    return { rows, columns, format: options.format, file: options.file ?? null };
  }
  const target = await openExportTarget(options.file, options.stream);

  const layout: ExportLayout = { columns, format: options.format, neutralize: !options.raw };
  // CSV writes NULL and '' alike, so only JSON needs to tell them apart.
  const nulls = options.format !== 'csv';
  let rows = 0;
  const { write, flush } = batchWrites(target, FLUSH_BYTES);
  const writeFormatted = async (formatted: FormattedChunk) => {
    if (formatted.rows === 0) return;
    await write(options.format === 'json' ? `${rows === 0 ? '\n' : ',\n'}${formatted.text}` : formatted.text);
    rows += formatted.rows;
  };

  // One snapshot for the whole export, consistent while writers carry on; a large one is shared with a second thread.
  const share = existsSync(fileURLToPath(EXPORT_WORKER))
    ? { minCustomers: PARALLEL_MIN_CUSTOMERS, start: (token: SnapshotToken, maxId: number) => startSecondReader({ token, layout }, maxId) }
    : undefined;
  const { snapshot, shared: helper } = await store.openCustomerSnapshot({ nulls, share });
  try {
    const formatHere = async (range: IdRange): Promise<FormattedChunk> => {
      const chunk = await snapshot.read(range);
      const formatted = formatCustomerChunk(chunk, layout);
      // Rare: a value holding the separator; read those customers value by value.
      return formatted.unsplittable.length === 0 ? formatted : formatCustomerChunk(await snapshot.reread(chunk, formatted.unsplittable), layout);
    };

    if (options.format === 'csv') await write(`${formatCsvLine(columns, layout.neutralize)}\n`);
    if (options.format === 'json') await write('[');
    const queue: Promise<FormattedChunk>[] = [];
    for (const range of idRanges(snapshot.maxId)) {
      if (helper && helper.holding < WORKER_AHEAD) {
        // The other thread's answer; the rare chunk it could not split is done again here.
        const answer = helper.format(range).then((formatted) => (formatted.unsplittable.length === 0 ? formatted : formatHere(range)));
        // A failure surfaces when its turn to be written comes, not as an unhandled rejection before.
        answer.catch(() => {});
        queue.push(answer);
      } else {
        const here = formatHere(range);
        here.catch(() => {});
        queue.push(here);
        // Let the other thread's answers in, so it is sent more while this one works.
        if (helper) await new Promise(setImmediate);
      }
      while (queue.length > QUEUE_LIMIT) await writeFormatted(await queue.shift()!);
    }
    while (queue.length > 0) await writeFormatted(await queue.shift()!);
    if (options.format === 'json') await write(rows === 0 ? ']\n' : '\n]\n');
    await flush();
    await target.complete();
  } catch (error) {
    target.abandon();
    throw error;
  } finally {
    await snapshot.close();
    await helper?.stop();
  }
  return { rows, columns, format: options.format, file: options.file ?? null };
}

/** A worker thread reading and formatting id ranges from the same snapshot as the exporting thread. */
interface SecondReader {
  /** Ranges sent and not yet answered. */
  readonly holding: number;
  format(range: IdRange): Promise<FormattedChunk>;
  stop(): Promise<void>;
}

/** Starts the worker thread, which joins the snapshot; resolves once it has, and saw the same customers. */
async function startSecondReader(data: ExportWorkerData, maxId: number): Promise<SecondReader> {
  const worker = new Worker(EXPORT_WORKER, { workerData: data, resourceLimits: WORKER_LIMITS });
  const waiting = new Map<number, { resolve: (formatted: FormattedChunk) => void; reject: (error: unknown) => void }>();
  let failure: unknown;
  let sent = 0;
  const ready = new Promise<ExportWorkerReady>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  try {
    const theirs = (await ready).maxId;
    if (theirs !== maxId) throw new Error(`the second reader saw customers up to ${theirs}, not ${maxId}`);
  } catch (error) {
    await worker.terminate();
    throw error;
  }
  worker.on('message', ({ sequence, formatted }: { sequence: number; formatted: FormattedChunk }) => {
    waiting.get(sequence)?.resolve(formatted);
    waiting.delete(sequence);
  });
  const fail = (error: unknown) => {
    failure ??= error;
    for (const { reject } of waiting.values()) reject(failure);
    waiting.clear();
  };
  worker.on('error', fail);
  // Ranges still unanswered when the thread ends would otherwise be waited for forever.
  worker.on('exit', (code) => fail(new Error(`the export's second thread stopped (exit code ${code})`)));
  return {
    get holding() {
      return waiting.size;
    },
    format(range) {
      if (failure !== undefined) return Promise.reject(failure);
      const sequence = sent++;
      const answer = new Promise<FormattedChunk>((resolve, reject) => waiting.set(sequence, { resolve, reject }));
      worker.postMessage({ sequence, range });
      return answer;
    },
    stop: () => worker.terminate().then(() => undefined),
  };
}
