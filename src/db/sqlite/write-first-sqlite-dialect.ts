import { CompiledQuery, SqliteDialect, SqliteDriver, type DatabaseConnection, type Driver, type QueryResult, type SqliteDatabase } from 'kysely';

/**
 * Kysely's SQLite dialect, but every `db.transaction()` takes the write lock
 * as it begins (BEGIN IMMEDIATE). A plain BEGIN reads first and asks for the
 * lock at its first write; if another process holds it then, SQLite fails at
 * once instead of waiting out the busy timeout, because it will not make a
 * reader wait. All our Kysely transactions write, so none loses by this.
 */
export class WriteFirstSqliteDialect extends SqliteDialect {
  readonly #config: { database: SqliteDatabase };

  constructor(config: { database: SqliteDatabase }) {
    super(config);
    this.#config = config;
  }

  override createDriver(): Driver {
    return new WriteFirstSqliteDriver(this.#config);
  }
}

class WriteFirstSqliteDriver extends SqliteDriver {
  readonly #database: SqliteDatabase;

  constructor(config: { database: SqliteDatabase }) {
    super(config);
    this.#database = config.database;
  }

  override async acquireConnection(): Promise<DatabaseConnection> {
    return new ChunkedStreamConnection(await super.acquireConnection(), this.#database);
  }

  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('BEGIN IMMEDIATE'));
  }
}

/**
 * Kysely's SQLite connection streams one row per chunk, whatever chunk size was
 * asked: every row then passes alone through each of Kysely's async layers (at
 * 1M rows ~1 s of CPU). This one reads the rows of a chunk synchronously and
 * hands them on in chunks of the size asked.
 */
class ChunkedStreamConnection implements DatabaseConnection {
  readonly #connection: DatabaseConnection;
  readonly #database: SqliteDatabase;

  constructor(connection: DatabaseConnection, database: SqliteDatabase) {
    this.#connection = connection;
    this.#database = database;
  }

  executeQuery<R>(compiledQuery: CompiledQuery): Promise<QueryResult<R>> {
    return this.#connection.executeQuery<R>(compiledQuery);
  }

  async *streamQuery<R>(compiledQuery: CompiledQuery, chunkSize = 1): AsyncIterableIterator<QueryResult<R>> {
    let rows: R[] = [];
    for (const row of this.#database.prepare(compiledQuery.sql).iterate(compiledQuery.parameters)) {
      rows.push(row as R);
      if (rows.length >= chunkSize) {
        yield { rows };
        rows = [];
      }
    }
    if (rows.length > 0) yield { rows };
  }
}
