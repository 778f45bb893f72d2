import { CompiledQuery, Kysely, PostgresDialect, PostgresDriver, type DatabaseConnection, type Driver, type PostgresDialectConfig, type TransactionSettings } from 'kysely';
import type pg from 'pg';
import Cursor from 'pg-cursor';
import type { Database } from '../tables.js';
import { TAKE_WRITE_LOCK_SQL } from './write-lock.js';

/**
 * Kysely over a pool from openPostgresPool. Like WriteFirstSqliteDialect on
 * SQLite, every `db.transaction()` takes custdb's write lock as it begins
 * (write-lock.ts), so transactions of two custdb processes run one after the
 * other, not interleaved as READ COMMITTED would let them. Queries that
 * stream (an export's rows) read through a server-side cursor, a page at a
 * time. `db.destroy()` ends the pool.
 */
export function createPostgresKysely(pool: pg.Pool): Kysely<Database> {
  return new Kysely<Database>({ dialect: new WriteFirstPostgresDialect({ pool, cursor: Cursor }) });
}

class WriteFirstPostgresDialect extends PostgresDialect {
  readonly #config: PostgresDialectConfig;

  constructor(config: PostgresDialectConfig) {
    super(config);
    this.#config = config;
  }

  override createDriver(): Driver {
    return new WriteFirstPostgresDriver(this.#config);
  }
}

class WriteFirstPostgresDriver extends PostgresDriver {
  override async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    await super.beginTransaction(connection, settings);
    try {
      await connection.executeQuery(CompiledQuery.raw(TAKE_WRITE_LOCK_SQL));
    } catch (error) {
      // Kysely rolls back only a transaction whose begin succeeded: without this, the connection would go
      // back to the pool inside an aborted transaction, and the next query on it would fail.
      await this.rollbackTransaction(connection);
      throw error;
    }
  }
}
