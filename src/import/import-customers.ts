import type { Store } from '../db/store.js';
import { lookupKeysOf } from '../identity/match-customer.js';
import type { UpdateMode } from '../identity/plan-customer-write.js';
import { writeCustomerRow } from '../identity/write-customer-row.js';
import type { Mapping } from '../mapping/mapping-schema.js';
import { warnAboutRecord } from './import-batch.js';
import { normalizeInParallel } from './normalizer-pool.js';
import { rejectErased } from './reject-erased.js';
import { describeMapping, resolveMapping } from './resolve-mapping.js';
import { runImport, type ImportCounts, type ImportKindModule, type ImportRunOptions, type ImportRunResult, type RowChunk, type RowsRun } from './run-import.js';

export type { ImportCounts } from './run-import.js';

export interface ImportOptions extends ImportRunOptions {
  update: UpdateMode;
}

export type ImportResult = ImportRunResult<'customers', ImportCounts>;

/** The customer fields whose values decide the file's day/month order. */
const DATE_FIELDS: ReadonlySet<string> = new Set(['birth_date', 'signup_date']);

/**
 * Imports a customers CSV into the store as one transaction: everything or
 * nothing. Rejected rows are returned (and written to the rejects file), never
 * thrown; the same content from the same source is recognised and skipped
 * unless `force`. Throws only when it cannot run (unreadable file, bad
 * mapping, database busy).
 */
export function importCustomers(store: Store, options: ImportOptions): Promise<ImportResult> {
  return runImport(store, options, CUSTOMERS);
}

/**
 * Customers files: mapped by a saved mapping, a preset or synonyms (with the
 * wizard's answers as `--map`), standardised on worker threads, each row
 * inserted or matched and updated (`writeCustomerRow`).
 */
const CUSTOMERS: ImportKindModule<ImportOptions, ImportResult, Mapping> = {
  kind: 'customers',
  // A customer row takes 100–200 bytes in a typical export.
  bytesPerRow: 128,

  async resolveMapping(store, probe, options) {
    const resolved = await resolveMapping(store, probe.header, probe.samples, options);
    const mapping = resolved.mapping;
    return {
      mapping,
      source: resolved.source,
      preset: mapping.preset,
      summary: describeMapping(mapping),
      dateColumns: mapping.columns.filter((c) => c.target.kind === 'field' && DATE_FIELDS.has(c.target.field)).map((c) => c.index),
      notes: resolved.notes,
      toSave: resolved.toSave,
    };
  },

  newCounts: () => ({ rows: 0, inserted: 0, updated: 0, unchanged: 0, rejected: 0, suspects: 0 }),
  startResult: (common) => common,
  readRows,
  summaryOf: () => ({}),
  eventOf: (result) => ({ summary: `${result.counts.inserted} inserted, ${result.counts.updated} updated`, details: { counts: result.counts } }),
};

async function* readRows(run: RowsRun<ImportOptions, ImportResult, Mapping>): AsyncGenerator<RowChunk> {
  const { options, result, csv, rejects, addWarning, meta } = run;
  const writer = run.session.customers;
  for await (const { records, results } of normalizeInParallel(csv.rows, run.mapping, run.context, { fileBytes: csv.totalBytes, threads: options.threads })) {
    yield {
      keys: lookupKeysOf(results.flatMap((normalized) => (normalized?.ok ? [normalized.record] : []))),
      write: () =>
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
          if (rejectErased(run.suppressions, normalized.record, [record], result.counts, rejects)) return;
          const outcome = writeCustomerRow(writer, normalized.record, options.update, meta);
          if (outcome.kind === 'inserted') {
            result.counts.inserted += 1;
            if (outcome.suspect) result.counts.suspects += 1;
            return;
          }
          result.matchedBy[outcome.by] += 1;
          result.counts[outcome.kind] += 1;
        }),
    };
  }
}
