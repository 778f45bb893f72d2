import { basename } from 'node:path';
import { recordEvent } from '../audit/record-event.js';
import { nowIso } from '../db/clock.js';
import { findPreviousImport } from '../db/import-batches.js';
import type { Store } from '../db/store.js';
import { translateDatabaseError } from '../db/translate-database-error.js';
import { openCsv } from '../csv/read-csv-file.js';
import type { ImportCounts, ImportOptions, ImportResult } from '../import/import-customers.js';
import { RejectsFile } from '../import/rejects-file.js';
import { makeRecordReader } from '../mapping/map-record-columns.js';
import { deriveId } from '../orders/normalize-order.js';
import { recordDateColumns, describeRecordMapping, resolveRecordMapping } from '../orders/record-import-kit.js';
import { defaultRejectsPath } from '../import/rejects-file.js';
import { probeImportFile } from '../import/probe-import-file.js';
import { decideDateOrder } from '../import/decide-date-order.js';
import { getSetting } from '../setup/settings.js';
import { RowCustomerLinker, type UnknownCustomerPolicy } from '../identity/link-row-customer.js';
import { mapInteractionColumns, type InteractionField } from './map-interaction-columns.js';
import { normalizeInteraction, type NormalizedInteraction } from './normalize-interaction.js';
import { lookupKeysOf } from '../identity/match-customer.js';
import { beginImportBatch, countWarnings, settleImport, warnAboutRecord } from '../import/import-batch.js';

export interface InteractionImportOptions extends Omit<ImportOptions, 'update'> {
  /** What to do with an interaction whose customer is not in the database: create them, or reject the row. */
  unknownCustomers: UnknownCustomerPolicy;
}

export interface InteractionImportCounts extends ImportCounts {
  /** Customers created from rows whose customer was not known. */
  customersCreated: number;
}

