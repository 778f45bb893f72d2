import type { Store } from '../db/store.js';
import { RowCustomerLinker, type UnknownCustomerPolicy } from '../identity/link-row-customer.js';
import { lookupKeysOf } from '../identity/match-customer.js';
import { warnAboutRecord } from '../import/import-batch.js';
import { rejectErased } from '../import/reject-erased.js';
import { runImport, type ImportCounts, type ImportKindModule, type ImportRunOptions, type ImportRunResult, type RowChunk, type RowsRun } from '../import/run-import.js';
import { makeRecordReader, type RecordMapping } from '../mapping/map-record-columns.js';
import { deriveId } from '../import/derive-row-id.js';
import { resolveRecordKindMapping, type RecordKind } from '../import/resolve-record-mapping.js';
import { INTERACTION_VOCABULARY, mapInteractionColumns, type InteractionField } from './map-interaction-columns.js';
import { normalizeInteraction, type NormalizedInteraction } from './normalize-interaction.js';
import { nulCellReason } from '../normalize/clean-cell.js';

export interface InteractionImportOptions extends ImportRunOptions {
  /** What to do with an interaction whose customer is not in the database: create them, or reject the row. */
  unknownCustomers: UnknownCustomerPolicy;
}

export interface InteractionImportCounts extends ImportCounts {
  /** Customers created from rows whose customer was not known. */
  customersCreated: number;
}

export interface InteractionImportResult extends ImportRunResult<'interactions', InteractionImportCounts> {
  unknownCustomers: UnknownCustomerPolicy;
}

/**
 * Imports an interactions CSV (support requests, complaints, inquiries,
 * notes, feedback) as one transaction, like `importCustomers`: each row is
 * linked to its customer by the customer import's identity rules (unknown
 * customers created, or the row rejected); a row already imported from the
 * same source (same ticket id, or the same content when the file has no id)
 * is left alone. Throws only when it cannot run.
 */
export function importInteractions(store: Store, options: InteractionImportOptions): Promise<InteractionImportResult> {
  return runImport(store, options, INTERACTIONS);
}

/** How an interactions file's columns are mapped, and the fields it cannot do without (any one of each group). */
const INTERACTION_COLUMNS: RecordKind<InteractionField> = {
  vocabulary: { ...INTERACTION_VOCABULARY, kind: 'interactions' },
  map: mapInteractionColumns,
  requirements: [
    { fields: ['occurred_at'], what: 'the date' },
    { fields: ['customer_external_id', 'email', 'phone'], what: 'the customer (a customer id, email or phone)' },
  ],
};

/** Interactions files: mapped by preset or synonyms, each row standardised, linked to its customer and written. */
const INTERACTIONS: ImportKindModule<InteractionImportOptions, InteractionImportResult, RecordMapping<InteractionField>> = {
  kind: 'interactions',
  // An interaction row takes ~100 bytes in a typical export.
  bytesPerRow: 100,

  resolveMapping: (store, probe, options) => resolveRecordKindMapping(store, probe.header, options, INTERACTION_COLUMNS, ['occurred_at']),

  newCounts: () => ({ rows: 0, inserted: 0, updated: 0, unchanged: 0, rejected: 0, suspects: 0, customersCreated: 0 }),
  startResult: (common, options) => ({ ...common, unknownCustomers: options.unknownCustomers }),
  readRows,
  summaryOf: ({ counts: c }) => ({ customersCreated: c.customersCreated }),
  eventOf: ({ counts: c }) => ({ summary: `${c.inserted} interactions, ${c.customersCreated} new customers`, details: { kind: 'interactions', counts: c } }),
};

type ReadRow = { line: number; cells: string[] } & ({ interaction: NormalizedInteraction; externalId: string } | { reasons: string[] });

/** Each batch of the file is read and standardised first (its ids decided), then written. */
async function* readRows(run: RowsRun<InteractionImportOptions, InteractionImportResult, RecordMapping<InteractionField>>): AsyncGenerator<RowChunk> {
  const { options, result, csv, rejects, addWarning, meta } = run;
  const source = run.context.source;
  const writer = run.session.orders;
  const linker = new RowCustomerLinker(run.session.customers, meta, options.unknownCustomers);
  const readFields = makeRecordReader(run.mapping);

  const write = (row: ReadRow) => {
    if (!('interaction' in row)) {
      result.counts.rejected += 1;
      rejects.add(row.line, row.cells, row.reasons);
      return;
    }
    const { interaction, externalId } = row;
    if (writer.findInteraction(source, externalId) !== undefined) {
      result.counts.unchanged += 1;
      return;
    }
    if (rejectErased(run.suppressions, interaction.customer, [row], result.counts, rejects)) return;
    const customer = linker.link(interaction.customer);
    if (customer.kind === 'unknown') {
      const who = interaction.customer.values.email ?? interaction.customer.values.phone ?? interaction.customer.externalIds[0]?.externalId ?? 'this customer';
      result.counts.rejected += 1;
      rejects.add(row.line, row.cells, [`customer ${who} is not in the database (--unknown-customers reject)`]);
      return;
    }
    if (customer.kind === 'created') {
      result.counts.customersCreated += 1;
      if (customer.suspect) result.counts.suspects += 1;
    } else {
      result.matchedBy[customer.by] += 1;
    }
    writer.insertInteraction({
      customerId: customer.customerId,
      occurredAt: interaction.occurredAt,
      channel: interaction.channel,
      kind: interaction.kind,
      summary: interaction.summary,
      outcome: interaction.outcome,
      staff: interaction.staff,
      source,
      externalId,
      batchId: meta.batchId,
      now: meta.now,
    });
    result.counts.inserted += 1;
  };

  for await (const batch of csv.rows) {
    const rows: ReadRow[] = [];
    for (const record of batch) {
      if (record.cells.every((cell) => cell.trim() === '')) continue;
      result.counts.rows += 1;
      warnAboutRecord(addWarning, record, csv.header.length);
      const nul = nulCellReason(record.cells);
      if (nul !== null) {
        rows.push({ line: record.line, cells: record.cells, reasons: [nul] });
        continue;
      }
      const normalized = normalizeInteraction(readFields(record.cells), run.context);
      for (const warning of normalized.warnings) addWarning(record.line, warning.field, warning.message);
      if (!normalized.ok) {
        rows.push({ line: record.line, cells: record.cells, reasons: normalized.reasons });
        continue;
      }
      const interaction = normalized.interaction;
      const base = interaction.interactionId ?? deriveId(interaction.contentKey);
      const occurrence = writer.nextOccurrence(base);
      rows.push({ line: record.line, cells: record.cells, interaction, externalId: occurrence === 1 ? base : `${base}-${occurrence}` });
    }
    const ready = rows.flatMap((row) => ('interaction' in row ? [row] : []));
    yield {
      keys: { ...lookupKeysOf(ready.map((r) => r.interaction.customer)), interactionIds: ready.map((r) => r.externalId) },
      write: () => rows.forEach(write),
    };
  }
}
