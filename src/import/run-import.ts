import { statSync } from 'node:fs';
import { basename } from 'node:path';
import { recordEvent } from '../audit/record-event.js';
import { openCsv, type CsvSource } from '../csv/read-csv-file.js';
import { nowIso } from '../db/clock.js';
import { findPreviousImport, type ImportWarning } from '../db/import-batches.js';
import type { ImportSession, LookupKeys, Store } from '../db/store.js';
import { translateDatabaseError } from '../db/translate-database-error.js';
import type { MatchedBy } from '../identity/plan-customer-write.js';
import type { ImportKind } from '../mapping/mapping-schema.js';
import type { DateOrder } from '../normalize/parse-date.js';
import { loadSuppressionList, type SuppressionList } from '../db/suppressions.js';
import { getSetting } from '../setup/settings.js';
import { decideDateOrder } from './decide-date-order.js';
import { beginImportBatch, countWarnings, settleImport, type AddWarning } from './import-batch.js';
import type { RowContext } from './normalize-customer-row.js';
import { probeImportFile, type ImportProbe } from './probe-import-file.js';
import { defaultRejectsPath, RejectsFile } from './rejects-file.js';
import { refuseNameOfOtherKind, saveMapping } from './saved-mappings.js';
import type { MappingRequest, MappingSummary } from './resolve-mapping.js';

/**
 * The import pipeline, written once for every kind of file: probe the file
 * (one read of its head, hashing as it goes), map its columns, skip content
 * already imported from the same source, decide the day/month order, then
 * read it for real in one transaction — rows a chunk at a time (the store is
 * handed the chunk's lookup keys, then the rows are written in file order),
 * rejects to their file, warnings kept with the batch — settle, record and
 * commit. What differs between customers, orders and interactions is an
 * `ImportKindModule`.
 */

/** What every import is asked, whatever its file holds. */
export interface ImportRunOptions extends MappingRequest {
  file: string;
  /** Identity namespace of the file's external ids; default: the preset's source, else "csv". */
  source?: string;
  encoding?: string;
  delimiter?: string;
  dateFormat?: DateOrder;
  defaultCountry?: string;
  /** Above this many rejects (a count, or a share of data rows) nothing is written. */
  maxRejects: { count: number } | { percent: number };
  rejectsFile?: string;
  dryRun: boolean;
  force: boolean;
  actor: string;
  /** Worker threads for standardising rows: 0 for none; default one per core but one. */
  threads?: number;
  /** Called now and then with how far through the file the import is, and how many data rows it has read. */
  onProgress?: (bytesRead: number, totalBytes: number, rowsRead: number) => void;
  /** The file's probe, when the caller has already read its head (the command does, to tell its kind). */
  probe?: ImportProbe;
}

export interface ImportCounts {
  rows: number;
  inserted: number;
  updated: number;
  unchanged: number;
  rejected: number;
  /** Inserted rows flagged as possible duplicates of an existing customer. */
  suspects: number;
  /** Rows rejected (counted in `rejected` too) because they name a person who was erased; absent when none did. */
  erased?: number;
}

export type ImportStatus = 'imported' | 'dry-run' | 'already-imported' | 'too-many-rejects' | 'empty';

/** What every import returns; a kind's result adds its own counts and fields. */
export interface ImportRunResult<K extends ImportKind = ImportKind, C extends ImportCounts = ImportCounts> {
  status: ImportStatus;
  batchId: number | null;
  /** With status 'already-imported': the batch that imported the same content from the same source. */
  previousBatchId: number | null;
  file: string;
  sha256: string;
  kind: K;
  source: string;
  preset: string | null;
  encoding: string;
  encodingAssumed: boolean;
  delimiter: string;
  dateOrder: DateOrder | null;
  mapping: MappingSummary[];
  counts: C;
  matchedBy: Record<MatchedBy, number>;
  warnings: Record<string, number>;
  /** Every warning with its line, in file order, up to WARNING_LIST_LIMIT (the store keeps them all). */
  warningExamples: ImportWarning[];
  /** Warnings past the listed ones (kept in the store when the file was imported). */
  warningsUnlisted: number;
  rejectsFile: string | null;
  maxRejects: number;
  elapsedMs: number;
  notes: string[];
}

