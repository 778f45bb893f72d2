import type { Kysely } from 'kysely';
import type { BackupSource } from './backup-file.js';
import type { CustomerWriter } from './customer-writer.js';
import type { CustomerSnapshot, SnapshotToken } from './customer-snapshot.js';
import type { Dialect } from './dialect.js';
import type { ImportWarning } from './import-batches.js';
import type { OrderWriter } from './order-writer.js';
import type { Database } from './tables.js';

/**
 * An open custdb database, the same for every dialect. Capabilities use
 * `db` (Kysely queries, dialect-neutral), the store functions of src/db,
 * and these methods; what a dialect does its own way (connection set-up, the
 * bulk-write path, the export snapshot, integrity checks) lives in its folder
 * under src/db/ behind them. Nothing outside src/db sees a driver.
 */
export interface Store {
  readonly db: Kysely<Database>;
  readonly dialect: Dialect;
  /** The file path, or the server URL without its password. */
  readonly location: string;
  /** The database file, for a dialect that keeps the database in one (SQLite); undefined for a server. */
  readonly file: string | undefined;
  /** The cipher an encrypted database file is read with (`chacha20`); undefined for a plain file or a server. */
  readonly cipher?: string | undefined;
  /**
   * Runs `work` in one write transaction: it waits for other writers first
   * (SQLite's write lock), commits when `work` resolves and rolls back when it
   * throws. Database errors come out translated (busy, read-only, …).
   */
  transaction<T>(work: (db: Kysely<Database>) => Promise<T>): Promise<T>;
  /**
   * `transaction` for a write of many rows: `work` also gets `bulk`, which appends rows to a
   * table at a fraction of the cost of INSERT statements built per chunk.
   */
  bulkTransaction<T>(work: (db: Kysely<Database>, bulk: BulkInsert) => Promise<T>): Promise<T>;
  /** Runs `work` in one read transaction: every query in it sees the same data, and writers are neither waited for nor blocked. */
  readTransaction<T>(work: (db: Kysely<Database>) => Promise<T>): Promise<T>;
  /** Opens an import's one write transaction and records its batch (see ImportSession). */
  beginImport(batch: NewImportBatch): Promise<ImportSession>;
  /**
   * One consistent read of every customer, for export (see CustomerSnapshot);
   * `share` lets another thread read the same snapshot (see SnapshotSharing).
   */
  openCustomerSnapshot<T>(options: { nulls: boolean; share?: SnapshotSharing<T> }): Promise<{ snapshot: CustomerSnapshot; shared: T | undefined }>;
  /** The engine's own checks of the stored data: damaged pages, dangling references. */
  checkIntegrity(): Promise<IntegrityReport>;
  /**
   * Writes a consistent copy of the whole database to `file` (which must not
   * exist yet) as a custdb SQLite file, while other sessions go on writing, and
   * returns the migrations and row counts of the snapshot it copied, to verify
   * the file against (src/db/backup-file.ts). `onRows` hears of a long copy's progress.
   */
  writeBackup(file: string, onRows?: (table: string, rows: number) => void): Promise<BackupSource>;
  /** Names of the tables the database has (doctor uses it to tell which migrations' tables exist). */
  tableNames(): Promise<string[]>;
  close(): Promise<void>;
}

/** A value of a row written through BulkInsert. */
export type BulkValue = string | number | null;

/** Appends rows inside a `bulkTransaction`: SQLite runs prepared statements of many rows each, PostgreSQL streams COPY. */
export interface BulkInsert {
  /**
   * Appends `rows` to `table`, each holding the values of `columns` in that order. Each row is
   * read once, as it comes, so an iterator may hand out one array refilled; the rows are written
   * when the promise resolves, and a row the table refuses fails it (and the transaction).
   */
  insert(table: keyof Database & string, columns: readonly string[], rows: Iterable<readonly BulkValue[]>): Promise<void>;
}

/**
 * A second reader of a customer snapshot, on another thread. From
 * `minCustomers` customers on, when the dialect can line two readers up,
 * `start` is called with what that thread passes to `joinCustomerSnapshot`,
 * and must not resolve until the thread has joined; its result comes back as
 * `shared`. When it throws, or sharing is not possible, `shared` is undefined.
 */
export interface SnapshotSharing<T> {
  minCustomers: number;
  start(token: SnapshotToken, maxId: number): Promise<T>;
}

export interface NewImportBatch {
  kind: 'customers' | 'orders' | 'interactions';
  source: string;
  fileName: string;
  sha256: string;
  startedAt: string;
  mappingJson: string;
  actor: string;
  /** About how many rows (customers, orders or interactions) the file holds: a bulk write may prepare for its size. */
  expectedRows: number;
}

/** What an import reads before a chunk of rows: every key the chunk's rows may look up. */
export interface LookupKeys {
  /** Customers' (source, external id) pairs, normalised emails and E.164 phones. */
  identities: { source: string; externalId: string }[];
  emails: string[];
  phones: string[];
  /** External ids of the import's source that the chunk's orders or interactions have (`OrderWriter.findOrder` / `findInteraction`). */
  orderIds?: string[];
  interactionIds?: string[];
  /** Products the chunk's line items name (`OrderWriter.product`). */
  products?: { sku: string | null; name: string }[];
}

/**
 * An import's one write transaction, from its batch row to its commit.
 * Rows go through `customers` and `orders`, synchronously; before each chunk
 * of rows the import calls `prepare` with what the chunk may look up, and
 * `flush` after it (a dialect that answers lookups from memory and writes in
 * bulk does its round trips there; SQLite's prepared statements need neither).
 */
export interface ImportSession {
  readonly batchId: number;
  /** The import's transaction, for queries that must see (and be part of) what it wrote. */
  readonly db: Kysely<Database>;
  readonly customers: CustomerWriter;
  /** Orders, items, products and interactions (orders and interactions imports). */
  readonly orders: OrderWriter;
  /** Keeps one warning of this batch. */
  addWarning(warning: ImportWarning): void;
  prepare(keys: LookupKeys): Promise<void>;
  flush(): Promise<void>;
  /**
   * After the last row: rebuilds what the bulk write deferred, recomputes the
   * stored metrics of the customers the batch touched (refusing, so that
   * nothing is kept, if it names customers that do not exist), and records
   * the batch's counts. Returns, for an orders or interactions batch, how many
   * customers it touched: its orders' and interactions' owners, and those of
   * orders whose status it changed.
   */
  finish(counts: { rows: number; inserted: number; updated: number; unchanged: number; rejected: number }, summaryJson: string, finishedAt: string): Promise<{ touchedCustomers?: number }>;
  commit(): Promise<void>;
  /** Rolls back unless committed, and releases what the session held; safe to call more than once. */
  close(): Promise<void>;
}

export interface IntegrityReport {
  /** What the engine's page-level check found, one line each; empty when the file is sound. */
  damage: string[];
  /** Rows whose foreign keys point at nothing. */
  danglingReferences: { table: string; row: number; parent: string }[];
}
