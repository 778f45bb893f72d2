import type pg from 'pg';

/** The tables an import gives ids to itself. */
export const IMPORT_ID_TABLES = [
  'import_batches',
  'customers',
  'customer_identities',
  'products',
  'orders',
  'order_items',
  'interactions',
  'changes',
  'import_warnings',
] as const;

export type ImportIdTable = (typeof IMPORT_ID_TABLES)[number];

/**
 * The ids an import gives its new rows, handed out synchronously: each
 * table's next id is one past its highest, as SQLite gives rowids, so the
 * same file imported into both dialects leaves the same ids (an undone
 * batch's ids are given again, as on SQLite; a rolled-back import or dry run
 * leaves no gap). Safe because the import holds custdb's write lock from
 * before it reads the highest ids until it commits: no other custdb writer
 * inserts meanwhile. `syncSequences` moves the identity sequences past the
 * ids used, so rows inserted later with the column's default do not collide.
 *
 * Not nextval() blocks: a chunk's inserts are not known before its rows are
 * written, so blocks would be reserved generously, and whatever a block left
 * unused — or a rolled-back import took — would be a gap SQLite does not have.
 */
export class ImportIds {
  private readonly last: Map<ImportIdTable, number>;
  private readonly first: ReadonlyMap<ImportIdTable, number>;

  private constructor(highest: Map<ImportIdTable, number>) {
    this.last = highest;
    this.first = new Map(highest);
  }

  /** Reads each table's highest id (run after taking the write lock). */
  static async read(client: pg.ClientBase): Promise<ImportIds> {
    const columns = IMPORT_ID_TABLES.map((table) => `(SELECT coalesce(max(id), 0) FROM ${table}) AS ${table}`).join(', ');
    const { rows } = await client.query<Record<ImportIdTable, number>>(`SELECT ${columns}`);
    const row = rows[0]!;
    return new ImportIds(new Map(IMPORT_ID_TABLES.map((table) => [table, Number(row[table])])));
  }

  next(table: ImportIdTable): number {
    const id = this.last.get(table)! + 1;
    this.last.set(table, id);
    return id;
  }

  /** The first id this import gave in `table` (one past the highest before it). */
  firstOf(table: ImportIdTable): number {
    return this.first.get(table)! + 1;
  }

  /** Moves each identity sequence past the highest id this import gave in its table (never back). */
  async syncSequences(client: pg.ClientBase): Promise<void> {
    const used = IMPORT_ID_TABLES.filter((table) => this.last.get(table)! > this.first.get(table)!);
    if (used.length === 0) return;
    await client.query(
      `SELECT setval(s.seq, greatest(t.last, coalesce(pg_sequence_last_value(s.seq), 0)))
         FROM unnest($1::text[], $2::bigint[]) AS t(name, last)
         CROSS JOIN LATERAL (SELECT pg_get_serial_sequence(t.name, 'id')::regclass AS seq) s`,
      [used, used.map((table) => this.last.get(table)!)],
    );
  }
}
