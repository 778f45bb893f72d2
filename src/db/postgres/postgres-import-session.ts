import type { Kysely } from 'kysely';
import type pg from 'pg';
import { refreshBatchCustomerMetrics } from '../customer-metrics.js';
import type { ImportWarning } from '../import-batches.js';
import type { KeyFilter } from '../key-filter.js';
import type { ImportSession, LookupKeys, NewImportBatch } from '../store.js';
import type { Database } from '../tables.js';
import { CopyRows } from './copy-rows.js';
import { DeferredChecks } from './deferred-checks.js';
import { endClient } from './end-client.js';
import { createSessionKysely } from './create-session-kysely.js';
import { ImportIds } from './import-ids.js';
import { readCustomerKeys, readRecordKeys } from './read-key-filters.js';
import { PostgresCustomerWriter } from './postgres-customer-writer.js';
import { PostgresOrderWriter } from './postgres-order-writer.js';
import { translatePostgresError } from './translate-postgres-error.js';
import { TAKE_WRITE_LOCK_SQL } from './write-lock.js';

/**
 * Opens an import's one write transaction on a client of `pool` (waiting for
 * custdb's write lock up to lock_timeout, then DatabaseBusyError) and records
 * its batch. Rows go through writers that answer from memory what each
 * chunk's `prepare` read; their writes are buffered and written in bulk (COPY
 * … FROM STDIN) every so many rows (importSessionLimits), in the background
 * while the import reads on, and before any query on `db`: a chunk of rows
 * costs a round trip or none, not several per row. A large import into
 * tables that hold little yet writes them with their foreign keys set aside
 * and checks them all at once before committing (DeferredChecks). On failure
 * nothing stays open. `location` names the database in errors.
 */
