import { existsSync } from 'node:fs';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { formatCsvLine } from '../csv/format-csv-line.js';
import { iterateCustomerChunks, listAttributeNames, rereadCustomers, type CustomerChunk } from '../db/customer-export-rows.js';
import type { Store } from '../db/open-store.js';
import { chooseExportColumns } from './export-fields.js';
import { openExportTarget } from './open-export-target.js';
import { formatCustomerChunk, type ExportFormat, type ExportLayout, type FormattedChunk } from './format-customer-chunk.js';

export type { ExportFormat } from './format-customer-chunk.js';

const FORMAT_WORKER = new URL('./format-worker.js', import.meta.url);
/** From this many customers on, chunks are formatted on a second thread while this one reads the next. */
const PARALLEL_MIN_CUSTOMERS = 20_000;
/** Chunks sent ahead to the formatting thread: enough to keep it busy, few enough to bound memory. */
const CHUNKS_AHEAD = 3;

export interface ExportOptions {
  fields?: string[];
  format: ExportFormat;
  /** Write here (atomically: a temporary file renamed when complete), or to `stream` when absent. */
  file?: string;
  stream?: NodeJS.WritableStream;
  /** Leave formula-like CSV cells as they are (default: neutralised with a leading '). */
  raw: boolean;
}

export interface ExportResult {
  rows: number;
  columns: string[];
  format: ExportFormat;
  file: string | null;
}

const FLUSH_BYTES = 1 << 16;

/**
 * Streams active customers as CSV, JSON or NDJSON. Always includes `id` and
 * `external_ids`. A file is written under a temporary name and renamed only
 * when complete, so a reader never sees half an export.
 */
export async function exportCustomers(store: Store, options: ExportOptions): Promise<ExportResult> {
  const columns = chooseExportColumns(options.fields, await listAttributeNames(store));
  const target = await openExportTarget(options.file, options.stream);
  const out = target.out;

  const layout: ExportLayout = { columns, format: options.format, neutralize: !options.raw };
  let rows = 0;
  let buffer = '';
  const write = async (text: string) => {
    buffer += text;
    if (buffer.length < FLUSH_BYTES) return;
    const ok = out.write(buffer);
    buffer = '';
    if (!ok) await once(out, 'drain');
  };
  const writeChunk = async ({ chunk, formatted }: Formatted) => {
    // Rare: a value holding the separator; read those customers value by value and format here.
    if (formatted.unsplittable.length > 0) formatted = formatCustomerChunk(rereadCustomers(store, chunk, formatted.unsplittable), layout);
    if (formatted.rows === 0) return;
    await write(options.format === 'json' ? `${rows === 0 ? '\n' : ',\n'}${formatted.text}` : formatted.text);
    rows += formatted.rows;
  };

  const formatter = startFormatter(store, layout);
  // One read transaction for the whole export, chunks still being formatted included: one consistent snapshot.
  const ownTransaction = !store.sqlite.inTransaction;
  if (ownTransaction) store.sqlite.exec('BEGIN');
  try {
    if (options.format === 'csv') await write(`${formatCsvLine(columns, layout.neutralize)}\n`);
    if (options.format === 'json') await write('[');
    // CSV writes NULL and '' alike, so only JSON needs to tell them apart.
    for (const chunk of iterateCustomerChunks(store, { nulls: options.format !== 'csv' })) {
      const ready = formatter.send(chunk);
      if (ready) await writeChunk(await ready);
    }
    for (;;) {
      const ready = formatter.next();
      if (!ready) break;
      await writeChunk(await ready);
    }
    if (options.format === 'json') await write(rows === 0 ? ']\n' : '\n]\n');
    if (buffer !== '' && !out.write(buffer)) await once(out, 'drain');
    await target.complete();
  } catch (error) {
    target.abandon();
    throw error;
  } finally {
    if (ownTransaction && store.sqlite.inTransaction) store.sqlite.exec('COMMIT');
    await formatter.stop();
  }
  return { rows, columns, format: options.format, file: options.file ?? null };
}

interface Formatted {
  chunk: CustomerChunk;
  formatted: FormattedChunk;
}

interface Formatter {
  /** Takes a chunk; returns the oldest chunk's text when that one is due (in order), else undefined. */
  send(chunk: CustomerChunk): Promise<Formatted> | undefined;
  /** The oldest chunk not yet returned, or undefined when none is left. */
  next(): Promise<Formatted> | undefined;
  stop(): Promise<void>;
}

/**
 * Formats chunks inline, or for a large table on one worker thread: this thread
 * then only reads SQLite while the other turns rows into text, and the answers
 * come back in the order sent. Inline too when the compiled worker is missing
 * (tests running the TypeScript sources).
 */
function startFormatter(store: Store, layout: ExportLayout): Formatter {
  const customers = Number(store.sqlite.prepare('SELECT coalesce(max(id), 0) FROM customers').pluck().get());
  if (customers < PARALLEL_MIN_CUSTOMERS || !existsSync(fileURLToPath(FORMAT_WORKER))) {
    return {
      send: (chunk) => Promise.resolve({ chunk, formatted: formatCustomerChunk(chunk, layout) }),
      next: () => undefined,
      stop: async () => {},
    };
  }
  const worker = new Worker(FORMAT_WORKER, { workerData: layout });
  const waiting: ((formatted: FormattedChunk) => void)[] = [];
  const pending: Promise<Formatted>[] = [];
  let failure: unknown;
  worker.on('message', (formatted: FormattedChunk) => waiting.shift()?.(formatted));
  worker.on('error', (error) => {
    failure = error;
    for (const resolve of waiting.splice(0)) resolve({ text: '', rows: 0, unsplittable: [] });
  });
  const take = async () => {
    const formatted = await pending.shift()!;
    if (failure !== undefined) throw failure;
    return formatted;
  };
  return {
    send: (chunk) => {
      if (failure !== undefined) throw failure;
      pending.push(new Promise((resolve) => waiting.push((formatted) => resolve({ chunk, formatted }))));
      worker.postMessage(chunk);
      return pending.length > CHUNKS_AHEAD ? take() : undefined;
    },
    next: () => (pending.length > 0 ? take() : undefined),
    stop: () => worker.terminate().then(() => undefined),
  };
}
