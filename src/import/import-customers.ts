import { basename } from 'node:path';
import { nowIso } from '../db/clock.js';
import type { Kysely } from 'kysely';
import type { Store } from '../db/store.js';
import type { Database } from '../db/tables.js';
import { recordEvent } from '../audit/record-event.js';
import { translateDatabaseError } from '../db/translate-database-error.js';
import { openCsv } from '../csv/read-csv-file.js';
import type { Mapping, SavedMapping } from '../mapping/mapping-schema.js';
import type { DateOrder } from '../normalize/parse-date.js';
import type { MatchedBy, UpdateMode } from '../identity/plan-customer-write.js';
import { lookupKeysOf } from '../identity/match-customer.js';
import { writeCustomerRow } from '../identity/write-customer-row.js';
import { normalizeInParallel } from './normalizer-pool.js';
import { defaultRejectsPath, RejectsFile } from './rejects-file.js';
import { probeImportFile } from './probe-import-file.js';
import { getSetting } from '../setup/settings.js';
import { findPreviousImport, type ImportWarning } from '../db/import-batches.js';
import { decideDateOrder } from './decide-date-order.js';
import { resolveMapping, describeMapping, type MappingRequest, type MappingSummary } from './resolve-mapping.js';
import { beginImportBatch, countWarnings, settleImport, warnAboutRecord } from './import-batch.js';

/** The customer fields whose values decide the file's day/month order. */
const DATE_FIELDS: ReadonlySet<string> = new Set(['birth_date', 'signup_date']);

export interface ImportOptions extends MappingRequest {
  file: string;
  /** Identity namespace of the file's external ids; default: the preset's source, else "csv". */
  source?: string;
  encoding?: string;
  delimiter?: string;
  dateFormat?: DateOrder;
  defaultCountry?: string;
  update: UpdateMode;
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
}

export interface ImportCounts {
  rows: number;
  inserted: number;
  updated: number;
  unchanged: number;
  rejected: number;
  /** Inserted rows flagged as possible duplicates of an existing customer. */
  suspects: number;
}

