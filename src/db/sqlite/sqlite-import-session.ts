import type BetterSqlite3 from 'better-sqlite3-multiple-ciphers';
import type { Kysely } from 'kysely';
import { refreshBatchCustomerMetrics } from '../customer-metrics.js';
import type { ImportSession, NewImportBatch } from '../store.js';
import type { Database } from '../tables.js';
import { DeferredIndexes } from './deferred-indexes.js';
import { pauseForeignKeys } from './paused-foreign-keys.js';
import { SqliteCustomerWriter } from './sqlite-customer-writer.js';
import { SqliteOrderWriter } from './sqlite-order-writer.js';

/**
 * Opens an import's write transaction on SQLite (BEGIN IMMEDIATE: waiting for
 * other writers up to the busy timeout) and records its batch. Orders and
 * interactions imports write with the row-by-row foreign key checks paused
 * (their customers are checked once, as a set, in `finish`) and an orders
 * import drops the orders' customer index for the length of a large write.
 * On failure nothing stays open.
 */
export function beginSqliteImport(sqlite: BetterSqlite3.Database, db: Kysely<Database>, batch: NewImportBatch): ImportSession {
  const resumeForeignKeys = batch.kind === 'customers' ? () => {} : pauseForeignKeys(sqlite);
  try {
    sqlite.exec('BEGIN IMMEDIATE');
    const batchId = Number(
      sqlite
        .prepare(
          `INSERT INTO import_batches (kind, source, file_name, file_sha256, started_at, mapping_json, actor)
           VALUES (?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(batch.kind, batch.source, batch.fileName, batch.sha256, batch.startedAt, batch.mappingJson, batch.actor).lastInsertRowid,
    );
    return new SqliteImportSession(sqlite, db, batchId, batch, resumeForeignKeys);
  } catch (error) {
    if (sqlite.inTransaction) sqlite.exec('ROLLBACK');
    resumeForeignKeys();
    throw error;
  }
}

class SqliteImportSession implements ImportSession {
  readonly customers: SqliteCustomerWriter;
  readonly orders: SqliteOrderWriter;
  private readonly warningInsert: BetterSqlite3.Statement;
  private readonly deferred: DeferredIndexes | undefined;
  private committed = false;
  private closed = false;

  constructor(
    private readonly sqlite: BetterSqlite3.Database,
    readonly db: Kysely<Database>,
    readonly batchId: number,
    private readonly batch: NewImportBatch,
    private readonly resumeForeignKeys: () => void,
  ) {
    this.customers = new SqliteCustomerWriter(sqlite, { expectedRows: batch.kind === 'customers' ? batch.expectedRows : 0 });
    this.orders = new SqliteOrderWriter(sqlite, batch.kind === 'orders' ? { bulk: { source: batch.source, expectedOrders: batch.expectedRows } } : {});
    this.warningInsert = sqlite.prepare('INSERT INTO import_warnings (batch_id, line, field, message) VALUES (?, ?, ?, ?)');
    // Orders arrive in file order, their customers in any: the customer index is built once at the end instead.
    this.deferred = batch.kind === 'orders' ? DeferredIndexes.dropFor(sqlite, 'orders', ['orders_customer_ordered'], batch.expectedRows) : undefined;
  }

  addWarning(warning: { line: number; field: string; message: string }): void {
    this.warningInsert.run(this.batchId, warning.line, warning.field, warning.message);
  }

  async prepare(): Promise<void> {
    // Every lookup is a prepared statement on this connection: nothing to load ahead.
  }

  async flush(): Promise<void> {
    // Every write already went to the transaction.
  }

  async finish(counts: { rows: number; inserted: number; updated: number; unchanged: number; rejected: number }, summaryJson: string, finishedAt: string): Promise<{ touchedCustomers?: number }> {
    this.deferred?.rebuild();
    let touched: { touchedCustomers?: number } = {};
    if (this.batch.kind !== 'customers') {
      // Once per batch, set-based: the stored metrics of every customer whose orders or interactions it added or changed;
      // and the customers they name must exist, as the paused foreign key checks would have said row by row.
      const { touchedCustomers, missingCustomers } = await refreshBatchCustomerMetrics(this.db, this.batchId, { ordersChanged: this.batch.kind === 'orders' });
      if (missingCustomers > 0) throw new Error(`batch ${this.batchId} names ${missingCustomers} customers that do not exist; nothing was written`);
      touched = { touchedCustomers };
    }
    this.sqlite
      .prepare(
        `UPDATE import_batches SET rows_total = ?, inserted = ?, updated = ?, unchanged = ?, rejected = ?, finished_at = ?, summary_json = ?
         WHERE id = ?`,
      )
      .run(counts.rows, counts.inserted, counts.updated, counts.unchanged, counts.rejected, finishedAt, summaryJson, this.batchId);
    return touched;
  }

  async commit(): Promise<void> {
    this.sqlite.exec('COMMIT');
    this.committed = true;
    await this.close();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      if (!this.committed && this.sqlite.inTransaction) this.sqlite.exec('ROLLBACK');
      this.orders.dispose();
    } finally {
      this.resumeForeignKeys();
    }
  }
}