export interface InteractionImportResult extends Omit<ImportResult, 'kind' | 'counts'> {
  kind: 'interactions';
  counts: InteractionImportCounts;
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
export async function importInteractions(store: Store, options: InteractionImportOptions): Promise<InteractionImportResult> {
  const started = Date.now();
  const probe = await probeImportFile(options);
  const resolved = resolveRecordMapping<InteractionField>('interactions', probe.header, options, mapInteractionColumns, [
    { fields: ['occurred_at'], what: 'the date' },
    { fields: ['customer_external_id', 'email', 'phone'], what: 'the customer (a customer id, email or phone)' },
  ]);
  const source = options.source ?? resolved.source ?? 'csv';
  const sha256 = await probe.sha256();
  const notes = [...probe.notes, ...resolved.notes];
  const result: InteractionImportResult = {
    status: 'imported',
    batchId: null,
    previousBatchId: null,
    file: options.file,
    sha256,
    kind: 'interactions',
    source,
    preset: resolved.mapping.preset,
    encoding: probe.encoding,
    encodingAssumed: probe.encodingAssumed,
    delimiter: probe.delimiter,
    dateOrder: null,
    mapping: describeRecordMapping(resolved.mapping),
    counts: { rows: 0, inserted: 0, updated: 0, unchanged: 0, rejected: 0, suspects: 0, customersCreated: 0 },
    matchedBy: { external_id: 0, email: 0, phone: 0 },
    warnings: {},
    warningExamples: [],
    warningsUnlisted: 0,
    rejectsFile: null,
    maxRejects: 0,
    elapsedMs: 0,
    notes,
    unknownCustomers: options.unknownCustomers,
  };

  const previous = await findPreviousImport(store, source, sha256);
  if (previous !== undefined && !options.force) {
    result.status = 'already-imported';
    result.previousBatchId = previous;
    result.elapsedMs = Date.now() - started;
    return result;
  }

  const dateDecision = await decideDateOrder(options, probe, recordDateColumns(resolved.mapping, ['occurred_at']));
  result.dateOrder = dateDecision.order;
  if (dateDecision.note) notes.push(dateDecision.note);

  const defaultCountry = options.defaultCountry ?? (await getSetting(store, 'default-country')) ?? null;
  const csv = await openCsv(options.file, { encoding: options.encoding, delimiter: options.delimiter });
  const rejects = new RejectsFile(options.rejectsFile ?? defaultRejectsPath(options.file), csv.header, csv);
  const readRow = makeRecordReader(resolved.mapping);
  const now = nowIso();
  const context = { source, defaultCountry, dateOrder: dateDecision.order, dateOrderConflict: dateDecision.conflict };

  // An interaction row takes ~100 bytes in a typical export: the store only needs the order of magnitude.
  const expectedRows = Math.ceil(csv.totalBytes / 100);
  const session = await beginImportBatch(store, csv, { kind: 'interactions', source, file: options.file, sha256, startedAt: now, mapping: result.mapping, actor: options.actor, expectedRows });
  const batchId = session.batchId;
  result.batchId = batchId;
  const customers = session.customers;
  const writer = session.orders;
  const addWarning = countWarnings(result, (warning) => session.addWarning(warning));
  try {
    const linker = new RowCustomerLinker(customers, { batchId, now, consentSource: `import:${source}` }, options.unknownCustomers);

    for await (const batch of csv.rows) {
      // Each batch is read and standardised first, the store handed what its rows will look up, then written.
      const rows: { record: (typeof batch)[number]; read: { interaction: NormalizedInteraction; externalId: string } | { reasons: string[] } }[] = [];
      for (const record of batch) {
        if (record.cells.every((cell) => cell.trim() === '')) continue;
        result.counts.rows += 1;
        warnAboutRecord(addWarning, record, csv.header.length);
        const normalized = normalizeInteraction(readRow(record.cells), context);
        for (const warning of normalized.warnings) addWarning(record.line, warning.field, warning.message);
        if (!normalized.ok) {
          rows.push({ record, read: { reasons: normalized.reasons } });
          continue;
        }
        const interaction = normalized.interaction;
        const base = interaction.interactionId ?? deriveId(interaction.contentKey);
        const occurrence = writer.nextOccurrence(base);
        rows.push({ record, read: { interaction, externalId: occurrence === 1 ? base : `${base}-${occurrence}` } });
      }
      const ready = rows.flatMap(({ read }) => ('interaction' in read ? [read] : []));
      await session.prepare({ ...lookupKeysOf(ready.map((r) => r.interaction.customer)), interactionIds: ready.map((r) => r.externalId) });
      for (const { record, read } of rows) {
        if (!('interaction' in read)) {
          result.counts.rejected += 1;
          rejects.add(record.line, record.cells, read.reasons);
          continue;
        }
        const { interaction, externalId } = read;
        if (writer.findInteraction(source, externalId) !== undefined) {
          result.counts.unchanged += 1;
          continue;
        }
        const customer = linker.link(interaction.customer);
        if (customer.kind === 'unknown') {
          const who = interaction.customer.values.email ?? interaction.customer.values.phone ?? interaction.customer.externalIds[0]?.externalId ?? 'this customer';
          result.counts.rejected += 1;
          rejects.add(record.line, record.cells, [`customer ${who} is not in the database (--unknown-customers reject)`]);
          continue;
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
          batchId,
          now,
        });
        result.counts.inserted += 1;
      }
      await session.flush();
      options.onProgress?.(csv.bytesRead(), csv.totalBytes, result.counts.rows);
    }

    await settleImport(session, result, rejects, options, now);

    if (result.status === 'imported') {
      result.elapsedMs = Date.now() - started;
      const c = result.counts;
      await session.finish(c, JSON.stringify({ warnings: result.warnings, matchedBy: result.matchedBy, customersCreated: c.customersCreated }), nowIso());
      await recordEvent(session.db, {
        actor: options.actor,
        command: 'import',
        summary: `imported ${basename(options.file)} as batch ${batchId}: ${c.inserted} interactions, ${c.customersCreated} new customers`,
        details: { batchId, source, kind: 'interactions', counts: c },
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
