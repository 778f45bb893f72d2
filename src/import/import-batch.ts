import { basename } from 'node:path';
import type { CsvRecord } from '../csv/tokenize-csv.js';
import type { ImportBatch, ImportWarning } from '../db/import-batches.js';
import type { ImportSession, Store } from '../db/store.js';
import { flagLookAlikes } from '../identity/flag-look-alikes.js';
import { maxRejectsFor, type RejectsFile } from './rejects-file.js';

/**
 * The warnings every import result carries: counts by field, and the
 * warnings themselves with their lines — every one, up to
 * WARNING_LIST_LIMIT, so that a file with a million of them does not fill
 * memory (or the --json output); `warningsUnlisted` counts those past it.
 * The store keeps them all (`custdb imports show N --warnings`).
 */
export interface WarningTally {
  warnings: Record<string, number>;
  /** Every warning in file order, up to WARNING_LIST_LIMIT (the name is kept from when it held ten: --json's shape stays). */
  warningExamples: ImportWarning[];
  warningsUnlisted: number;
}

export type AddWarning = (line: number, field: string, message: string) => void;

const WARNING_LIST_LIMIT = 1000;

/**
 * A function that counts a warning under its field, lists it in the result
 * (up to the limit) and hands it to `keep` (the store, as it comes).
 */
export function countWarnings(tally: WarningTally, keep: (warning: ImportWarning) => void): AddWarning {
  return (line, field, message) => {
    tally.warnings[field] = (tally.warnings[field] ?? 0) + 1;
    const warning = { line, field, message };
    if (tally.warningExamples.length < WARNING_LIST_LIMIT) tally.warningExamples.push(warning);
    else tally.warningsUnlisted += 1;
    keep(warning);
  };
}

/** What the CSV reader noticed about a record (stray quotes, cells missing or extra), counted as 'row' warnings. */
export function warnAboutRecord(addWarning: AddWarning, record: CsvRecord, headerLength: number): void {
  if (record.warnings) for (const message of record.warnings) addWarning(record.line, 'row', message);
  if (record.cells.length !== headerLength) addWarning(record.line, 'row', `has ${record.cells.length} cells, the header has ${headerLength}`);
}

/**
 * Opens an import's one write transaction (waiting for other writers up to
 * the busy timeout) and records its batch. On failure nothing stays open:
 * the CSV is closed too.
 */
export async function beginImportBatch(
  store: Store,
  csv: { close(): void },
  batch: { kind: ImportBatch['kind']; source: string; file: string; sha256: string; startedAt: string; mapping: unknown; actor: string; expectedRows: number },
): Promise<ImportSession> {
  try {
    return await store.beginImport({
      kind: batch.kind,
      source: batch.source,
      fileName: basename(batch.file),
      sha256: batch.sha256,
      startedAt: batch.startedAt,
      mappingJson: JSON.stringify(batch.mapping),
      actor: batch.actor,
      expectedRows: batch.expectedRows,
    });
  } catch (error) {
    csv.close();
    throw error;
  }
}

/** The parts of an import's result that `settleImport` reads and sets (every kind's result has them). */
export interface SettledResult {
  status: 'imported' | 'dry-run' | 'already-imported' | 'too-many-rejects' | 'empty';
  counts: { rows: number; rejected: number; suspects: number; erased?: number };
  maxRejects: number;
  rejectsFile: string | null;
  notes: string[];
  warningsUnlisted: number;
}

/**
 * After an import's last row: closes the rejects file, decides whether the
 * import goes ahead (some rows, rejects within the limit, not a dry run),
 * notes where the warnings past the listed ones are, and flags the customers
 * the batch created that look like ones already there.
 * Still inside the import's transaction; commits nothing.
 */
export async function settleImport(
  session: ImportSession,
  result: SettledResult,
  rejects: RejectsFile,
  options: { maxRejects: { count: number } | { percent: number }; dryRun: boolean },
  now: string,
): Promise<void> {
  const batch = { id: session.batchId, now };
  result.maxRejects = maxRejectsFor(options.maxRejects, result.counts.rows);
  result.rejectsFile = await rejects.close();
  if (result.rejectsFile !== null && rejects.note) result.notes.push(rejects.note);
  if (result.counts.rows === 0) result.status = 'empty';
  // Rows of erased people are refused on purpose, not faults of the file: they do not count against --max-rejects.
  else if (result.counts.rejected - (result.counts.erased ?? 0) > result.maxRejects) result.status = 'too-many-rejects';
  else if (options.dryRun) result.status = 'dry-run';
  if (result.warningsUnlisted > 0) {
    const unlisted = `${result.warningsUnlisted.toLocaleString('en-US')} more warnings are not listed here`;
    result.notes.push(result.status === 'imported' ? `${unlisted}: see them all with custdb imports show ${batch.id} --warnings` : `${unlisted}, and nothing was kept (the file was not imported)`);
  }
  if (result.status === 'imported' || result.status === 'dry-run') {
    const lookAlikes = await flagLookAlikes(session.db, batch.id, batch.now);
    result.counts.suspects += lookAlikes.flagged;
    if (lookAlikes.note) result.notes.push(lookAlikes.note);
  }
}