/** Where a kind's columns go, as the pipeline needs to know it. */
export interface KindMapping<M> {
  mapping: M;
  /** The platform preset's source (shopify, square…), when a preset was used. */
  source: string | null;
  /** The preset used, by name. */
  preset: string | null;
  /** One line per column, for the summary and --json. */
  summary: MappingSummary[];
  /** Header positions of the columns whose dates decide the file's day/month order. */
  dateColumns: number[];
  notes: string[];
  /** The saved form, when `--save-mapping NAME` asked for it to be stored. */
  toSave: { name: string; mapping: unknown } | null;
}

/** One chunk of the file, read and standardised, ready to write. */
export interface RowChunk {
  /** Every key writing these rows may look up: the store is handed them first. */
  keys: LookupKeys;
  /** Writes the chunk's rows in file order (synchronously, on the import's transaction), counting them into the result. */
  write(): void;
}

/** What a kind's rows are read and written with: the open import, its result so far, and how its rows are read. */
export interface RowsRun<O, R, M> {
  options: O;
  result: R;
  mapping: M;
  session: ImportSession;
  csv: CsvSource;
  rejects: RejectsFile;
  addWarning: AddWarning;
  context: RowContext;
  /** What every write of this import is stamped with; `fileDate` is when the file was last written, the time its consent answers speak for. */
  meta: { batchId: number; now: string; consentSource: string; fileDate: string };
  /** Erased people's hashed identifiers: a row naming one is rejected (`rejectErased`), never written. */
  suppressions: SuppressionList;
}

/**
 * One kind of import file: how its columns are mapped, what its result
 * counts, how its rows are read in chunks and written, and how its batch is
 * summed up. Everything else is the pipeline's (`runImport`).
 */
export interface ImportKindModule<O extends ImportRunOptions, R extends ImportRunResult, M> {
  readonly kind: R['kind'];
  /** About how many bytes one row takes in a typical export: the store only needs the order of magnitude of the rows to come. */
  readonly bytesPerRow: number;
  /** Decides where each column goes. Throws UsageError / MissingColumnError (exit 2) naming the fix. */
  resolveMapping(store: Store, probe: ImportProbe, options: O): Promise<KindMapping<M>>;
  /** The kind's counts, at zero. */
  newCounts(): R['counts'];
  /** The kind's result: `common` (every import's fields, in their order) and what else the kind reports, after them. */
  startResult(common: ImportRunResult<R['kind'], R['counts']>, options: O): R;
  /** The file's rows, a chunk at a time; the pipeline prepares, writes and flushes each before asking for the next. */
  readRows(run: RowsRun<O, R, M>): AsyncIterable<RowChunk>;
  /** What the batch's stored summary has besides its warnings and matches. */
  summaryOf(result: R): Record<string, unknown>;
  /** The audit event: its summary after "imported FILE as batch N: ", and its details besides the batch and source. */
  eventOf(result: R): { summary: string; details: Record<string, unknown> };
}

/**
 * Imports a file of the kind `kind` handles into the store as one
 * transaction: everything or nothing. Rejected rows are returned (and written
 * to the rejects file), never thrown; the same content from the same source
 * is recognised and skipped unless `force`. Throws only when it cannot run
 * (unreadable file, bad mapping, database busy).
 */