export interface ImportResult {
  status: 'imported' | 'dry-run' | 'already-imported' | 'too-many-rejects' | 'empty';
  batchId: number | null;
  /** With status 'already-imported': the batch that imported the same content from the same source. */
  previousBatchId: number | null;
  file: string;
  sha256: string;
  kind: 'customers';
  source: string;
  preset: string | null;
  encoding: string;
  encodingAssumed: boolean;
  delimiter: string;
  dateOrder: DateOrder | null;
  mapping: MappingSummary[];
  counts: ImportCounts;
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

/**
 * Imports a customers CSV into the store as one transaction: everything or
 * nothing. Rejected rows are returned (and written to the rejects file), never
 * thrown; the same content from the same source is recognised and skipped
 * unless `force`. Throws only when it cannot run (unreadable file, bad
 * mapping, database busy).
 */
export async function importCustomers(store: Store, options: ImportOptions): Promise<ImportResult> {
  const started = Date.now();
  const probe = await probeImportFile(options);
  const resolved = await resolveMapping(store, probe.header, probe.samples, options);
  const mapping: Mapping = resolved.mapping;
  const source = options.source ?? resolved.source ?? 'csv';
  const sha256 = await probe.sha256();
  const notes = [...probe.notes, ...resolved.notes];

  const result: ImportResult = {
    status: 'imported',
    batchId: null,
    previousBatchId: null,
    file: options.file,
    sha256,
    kind: 'customers',
    source,
    preset: mapping.preset,
    encoding: probe.encoding,
    encodingAssumed: probe.encodingAssumed,
    delimiter: probe.delimiter,
    dateOrder: null,
    mapping: describeMapping(mapping),
    counts: { rows: 0, inserted: 0, updated: 0, unchanged: 0, rejected: 0, suspects: 0 },
    matchedBy: { external_id: 0, email: 0, phone: 0 },
    warnings: {},
    warningExamples: [],
    warningsUnlisted: 0,
    rejectsFile: null,
    maxRejects: 0,
    elapsedMs: 0,
    notes,
  };

  const previous = await findPreviousImport(store, source, sha256);
  if (previous !== undefined && !options.force) {
    result.status = 'already-imported';
    result.previousBatchId = previous;
    result.elapsedMs = Date.now() - started;
    return result;
  }

  const dateColumns = mapping.columns.filter((c) => c.target.kind === 'field' && DATE_FIELDS.has(c.target.field)).map((c) => c.index);
  const dateDecision = await decideDateOrder(options, probe, dateColumns);
  result.dateOrder = dateDecision.order;
  if (dateDecision.note) notes.push(dateDecision.note);

  const defaultCountry = options.defaultCountry ?? (await getSetting(store, 'default-country')) ?? null;
  const csv = await openCsv(options.file, { encoding: options.encoding, delimiter: options.delimiter });
  const rejects = new RejectsFile(options.rejectsFile ?? defaultRejectsPath(options.file), csv.header, csv);
  const now = nowIso();
  const context = { source, defaultCountry, dateOrder: dateDecision.order, dateOrderConflict: dateDecision.conflict };

  // A customer row takes 100–200 bytes in a typical export; the store only needs the order of magnitude.
  const expectedRows = Math.ceil(csv.totalBytes / 128);
  const session = await beginImportBatch(store, csv, { kind: 'customers', source, file: options.file, sha256, startedAt: now, mapping: result.mapping, actor: options.actor, expectedRows });
  const batchId = session.batchId;
  result.batchId = batchId;
  const writer = session.customers;
  const addWarning = countWarnings(result, (warning) => session.addWarning(warning));
  try {
    const meta = { batchId, now, consentSource: `import:${source}` };
    if (resolved.toSave) await saveMapping(session.db, resolved.toSave.name, resolved.toSave.mapping, now);

    for await (const { records, results } of normalizeInParallel(csv.rows, mapping, context, { fileBytes: csv.totalBytes, threads: options.threads })) {
      await session.prepare(lookupKeysOf(results.flatMap((normalized) => (normalized?.ok ? [normalized.record] : []))));
      records.forEach((record, i) => {
        const normalized = results[i];
        if (normalized === null || normalized === undefined) return;
        result.counts.rows += 1;
        warnAboutRecord(addWarning, record, csv.header.length);
        for (const warning of normalized.warnings) addWarning(record.line, warning.field, warning.message);
        if (!normalized.ok) {
          result.counts.rejected += 1;
          rejects.add(record.line, record.cells, normalized.reasons);
          return;
        }
        const outcome = writeCustomerRow(writer, normalized.record, options.update, meta);
        if (outcome.kind === 'inserted') {
          result.counts.inserted += 1;
          if (outcome.suspect) result.counts.suspects += 1;
          return;
        }
        result.matchedBy[outcome.by] += 1;
        result.counts[outcome.kind] += 1;
      });
      await session.flush();
      options.onProgress?.(csv.bytesRead(), csv.totalBytes, result.counts.rows);
    }

    await settleImport(session, result, rejects, options, now);

    if (result.status === 'imported') {
      result.elapsedMs = Date.now() - started;
      await session.finish(result.counts, JSON.stringify({ warnings: result.warnings, matchedBy: result.matchedBy }), nowIso());
      await recordEvent(session.db, {
        actor: options.actor,
        command: 'import',
        summary: `imported ${basename(options.file)} as batch ${batchId}: ${result.counts.inserted} inserted, ${result.counts.updated} updated`,
        details: { batchId, source, counts: result.counts },
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

async function saveMapping(db: Kysely<Database>, name: string, mapping: SavedMapping, now: string): Promise<void> {
  await db
    .insertInto('saved_mappings')
    .values({ name, kind: 'customers', mapping_json: JSON.stringify(mapping), created_at: now, updated_at: now })
    .onConflict((oc) => oc.column('name').doUpdateSet({ mapping_json: JSON.stringify(mapping), updated_at: now }))
    .execute();
}
