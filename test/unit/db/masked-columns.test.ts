import BetterSqlite3 from 'better-sqlite3-multiple-ciphers';
import { describe, expect, it } from 'vitest';
import { sqliteDialect } from '../../../src/db/dialect.js';
import { loadMigrations } from '../../../src/db/load-migrations.js';
import { accessGroupsFor } from '../../../src/db/postgres/access-groups.js';
import { COLUMN_MASKS, maskedViewStatements } from '../../../src/db/postgres/masked-views.js';

/** Every table and its columns, in order, as the shipped migrations make them (SQLite's; the schemas match column for column). */
function shippedColumns(): { table: string; column: string }[] {
  const db = new BetterSqlite3(':memory:');
  try {
    for (const migration of loadMigrations(sqliteDialect)) db.exec(migration.sql);
    const tables = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`).pluck().all() as string[];
    return tables.flatMap((table) => (db.prepare(`SELECT name FROM pragma_table_info(?)`).pluck().all(table) as string[]).map((column) => ({ table, column })));
  } finally {
    db.close();
  }
}

describe('what masked analysts see (src/db/postgres/masked-views.ts)', () => {
  it('every column of every table is classified, and nothing classified is gone: a migration that adds one must decide whether it is personal', () => {
    const shipped = shippedColumns().map((c) => `${c.table}.${c.column}`);
    const classified = Object.entries(COLUMN_MASKS).flatMap(([table, columns]) => Object.keys(columns).map((column) => `${table}.${column}`));
    // schema_migrations is made by the migrator, not a migration file.
    expect(shipped.filter((c) => !classified.includes(c))).toEqual([]);
    expect(classified.filter((c) => !shipped.includes(c) && !c.startsWith('schema_migrations.'))).toEqual([]);
  });

  it('masks the personal fields of customers and plain-shows names and ids', () => {
    const [view] = maskedViewStatements('public', [
      { table: 'customers', column: 'id', type: 'int4' },
      { table: 'customers', column: 'first_name', type: 'text' },
      { table: 'customers', column: 'email', type: 'text' },
      { table: 'customers', column: 'phone_e164', type: 'text' },
      { table: 'customers', column: 'postal_code', type: 'text' },
      { table: 'customers', column: 'birth_date', type: 'text' },
      { table: 'customers', column: 'notes', type: 'text' },
      { table: 'customers', column: 'nickname', type: 'text' },
      { table: 'customers', column: 'points', type: 'int4' },
    ]);
    expect(view).toBe(
      'CREATE VIEW custdb_masked."customers" AS SELECT "id" AS "id", "first_name" AS "first_name", custdb_masked.mask_email("email") AS "email", ' +
        'custdb_masked.mask_phone("phone_e164") AS "phone_e164", custdb_masked.mask_postal_code("postal_code") AS "postal_code", ' +
        'custdb_masked.mask_birth_date("birth_date") AS "birth_date", custdb_masked.mask_text("notes") AS "notes", ' +
        // Not classified yet: text hidden whole, numbers shown.
        'custdb_masked.mask_text("nickname") AS "nickname", "points" AS "points" FROM "public"."customers"',
    );
  });
});

describe('accessGroupsFor', () => {
  it('names the groups after the database', () => {
    expect(accessGroupsFor('shop')).toEqual({ owner: 'custdb_shop_owner', staff: 'custdb_shop_staff', analyst: 'custdb_shop_analyst', analystUnmasked: 'custdb_shop_analyst_unmasked' });
  });

  it('keeps two databases apart whose names differ only in case or punctuation, and stays within 63 bytes', () => {
    const names = ['Shop', 'shop-2', 'shop_2', 'a'.repeat(63), `${'a'.repeat(62)}b`].map((db) => accessGroupsFor(db).analystUnmasked);
    expect(new Set([...names, 'custdb_shop_analyst_unmasked']).size).toBe(names.length + 1);
    for (const name of names) expect(Buffer.byteLength(name)).toBeLessThanOrEqual(63);
  });
});
