import { Kysely, PostgresDialect, PostgresDriver, type DatabaseConnection, type Driver, type PostgresDialectConfig, type PostgresPool, type PostgresPoolClient } from 'kysely';
import type pg from 'pg';
import type { Database } from '../tables.js';

/**
 * Kysely on one client that is already inside a transaction (an import's, a bulk write's):
 * every query runs on that client, so it sees the transaction's uncommitted
 * rows, and `beforeQuery` runs first (the import writes what it buffered, so
 * a query sees every row written so far). `db.transaction()` is refused: a
 * BEGIN there would be ignored and its COMMIT would end the session's own
 * transaction. `db.destroy()` leaves the client alone.
 */
export function createSessionKysely(client: pg.ClientBase, beforeQuery: () => Promise<void>): Kysely<Database> {
  const shared: PostgresPoolClient = {
    query: ((text: string | object, parameters?: readonly unknown[]) => {
      if (typeof text !== 'string') throw new Error('streaming queries are not supported on a session of one transaction');
      return beforeQuery().then(() => client.query(text, parameters === undefined ? undefined : [...parameters]));
    }) as PostgresPoolClient['query'],
    release: () => {},
  };
  const pool: PostgresPool = { connect: async () => shared, end: async () => {} };
  return new Kysely<Database>({ dialect: new SessionDialect({ pool }) });
}

class SessionDialect extends PostgresDialect {
  readonly #config: PostgresDialectConfig;

  constructor(config: PostgresDialectConfig) {
    super(config);
    this.#config = config;
  }

  override createDriver(): Driver {
    return new SessionDriver(this.#config);
  }
}

class SessionDriver extends PostgresDriver {
  override async beginTransaction(_connection: DatabaseConnection): Promise<void> {
    throw new Error('this session is one transaction already: run the queries on its db directly');
  }
}
