import { Kysely, sql } from 'kysely';
import type pg from 'pg';
import { CUSTOMER_VALUE_FIELDS } from '../../model/customer-record.js';
import type { CustomerChunk, CustomerSnapshot, IdRange } from '../customer-snapshot.js';
import { postgresDialect } from '../dialect.js';
import type { OpenedStore, OpenStoreOptions } from '../open-store.js';
import type { BulkInsert, ImportSession, IntegrityReport, NewImportBatch, SnapshotSharing, Store } from '../store.js';
import type { Database } from '../tables.js';
import { openPostgresPool } from './connect-postgres.js';
import { runPostgresBulkTransaction } from './postgres-bulk-transaction.js';
import { beginPostgresImport } from './postgres-import-session.js';
import { withActingRole } from './acting-role.js';
import type { Query } from './apply-access-privileges.js';
import { createPostgresKysely } from './create-postgres-kysely.js';
import { migratePostgres } from './migrate-postgres.js';
import { redactUrl } from './redact-url.js';
import { translatePostgresError } from './translate-postgres-error.js';
import { writePostgresBackup } from './postgres-backup.js';

/**
 * Opens a custdb database on a PostgreSQL server (and, if asked, brings its
 * schema up to date). The database itself must exist (createdb): an empty one
 * is to PostgreSQL what a new file is to SQLite. Refuses a foreign database or
 * one from a newer build before writing anything.
 */
export async function openPostgresStore(options: OpenStoreOptions): Promise<OpenedStore> {
  const location = redactUrl(options.location);
  const pool = await openPostgresPool(options.location);
  try {
    const { before, applied } = await migratePostgres(pool, location, options.migrations);
    // An empty database is "created" as a custdb one by the open that gives it its first migration.
    const created = applied.includes(FIRST_MIGRATION) && before.pending.includes(FIRST_MIGRATION);
    return { store: new PostgresStore(pool, location), created, before, applied };
  } catch (error) {
    // A role the server refused (say, one whose access was revoked) is told what it is to custdb.
    const explained = await withActingRole(error, poolQuery(pool));
    await pool.end();
    throw explained;
  }
}

/** A Query on any connection of the pool. */
function poolQuery(pool: pg.Pool): Query {
  return async (text, values) => (await pool.query(text, values === undefined ? undefined : [...values])).rows;
}

const FIRST_MIGRATION = '0001-initial';

/**
 * A store on a pool of connections to one PostgreSQL database. Kysely runs
 * ordinary queries on any connection of the pool; a transaction, an import
 * and a snapshot each hold one connection for their length.
 */
class PostgresStore implements Store {
  readonly db: Kysely<Database>;
  readonly dialect = postgresDialect;
  readonly file = undefined;

  constructor(
    private readonly pool: pg.Pool,
    readonly location: string,
  ) {
    this.db = createPostgresKysely(pool);
  }

  async transaction<T>(work: (db: Kysely<Database>) => Promise<T>): Promise<T> {
    try {
      return await this.db.transaction().execute(work);
    } catch (error) {
      throw await this.translate(error);
    }
  }

  async bulkTransaction<T>(work: (db: Kysely<Database>, bulk: BulkInsert) => Promise<T>): Promise<T> {
    try {
      return await runPostgresBulkTransaction(this.pool, work);
    } catch (error) {
      throw await this.translate(error);
    }
  }

  async readTransaction<T>(work: (db: Kysely<Database>) => Promise<T>): Promise<T> {
    try {
      // Repeatable read: every query of `work` sees the database as it was at the first; no write lock is taken.
      return await this.db.connection().execute(async (connection) => {
        await sql`BEGIN ISOLATION LEVEL REPEATABLE READ`.execute(connection);
        try {
          const result = await work(connection);
          await sql`COMMIT`.execute(connection);
          return result;
        } catch (error) {
          await sql`ROLLBACK`.execute(connection).catch(() => {});
          throw error;
        }
      });
    } catch (error) {
      throw await this.translate(error);
    }
  }

  async beginImport(batch: NewImportBatch): Promise<ImportSession> {
    try {
      return await beginPostgresImport(this.pool, batch, this.location);
    } catch (error) {
      throw await this.translate(error);
    }
  }

