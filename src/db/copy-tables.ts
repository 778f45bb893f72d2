import { sql, type Kysely } from 'kysely';
import { CustdbError } from '../errors.js';
import type { TableInOrder } from './backup-file.js';
import type { BulkInsert, BulkValue } from './store.js';
import type { Database } from './tables.js';

/** Any custdb table by name: the copy moves every table alike, whatever its columns. */
type AnyTables = Record<string, Record<string, unknown>>;

/**
 * Rows read from the source before they are handed to the target's BulkInsert (one COPY each
 * on PostgreSQL): enough that a COPY's start costs little, few enough that the rows, and their
 * COPY text, stay a few MB: more per COPY saves no time once its start is a small share.
 */
const ROWS_PER_WRITE = 5_000;

/**
 * Copies every row of `tables` from one custdb database to another (of
 * either dialect) through the target's BulkInsert (COPY on PostgreSQL),
 * parents before children, streaming the source. A column naming its own
 * table (customers.merged_into) is written NULL and filled in once its table
 * is complete, since its row may come before the row it names: the values
 * go into a temporary table and one UPDATE … FROM sets them all (see
 * fillSelfReferences). Call inside the target's bulkTransaction and, for a
 * consistent copy, the source's read transaction. Returns how many rows each
 * table got.
 */
export async function copyTables(
  from: Kysely<Database>,
  to: Kysely<Database>,
  bulk: BulkInsert,
  tables: readonly TableInOrder[],
  onRows?: (table: string, rows: number) => void,
): Promise<Record<string, number>> {
  const source = from as unknown as Kysely<AnyTables>;
  const copied: Record<string, number> = {};
  for (const table of tables) {
    const name = table.name as keyof Database & string;
    let columns: string[] | undefined;
    let batch: BulkValue[][] = [];
    const selfReferenced: BulkValue[][] = [];
    let rows = 0;
    const write = async () => {
      if (columns === undefined || batch.length === 0) return;
      await bulk.insert(name, columns, batch);
      rows += batch.length;
      batch = [];
      onRows?.(name, rows);
    };
    for await (const row of source.selectFrom(name).selectAll().stream(1000)) {
      columns ??= Object.keys(row);
      const references = table.selfReferences.map((column) => bulkValue(row[column], name, column));
      if (references.some((value) => value !== null)) selfReferenced.push([bulkValue(row.id, name, 'id'), ...references]);
      for (const column of table.selfReferences) row[column] = null;
      batch.push(columns.map((column) => bulkValue(row[column], name, column)));
      if (batch.length === ROWS_PER_WRITE) await write();
    }
    await write();
    await fillSelfReferences(to, bulk, table, selfReferenced);
    copied[name] = rows;
  }
  return copied;
}

/**
 * Sets `table`'s self-referencing columns from `rows` (id first, then those
 * columns' values), all at once: the rows are bulk-written to a temporary
 * table and joined in by one UPDATE … FROM, where an UPDATE per row would
 * cost a round trip each (thousands of merged customers). Its foreign keys
 * cannot simply wait for the end of the transaction instead: they are not
 * DEFERRABLE, and making them so would change every other write's checks.
 */
async function fillSelfReferences(db: Kysely<Database>, bulk: BulkInsert, table: TableInOrder, rows: readonly BulkValue[][]): Promise<void> {
  if (rows.length === 0) return;
  const target = db as unknown as Kysely<AnyTables>;
  const staged = `custdb_copy_${table.name}`;
  let create = target.schema.createTable(staged).temporary().addColumn('id', 'integer', (column) => column.primaryKey());
  for (const column of table.selfReferences) create = create.addColumn(column, 'integer');
  await create.execute();
  // BulkInsert names the custdb tables; this one lives only inside the copy's transaction.
  await bulk.insert(staged as keyof Database & string, ['id', ...table.selfReferences], rows);
  await target
    .updateTable(table.name)
    .from(staged)
    .set(Object.fromEntries(table.selfReferences.map((column) => [column, sql.ref(`${staged}.${column}`)])))
    .whereRef(`${table.name}.id`, '=', `${staged}.id`)
    .execute();
  await target.schema.dropTable(staged).execute();
}

/**
 * A source value as BulkInsert takes it. custdb's columns hold text, integers,
 * reals and NULL only; anything else (a blob put into a backup file by hand)
 * stops the copy rather than be written as something it is not.
 */
function bulkValue(value: unknown, table: string, column: string): BulkValue {
  if (value === null || typeof value === 'string' || typeof value === 'number') return value;
  throw new CustdbError(`${table}.${column} holds a ${value instanceof Uint8Array ? 'blob' : typeof value}, which no custdb column holds. Nothing was copied.`, {
    hint: 'Another program put it there: copy from another backup, or correct that value with the sqlite3 shell first.',
  });
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
