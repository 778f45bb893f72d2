import type pg from 'pg';

/** Foreign keys (and indexes) a bulk write of each kind of import may set aside: those of the tables it fills. */
const TABLES_BY_KIND: Record<'customers' | 'orders' | 'interactions', readonly string[]> = {
  customers: ['customers', 'customer_identities', 'customer_tags'],
  orders: ['orders', 'order_items'],
  interactions: ['interactions'],
};
/**
 * Indexes no lookup of the import reads, whose keys arrive in random order: built again in one sort at the end
 * (as SQLite's DeferredIndexes does for the same index). Those the import looks rows up by stay.
 */
const INDEXES_BY_KIND: Record<'customers' | 'orders' | 'interactions', readonly string[]> = {
  customers: [],
  orders: ['orders_customer_ordered'],
  interactions: [],
};

interface SetAside {
  /** ALTER TABLE … ADD CONSTRAINT and CREATE INDEX statements that put back what was dropped. */
  restore: string[];
}

/**
 * Foreign keys (and an unread index) dropped for the length of a large import
 * into tables that hold little yet, and put back, checked, before it commits,
 * all inside its transaction. Each foreign key checks its row when the row is
 * written: a trigger and a query per row and key, half of the server's time in
 * a COPY of customers or orders. Put back, it checks every row in one join.
 * A rollback, or a process killed half way, leaves the schema as it was, since
 * the drops were never committed.
 *
 * The price: dropping a foreign key locks its table and the table it names
 * (ACCESS EXCLUSIVE) until the import commits, so readers of those tables wait
 * for it instead of reading what was there before. It is paid only where that
 * is little: an import of at least `minRows` rows, at least four times what the
 * tables' main table holds, by a role that owns them, taken only when no other
 * session is using them (else the import goes on row-checked, as before).
 */
export class DeferredChecks {
  private constructor(private pending: SetAside) {}

  static none(): DeferredChecks {
    return new DeferredChecks({ restore: [] });
  }

  /**
   * Drops the foreign keys of the tables an import of `kind` fills, when `expectedRows` is at
   * least `minRows` and four times `existingRows` and the locks are free; else drops nothing.
   * Must run in the import's transaction.
   */
  static async dropFor(client: pg.ClientBase, kind: keyof typeof TABLES_BY_KIND, expectedRows: number, existingRows: number, minRows: number): Promise<DeferredChecks> {
    if (expectedRows < minRows || existingRows * 4 > expectedRows) return DeferredChecks.none();
    const tables = TABLES_BY_KIND[kind];
    await client.query('SAVEPOINT custdb_defer_checks');
    try {
      const { rows: keys } = await client.query<{ owner: string; referenced: string; name: string; definition: string }>(
        `SELECT conrelid::regclass::text AS owner, confrelid::regclass::text AS referenced, quote_ident(conname) AS name, pg_get_constraintdef(oid) AS definition
           FROM pg_constraint WHERE contype = 'f' AND conrelid = ANY($1::regclass[]) ORDER BY conrelid, conname`,
        [tables],
      );
      const { rows: indexes } = await client.query<{ name: string; definition: string }>(
        `SELECT indexrelid::regclass::text AS name, pg_get_indexdef(indexrelid) AS definition
           FROM pg_index WHERE indrelid = ANY($1::regclass[]) AND indexrelid::regclass::text = ANY($2::text[])`,
        [tables, INDEXES_BY_KIND[kind]],
      );
      const locked = [...new Set([...tables, ...keys.map((k) => k.referenced)])];
      // NOWAIT: a reader or writer already on one of them means the import takes the usual, row-checked way at once.
      await client.query(`LOCK TABLE ${locked.join(', ')} IN ACCESS EXCLUSIVE MODE NOWAIT`);
      for (const key of keys) await client.query(`ALTER TABLE ${key.owner} DROP CONSTRAINT ${key.name}`);
      for (const index of indexes) await client.query(`DROP INDEX ${index.name}`);
      await client.query('RELEASE SAVEPOINT custdb_defer_checks');
      return new DeferredChecks({
        restore: [...indexes.map((i) => i.definition), ...keys.map((k) => `ALTER TABLE ${k.owner} ADD CONSTRAINT ${k.name} ${k.definition}`)],
      });
    } catch {
      // Not the owner, or a lock taken: nothing was dropped, and the transaction goes on as if this was never tried.
      await client.query('ROLLBACK TO SAVEPOINT custdb_defer_checks');
      await client.query('RELEASE SAVEPOINT custdb_defer_checks');
      return DeferredChecks.none();
    }
  }

  /** True when something was dropped and is still to be put back. */
  get active(): boolean {
    return this.pending.restore.length > 0;
  }

  /**
   * Puts back every index and foreign key dropped, each checking every row of its table at once (a foreign key
   * a row breaks fails the import, which then rolls back whole); safe to call more than once.
   */
  async restore(client: pg.ClientBase): Promise<void> {
    const statements = this.pending.restore;
    this.pending = { restore: [] };
    for (const statement of statements) await client.query(statement);
  }
}