  async openCustomerSnapshot<T>(options: { nulls: boolean; share?: SnapshotSharing<T> }): Promise<{ snapshot: CustomerSnapshot; shared: T | undefined }> {
    const client = await this.pool.connect().catch((error: unknown) => {
      throw translatePostgresError(error, this.location);
    });
    try {
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      const { rows } = await client.query<{ max: number }>('SELECT coalesce(max(id), 0) AS max FROM customers');
      return { snapshot: new PostgresCustomerSnapshot(client, Number(rows[0]?.max ?? 0)), shared: undefined };
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      client.release();
      throw await this.translate(error);
    }
  }

  async checkIntegrity(): Promise<IntegrityReport> {
    // The server keeps its pages checksummed or not as its cluster was made, and enforces every foreign key
    // (a large import that sets some aside checks them all again before it commits, see DeferredChecks):
    // there is no file of ours to check page by page.
    return { damage: [], danglingReferences: [] };
  }

  writeBackup(file: string, onRows?: (table: string, rows: number) => void) {
    return writePostgresBackup(this, file, onRows);
  }

  async tableNames(): Promise<string[]> {
    const rows = await sql<{ name: string }>`SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() ORDER BY table_name`.execute(this.db);
    return rows.rows.map((row) => row.name);
  }

  async close(): Promise<void> {
    await this.db.destroy();
  }

  /** A server error as custdb reports it; a refusal also says who the role is to custdb (src/db/postgres/acting-role.ts). */
  private async translate(error: unknown): Promise<unknown> {
    return withActingRole(translatePostgresError(error, this.location), poolQuery(this.pool));
  }
}

const VALUE_COLUMNS = CUSTOMER_VALUE_FIELDS.join(', ');

/** Reads id ranges of active customers in one read-only repeatable-read transaction on its own connection. */
class PostgresCustomerSnapshot implements CustomerSnapshot {
  private open = true;
  /** The end of the work given to the connection so far: an export asks for ranges ahead of the one it writes, and a pg client takes one query at a time. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly client: pg.PoolClient,
    readonly maxId: number,
  ) {}

  read(range: IdRange): Promise<CustomerChunk> {
    return this.inTurn(() => this.readNow(range));
  }

  private inTurn<T>(work: () => Promise<T>): Promise<T> {
    const done = this.queue.then(work);
    this.queue = done.catch(() => {});
    return done;
  }

  private async readNow({ after, upTo }: IdRange): Promise<CustomerChunk> {
    const range = [after, upTo];
    const customers = await this.client.query<unknown[]>({
      text: `SELECT id, ${VALUE_COLUMNS} FROM customers WHERE id > $1 AND id <= $2 AND status = 'active' ORDER BY id`,
      values: range,
      rowMode: 'array',
    });
    if (customers.rows.length === 0) return { customers: [], identities: [], tags: [], attributes: [], metrics: [] };
    // One connection runs one query at a time: these go one after another, in the snapshot's transaction.
    const identities = await this.client.query<[number, string]>({
      text: `SELECT customer_id, source || ':' || external_id FROM customer_identities WHERE customer_id > $1 AND customer_id <= $2 ORDER BY customer_id, id`,
      values: range,
      rowMode: 'array',
    });
    const tags = await this.client.query<[number, string]>({
      text: 'SELECT customer_id, tag FROM customer_tags WHERE customer_id > $1 AND customer_id <= $2 ORDER BY customer_id, tag',
      values: range,
      rowMode: 'array',
    });
    const attributes = await this.client.query<[number, string, string]>({
      text: 'SELECT customer_id, name, value FROM customer_attributes WHERE customer_id > $1 AND customer_id <= $2 ORDER BY customer_id, name',
      values: range,
      rowMode: 'array',
    });
    const metrics = await this.client.query<[number, number, number | null]>({
      text: 'SELECT customer_id, orders_count, total_spent_minor FROM customer_metrics WHERE customer_id > $1 AND customer_id <= $2 ORDER BY customer_id',
      values: range,
      rowMode: 'array',
    });
    return {
      customers: customers.rows.map((row) => [row[0] as number, row.slice(1)] as [number, unknown[]]),
      identities: identities.rows,
      tags: tags.rows,
      attributes: attributes.rows,
      metrics: metrics.rows,
    };
  }

  async reread(chunk: CustomerChunk): Promise<CustomerChunk> {
    // Values are read one by one already: nothing to split.
    return chunk;
  }

  async close(): Promise<void> {
    if (!this.open) return;
    this.open = false;
    await this.inTurn(() => this.client.query('COMMIT')).catch(() => {});
    this.client.release();
  }
}