export async function runImport<O extends ImportRunOptions, R extends ImportRunResult, M>(store: Store, options: O, kind: ImportKindModule<O, R, M>): Promise<R> {
  const started = Date.now();
  const probe = options.probe ?? (await probeImportFile(options));
  const resolved = await kind.resolveMapping(store, probe, options);
  if (resolved.toSave) await refuseNameOfOtherKind(store, resolved.toSave.name, kind.kind);
  const source = options.source ?? resolved.source ?? 'csv';
  const sha256 = await probe.sha256();
  const notes = [...probe.notes, ...resolved.notes];
  const result = kind.startResult(
    {
      status: 'imported',
      batchId: null,
      previousBatchId: null,
      file: options.file,
      sha256,
      kind: kind.kind,
      source,
      preset: resolved.preset,
      encoding: probe.encoding,
      encodingAssumed: probe.encodingAssumed,
      delimiter: probe.delimiter,
      dateOrder: null,
      mapping: resolved.summary,
      counts: kind.newCounts(),
      matchedBy: { external_id: 0, email: 0, phone: 0 },
      warnings: {},
      warningExamples: [],
      warningsUnlisted: 0,
      rejectsFile: null,
      maxRejects: 0,
      elapsedMs: 0,
      notes,
    },
    options,
  );

  const previous = await findPreviousImport(store, source, sha256);
  if (previous !== undefined && !options.force) {
    result.status = 'already-imported';
    result.previousBatchId = previous;
    result.elapsedMs = Date.now() - started;
    return result;
  }

  const dateDecision = await decideDateOrder(options, probe, resolved.dateColumns);
  result.dateOrder = dateDecision.order;
  if (dateDecision.note) notes.push(dateDecision.note);

  const defaultCountry = options.defaultCountry ?? (await getSetting(store, 'default-country')) ?? null;
  // Once per import: each row is then checked in memory, never with a query of its own.
  const suppressions = await loadSuppressionList(store);
  const csv = await openCsv(options.file, { encoding: options.encoding, delimiter: options.delimiter });
  const rejects = new RejectsFile(options.rejectsFile ?? defaultRejectsPath(options.file), csv.header, csv);
  const now = nowIso();
  const context: RowContext = { source, defaultCountry, dateOrder: dateDecision.order, dateOrderConflict: dateDecision.conflict };

  const expectedRows = Math.ceil(csv.totalBytes / kind.bytesPerRow);
  const session = await beginImportBatch(store, csv, { kind: kind.kind, source, file: options.file, sha256, startedAt: now, mapping: result.mapping, actor: options.actor, expectedRows });
  const batchId = session.batchId;
  result.batchId = batchId;
  const addWarning = countWarnings(result, (warning) => session.addWarning(warning));
  try {
    if (resolved.toSave) await saveMapping(session.db, resolved.toSave.name, kind.kind, resolved.toSave.mapping, now);

    const run: RowsRun<O, R, M> = { options, result, mapping: resolved.mapping, session, csv, rejects, addWarning, context, meta: { batchId, now, consentSource: `import:${source}`, fileDate: fileDateOf(options.file, now) }, suppressions };
    for await (const chunk of kind.readRows(run)) {
      await session.prepare(chunk.keys);
      chunk.write();
      await session.flush();
      options.onProgress?.(csv.bytesRead(), csv.totalBytes, result.counts.rows);
    }

    await settleImport(session, result, rejects, options, now);

    if (result.status === 'imported') {
      result.elapsedMs = Date.now() - started;
      const { touchedCustomers } = await session.finish(result.counts, JSON.stringify({ warnings: result.warnings, matchedBy: result.matchedBy, ...kind.summaryOf(result) }), nowIso());
      const event = kind.eventOf(result);
      // A customers import's counts are its customers; an orders or interactions import counts records, so the
      // log's "customers" column takes the customers it touched, as its metrics refresh counted them.
      const customers = touchedCustomers === undefined ? {} : { customers: touchedCustomers };
      await recordEvent(session.db, {
        actor: options.actor,
        command: 'import',
        summary: `imported ${basename(options.file)} as batch ${batchId}: ${event.summary}`,
        details: { batchId, source, ...event.details, ...customers },
      });
      await session.commit();
    } else {
      result.batchId = null;
    }
  } catch (error) {
    rejects.discard();
    csv.close();
    throw translateDatabaseError(error, store.location);
  } finally {
    await session.close();
  }
  result.elapsedMs = Date.now() - started;
  return result;
}

/** When the file was last written (its consent answers speak as of then); `now` when that cannot be read. */
function fileDateOf(file: string, now: string): string {
  try {
    return statSync(file).mtime.toISOString();
  } catch {
    return now;
  }
}