export async function beginPostgresImport(pool: pg.Pool, batch: NewImportBatch, location: string): Promise<ImportSession> {
  const client = await pool.connect().catch((error: unknown) => {
    throw translatePostgresError(error, location);
  });
  try {
    await client.query('BEGIN');
    await client.query(TAKE_WRITE_LOCK_SQL);
    const ids = await ImportIds.read(client);
    const batchId = ids.next('import_batches');
    await client.query(
      `INSERT INTO import_batches (id, kind, source, file_name, file_sha256, started_at, mapping_json, actor)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [batchId, batch.kind, batch.source, batch.fileName, batch.sha256, batch.startedAt, batch.mappingJson, batch.actor],
    );
    const knownCustomers = await readCustomerKeys(client, ids.firstOf('customers') - 1, batch.expectedRows);
    const records = batch.kind === 'interactions' ? 'interactions' : 'orders';
    const knownRecords = batch.kind === 'customers' ? undefined : await readRecordKeys(client, records, batch.source, ids.firstOf(records) - 1, batch.expectedRows);
    const filled = batch.kind === 'customers' ? 'customers' : records;
    const deferred = await DeferredChecks.dropFor(client, batch.kind, batch.expectedRows, ids.firstOf(filled) - 1, importSessionLimits.deferChecksRows);
    return new PostgresImportSession(client, location, batchId, batch, ids, knownCustomers, knownRecords, deferred);
  } catch (error) {
    await endClient(client, false);
    throw translatePostgresError(error, location);
  }
}

/**
 * When the session writes between chunks, and forgets what it read. A write
 * goes on while the import reads on, so it need not be large to cost little;
 * what memory holds the garbage collector copies again and again, so it
 * should not be large either. Exported so that tests can make imports of a
 * few thousand rows cross them.
 */
export const importSessionLimits = {
  /** Buffered rows, of every table, from which the session writes. */
  writeRows: 5_000,
  /** Customers and their keys (or orders, interactions and products) in memory, read or written, from which it forgets them. */
  memoryEntries: 30_000,
  /**
   * Rows a file must be expected to hold before the import sets its foreign keys aside (DeferredChecks): below
   * it the row-by-row checks cost seconds at most, too little to lock readers out of the tables for.
   */
  deferChecksRows: 200_000,
};

class PostgresImportSession implements ImportSession {
  readonly db: Kysely<Database>;
  readonly customers: PostgresCustomerWriter;
  readonly orders: PostgresOrderWriter;
  private readonly warningRows = new CopyRows('import_warnings', ['id', 'batch_id', 'line', 'field', 'message']);
  /** The last write started (it may have finished): queries wait for it, and the next write starts after it. */
  private writing: Promise<void> | undefined;
  private committed = false;
  private closed = false;

  constructor(
    private readonly client: pg.PoolClient,
    private readonly location: string,
    readonly batchId: number,
    private readonly batch: NewImportBatch,
    private readonly ids: ImportIds,
    knownCustomers: KeyFilter | undefined,
    knownRecords: KeyFilter | undefined,
    private readonly deferred: DeferredChecks,
  ) {
    this.customers = new PostgresCustomerWriter(ids, knownCustomers);
    this.orders = new PostgresOrderWriter(ids, batch.source, knownRecords);
    // Whatever runs on `db` (look-alikes, metrics, the audit event) sees every row written so far.
    this.db = createSessionKysely(client, () => this.write());
  }

  addWarning(warning: ImportWarning): void {
    this.warningRows.add([this.ids.next('import_warnings'), this.batchId, warning.line, warning.field, warning.message]);
  }

  async prepare(keys: LookupKeys): Promise<void> {
    await this.settle();
    const written = () => this.written();
    await this.run(async () => {
      await this.customers.load(this.client, keys, written);
      await this.orders.load(this.client, keys, written);
    });
  }

  async flush(): Promise<void> {
    await this.settle();
  }

  /**
   * Between chunks: once enough rows wait, starts writing them, and goes on
   * with the next chunks meanwhile (a chunk whose keys memory answers asks
   * the table nothing, so need not wait); once memory holds enough, forgets
   * what it read. A file of any size so holds a bounded number of rows in
   * memory (importSessionLimits), and at most one write is under way.
   */
  private async settle(): Promise<void> {
    const { writeRows, memoryEntries } = importSessionLimits;
    // Each writer's memory on its own: an orders file's many order ids need not push out its few customers.
    const forgetCustomers = this.customers.memorySize >= memoryEntries;
    const forgetOrders = this.orders.memorySize >= memoryEntries;
    if (this.bufferedRows >= writeRows || forgetCustomers || forgetOrders) {
      await this.written();
      this.startWrite(!forgetCustomers);
    }
    // The next query waits for the write just started, so what memory lets go of is in the table for it.
    if (forgetCustomers) this.customers.forget();
    if (forgetOrders) this.orders.forget();
  }

  private get bufferedRows(): number {
    return this.customers.bufferedRows + this.orders.bufferedRows + this.warningRows.size;
  }

  /**
   * Takes every buffered row now (see takeWrites) and writes them on the
   * session's client after the write under way, customers before what names
   * them. Its failure is reported by the next wait for it (`written`).
   */
  private startWrite(keepMemory: boolean): void {
    if (this.bufferedRows === 0) return;
    const customers = this.customers.takeWrites(keepMemory);
    const orders = this.orders.takeWrites();
    const warnings = this.warningRows.take();
    const previous = this.writing;
    const writing = (async () => {
      await previous;
      await customers(this.client);
      await orders(this.client);
      await warnings.copyInto(this.client);
    })();
    // Awaited later (`written`); until then a failure must not count as unhandled.
    writing.catch(() => {});
    this.writing = writing;
  }

  /** Waits for the write under way, if any; throws (translated) when it failed. */
  private async written(): Promise<void> {
    const writing = this.writing;
    if (writing !== undefined) await this.run(() => writing);
  }

  /** Writes every buffered row and waits until they are in; memory stays valid. */
  private async write(): Promise<void> {
    this.startWrite(true);
    await this.written();
  }

  async finish(counts: { rows: number; inserted: number; updated: number; unchanged: number; rejected: number }, summaryJson: string, finishedAt: string): Promise<{ touchedCustomers?: number }> {
    await this.write();
    await this.run(() => this.deferred.restore(this.client));
    let touched: { touchedCustomers?: number } = {};
    if (this.batch.kind !== 'customers') {
      // The foreign keys already refused any order naming a missing customer; the count stays for SQLite's sake.
      const { touchedCustomers, missingCustomers } = await refreshBatchCustomerMetrics(this.db, this.batchId, { ordersChanged: this.batch.kind === 'orders' });
      if (missingCustomers > 0) throw new Error(`batch ${this.batchId} names ${missingCustomers} customers that do not exist; nothing was written`);
      touched = { touchedCustomers };
    }
    await this.run(async () => {
      await this.client.query(
        `UPDATE import_batches SET rows_total = $1, inserted = $2, updated = $3, unchanged = $4, rejected = $5, finished_at = $6, summary_json = $7
          WHERE id = $8`,
        [counts.rows, counts.inserted, counts.updated, counts.unchanged, counts.rejected, finishedAt, summaryJson, this.batchId],
      );
      await this.ids.syncSequences(this.client);
    });
    return touched;
  }

  async commit(): Promise<void> {
    await this.write();
    await this.run(() => this.client.query('COMMIT'));
    this.committed = true;
    await this.close();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.writing?.catch(() => {});
    await endClient(this.client, this.committed);
  }

  private async run<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      throw translatePostgresError(error, this.location);
    }
  }
}
