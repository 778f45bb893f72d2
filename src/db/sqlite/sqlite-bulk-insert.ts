import type BetterSqlite3 from 'better-sqlite3-multiple-ciphers';
import type { BulkInsert, BulkValue } from '../store.js';
import type { Database } from '../tables.js';

/**
 * Rows per prepared INSERT: one statement run per hundred rows, where one per row spends
 * most of its time crossing into SQLite. Far below SQLite's 32,766 bound parameters.
 */
const ROWS_PER_STATEMENT = 100;

/**
 * BulkInsert on the connection of an open write transaction: each run of one prepared
 * statement writes ROWS_PER_STATEMENT rows, bound straight from the values (no SQL text
 * per chunk, no query builder).
 */
export class SqliteBulkInsert implements BulkInsert {
  constructor(private readonly sqlite: BetterSqlite3.Database) {}

  async insert(table: keyof Database & string, columns: readonly string[], rows: Iterable<readonly BulkValue[]>): Promise<void> {
    const width = columns.length;
    const statement = (count: number) =>
      this.sqlite.prepare(`INSERT INTO ${quote(table)} (${columns.map(quote).join(', ')}) VALUES ${Array.from({ length: count }, () => `(${columns.map(() => '?').join(', ')})`).join(', ')}`);
    const full = statement(ROWS_PER_STATEMENT);
    const values: BulkValue[] = new Array<BulkValue>(width * ROWS_PER_STATEMENT);
    let held = 0;
    for (const row of rows) {
      if (row.length !== width) throw new RangeError(`a row for ${table} has ${row.length} values for ${width} columns`);
      for (let k = 0; k < width; k++) values[held * width + k] = row[k]!;
      held += 1;
      if (held === ROWS_PER_STATEMENT) {
        full.run(values);
        held = 0;
      }
    }
    if (held > 0) statement(held).run(values.slice(0, held * width));
  }
}

function quote(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
