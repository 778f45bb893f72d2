import type BetterSqlite3 from 'better-sqlite3-multiple-ciphers';
import { CUSTOMER_VALUE_FIELDS } from '../../model/customer-record.js';
import type { CustomerChunk, CustomerSnapshot, IdRange, SnapshotToken } from '../customer-snapshot.js';
import type { DatabaseKey } from '../open-store.js';
import type { SnapshotSharing } from '../store.js';
import { SQLITE_CONNECTION_PRAGMAS } from './connection-settings.js';
import { connectSqlite } from './encryption.js';

/** How long to try for the moment's write lock that lines up two readers' snapshots before reading on one alone. */
const LOCK_WAIT_MS = 250;

/**
 * Page cache of each reader during an export, in KiB (SQLite's negative cache_size): reading
 * in id order needs few pages at once, and the usual cache would only add to peak memory.
 */
const EXPORT_CACHE_SIZE = -4096;

/** The highest customer id; read first in a transaction, it also fixes that transaction's snapshot. */
function maxCustomerId(sqlite: BetterSqlite3.Database): number {
  return Number(sqlite.prepare('SELECT coalesce(max(id), 0) FROM customers').pluck().get());
}

/**
 * Reads active customers an id range at a time, with their identities, tags,
 * attributes and stored metrics, from all five tables by range (no per-customer subqueries).
 * Used inside a read transaction so every range comes from one snapshot. The
 * connection may be the store's or a second one on another thread.
 */
class CustomerRangeReader {
  private readonly customers;
  private readonly identities;
  private readonly tags;
  private readonly attributes;

  constructor(sqlite: BetterSqlite3.Database, options: { nulls: boolean }) {
    // Handing 22 separate values to JavaScript cost twice the time of the whole query; one joined string does not.
    // The NULL bits cost a third of the query, so they are left out (0: every empty value reads as '') unless asked for.
    const nullBits = options.nulls ? CUSTOMER_VALUE_FIELDS.map((field, i) => `((${field} IS NULL) << ${i})`).join(' | ') : '0';
    // The stored metrics come along in the same statement (a primary-key look-up each): a statement of their own per range cost more.
    this.customers = sqlite
      .prepare(
        `SELECT c.id, ${nullBits},
           concat_ws(char(31), ${CUSTOMER_VALUE_FIELDS.map((field) => `coalesce(c.${field}, '')`).join(', ')}),
           m.orders_count, m.total_spent_minor
         FROM customers c LEFT JOIN customer_metrics m ON m.customer_id = c.id
         WHERE c.id > ? AND c.id <= ? AND c.status = 'active' ORDER BY c.id`,
      )
      .raw();
    this.identities = sqlite
      .prepare(`SELECT customer_id, source || ':' || external_id FROM customer_identities WHERE customer_id > ? AND customer_id <= ? ORDER BY customer_id, id`)
      .raw();
    this.tags = sqlite.prepare('SELECT customer_id, tag FROM customer_tags WHERE customer_id > ? AND customer_id <= ? ORDER BY customer_id, tag').raw();
    this.attributes = sqlite
      .prepare('SELECT customer_id, name, value FROM customer_attributes WHERE customer_id > ? AND customer_id <= ? ORDER BY customer_id, name')
      .raw();
  }

  read({ after, upTo }: IdRange): CustomerChunk {
    const rows = this.customers.all(after, upTo) as [number, number, string, number | null, number | null][];
    if (rows.length === 0) return { customers: [], identities: [], tags: [], attributes: [], metrics: [] };
    const customers: [number, number, string][] = [];
    const metrics: [number, number, number | null][] = [];
    for (const [id, nulls, joined, ordersCount, totalSpentMinor] of rows) {
      customers.push([id, nulls, joined]);
      if (ordersCount !== null) metrics.push([id, ordersCount, totalSpentMinor]);
    }
    return {
      customers,
      metrics,
      identities: this.identities.all(after, upTo) as [number, string][],
      tags: this.tags.all(after, upTo) as [number, string][],
      attributes: this.attributes.all(after, upTo) as [number, string, string][],
    };
  }
}

