import type { Kysely } from 'kysely';
import type { TableInOrder } from './backup-file.js';
import type { Database } from './tables.js';

/** Any custdb table by name: the copy moves every table alike, whatever its columns. */
type AnyTables = Record<string, Record<string, unknown>>;

/** Bound values per INSERT, under both engines' limits (SQLite 32 766, PostgreSQL 65 535). */
const VALUES_PER_STATEMENT = 30_000;

/**
 * Copies every row of `tables` from one custdb database to another (of
 * either dialect) through Kysely, parents before children, streaming the
 * source; a column naming its own table is filled in once its table is
 * complete, since its row may come before the row it names. Call inside the
 * target's transaction and, for a consistent copy, the source's read
 * transaction. Returns how many rows each table got.
 */
export async function copyTables(
  from: Kysely<Database>,
  to: Kysely<Database>,
  tables: readonly TableInOrder[],
  onRows?: (table: string, rows: number) => void,
): Promise<Record<string, number>> {
  const source = from as unknown as Kysely<AnyTables>;
  const target = to as unknown as Kysely<AnyTables>;
  const copied: Record<string, number> = {};
  for (const table of tables) {
    const later: { id: unknown; values: Record<string, unknown> }[] = [];
    let batch: Record<string, unknown>[] = [];
    let rows = 0;
    const flush = async () => {
      if (batch.length === 0) return;
      await target.insertInto(table.name).values(batch).execute();
      rows += batch.length;
      batch = [];
      onRows?.(table.name, rows);
    };
    for await (const row of source.selectFrom(table.name).selectAll().stream(1000)) {
      const values: Record<string, unknown> = {};
      for (const column of table.selfReferences) {
        if (row[column] !== null) values[column] = row[column];
        row[column] = null;
      }
      if (Object.keys(values).length > 0) later.push({ id: row.id, values });
      batch.push(row);
      if (batch.length * Object.keys(row).length >= VALUES_PER_STATEMENT) await flush();
    }
    await flush();
    for (const { id, values } of later) await target.updateTable(table.name).set(values).where('id', '=', id).execute();
    copied[table.name] = rows;
  }
  return copied;
}

/** Deletes every row of `tables`, children before parents. Call inside the database's transaction. */
export async function emptyTables(db: Kysely<Database>, tables: readonly TableInOrder[]): Promise<void> {
  const target = db as unknown as Kysely<AnyTables>;
  for (const table of [...tables].reverse()) await target.deleteFrom(table.name).execute();
}

/** Each table's row count, as the database sees it now (inside a read transaction: one snapshot). */
export async function countRows(db: Kysely<Database>, tables: readonly string[]): Promise<Record<string, number>> {
  const source = db as unknown as Kysely<AnyTables>;
  const counts: Record<string, number> = {};
  for (const table of tables) {
    const row = await source.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    counts[table] = Number(row.n);
  }
  return counts;
}
