import { CompiledQuery, SqliteDialect, SqliteDriver, type DatabaseConnection, type Driver, type SqliteDialectConfig } from 'kysely';

/**
 * Kysely's SQLite dialect, but every `db.transaction()` takes the write lock
 * as it begins (BEGIN IMMEDIATE). A plain BEGIN reads first and asks for the
 * lock at its first write; if another process holds it then, SQLite fails at
 * once instead of waiting out the busy timeout, because it will not make a
 * reader wait. All our Kysely transactions write, so none loses by this.
 */
export class WriteFirstSqliteDialect extends SqliteDialect {
  readonly #config: SqliteDialectConfig;

  constructor(config: SqliteDialectConfig) {
    super(config);
    this.#config = config;
  }

  override createDriver(): Driver {
    return new WriteFirstSqliteDriver(this.#config);
  }
}

class WriteFirstSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('BEGIN IMMEDIATE'));
  }
}