/**
 * Opens a read transaction on the store's connection and the reader of its
 * snapshot. With `share`, for a table of at least `share.minCustomers`, a
 * second reader may join the same snapshot from another thread: both open
 * their transactions while a third connection holds the write lock for that
 * moment (milliseconds), so no commit can fall between them. Without the
 * lock (another writer busy) the snapshot is not shared.
 */
export async function openSqliteCustomerSnapshot<T>(
  sqlite: BetterSqlite3.Database,
  file: string,
  key: DatabaseKey | undefined,
  options: { nulls: boolean; share?: SnapshotSharing<T> },
): Promise<{ snapshot: CustomerSnapshot; shared: T | undefined }> {
  if (sqlite.inTransaction) throw new Error('a customer snapshot needs a connection with no open transaction');
  const cacheSize = sqlite.pragma('cache_size', { simple: true }) as number;
  const lock = options.share && maxCustomerId(sqlite) >= options.share.minCustomers ? tryWriteLock(file, key) : undefined;
  let shared: T | undefined;
  try {
    sqlite.pragma(`cache_size = ${EXPORT_CACHE_SIZE}`);
    sqlite.exec('BEGIN');
    const maxId = maxCustomerId(sqlite);
    if (lock && options.share) {
      try {
        shared = await options.share.start({ dialect: 'sqlite', file, nulls: options.nulls, ...(key === undefined ? {} : { key }) }, maxId);
      } catch {
        // The other reader could not start: read on this thread alone.
        shared = undefined;
      }
    }
    const snapshot = snapshotOn(sqlite, maxId, options.nulls, () => {
      if (sqlite.inTransaction) sqlite.exec('COMMIT');
      sqlite.pragma(`cache_size = ${cacheSize}`);
    });
    return { snapshot, shared };
  } catch (error) {
    if (sqlite.inTransaction) sqlite.exec('ROLLBACK');
    sqlite.pragma(`cache_size = ${cacheSize}`);
    throw error;
  } finally {
    if (lock) {
      lock.exec('ROLLBACK');
      lock.close();
    }
  }
}

/** In another thread: a read-only connection of its own on the file, reading the snapshot the sharer holds open. */
export function joinSqliteCustomerSnapshot(token: SnapshotToken): CustomerSnapshot {
  // The key crossed a thread as a structured clone, its secret a plain Uint8Array again.
  const key = token.key === undefined ? undefined : { source: token.key.source, secret: Buffer.from(token.key.secret) };
  const sqlite = connectSqlite(token.file, key);
  for (const pragma of [...SQLITE_CONNECTION_PRAGMAS, 'query_only = ON', `cache_size = ${EXPORT_CACHE_SIZE}`]) sqlite.pragma(pragma);
  sqlite.exec('BEGIN');
  return snapshotOn(sqlite, maxCustomerId(sqlite), token.nulls, () => sqlite.close());
}

function snapshotOn(sqlite: BetterSqlite3.Database, maxId: number, nulls: boolean, release: () => void): CustomerSnapshot {
  const reader = new CustomerRangeReader(sqlite, { nulls });
  const one = sqlite.prepare(`SELECT ${CUSTOMER_VALUE_FIELDS.join(', ')} FROM customers WHERE id = ?`).raw();
  let open = true;
  return {
    maxId,
    read: async (range) => reader.read(range),
    reread: async (chunk, ids) => {
      const reread = new Set(ids);
      return { ...chunk, customers: chunk.customers.map((customer) => (reread.has(customer[0]) ? [customer[0], one.get(customer[0]) as unknown[]] : customer)) };
    },
    close: async () => {
      if (!open) return;
      open = false;
      release();
    },
  };
}

function tryWriteLock(file: string, key: DatabaseKey | undefined): BetterSqlite3.Database | undefined {
  let lock: BetterSqlite3.Database | undefined;
  try {
    lock = connectSqlite(file, key, { timeout: LOCK_WAIT_MS });
    lock.exec('BEGIN IMMEDIATE');
    return lock;
  } catch {
    lock?.close();
    return undefined;
  }
}
