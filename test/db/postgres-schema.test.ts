import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3-multiple-ciphers';
import { Kysely, SqliteDialect, sql, type Insertable } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Migration } from '../../src/db/compare-migrations.js';
import { customerMetricsSql } from '../../src/db/customer-metrics.js';
import { BUSY_TIMEOUT_MS, postgresDialect, sqliteDialect } from '../../src/db/dialect.js';
import { loadMigrations } from '../../src/db/load-migrations.js';
import { openPostgresPool } from '../../src/db/postgres/connect-postgres.js';
import { createPostgresKysely } from '../../src/db/postgres/create-postgres-kysely.js';
import { migratePostgres } from '../../src/db/postgres/migrate-postgres.js';
import { redactUrl } from '../../src/db/postgres/redact-url.js';
import { translatePostgresError } from '../../src/db/postgres/translate-postgres-error.js';
import { TAKE_WRITE_LOCK_SQL } from '../../src/db/postgres/write-lock.js';
import type { Database } from '../../src/db/tables.js';
import { postgresAdminUrl } from '../helpers/dialects.js';
import { DatabaseBusyError, DatabaseOpenError, SchemaMismatchError, UsageError } from '../../src/errors.js';

/** The test server's superuser URL: the tests create (and drop) databases and a role on it. */
let ADMIN_URL: string;

const PG_MIGRATIONS = loadMigrations(postgresDialect);
const SQLITE_MIGRATIONS = loadMigrations(sqliteDialect);
const SHIPPED = PG_MIGRATIONS.map((m) => m.name);

let admin: pg.Pool;
const created: string[] = [];

beforeAll(() => {
  ADMIN_URL = postgresAdminUrl();
  admin = new pg.Pool({ connectionString: ADMIN_URL, max: 2 });
});

afterAll(async () => {
  if (admin === undefined) return;
  await admin.query('DROP ROLE IF EXISTS custdb_password_probe');
  for (const name of created) await admin.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`);
  await admin.end();
});

/** The admin URL with another database (and, if given, user and password). */
function urlFor(database: string, credentials?: { user: string; password?: string }, port?: number): string {
  const url = new URL(ADMIN_URL);
  url.pathname = `/${database}`;
  if (credentials !== undefined) {
    url.username = credentials.user;
    url.password = credentials.password ?? '';
  }
  if (port !== undefined) url.port = String(port);
  return url.toString();
}

/**
 * Creates an empty database (dropped after all tests) and returns its URL. With `linguisticSort`, its
 * default collation is ICU's English where the server has ICU (PostgreSQL 15+): 'a' < 'B' < 'b' there,
 * so only custdb's own COLLATE "C" keeps SQLite's byte order.
 */
async function createDatabase(options: { linguisticSort?: boolean } = {}): Promise<string> {
  const name = `custdb_test_${process.pid}_${created.length}`;
  const quoted = pg.escapeIdentifier(name);
  await admin.query(`DROP DATABASE IF EXISTS ${quoted} WITH (FORCE)`);
  created.push(name);
  if (options.linguisticSort) {
    try {
      await admin.query(`CREATE DATABASE ${quoted} TEMPLATE template0 ENCODING 'UTF8' LOCALE_PROVIDER icu ICU_LOCALE 'en'`);
      return urlFor(name);
    } catch {
      // No ICU on this server: the database gets the cluster's collation.
    }
  }
  await admin.query(`CREATE DATABASE ${quoted}`);
  return urlFor(name);
}

/** A migrated PostgreSQL database: its pool (custdb's settings) and URL. */
async function migratedPostgres(migrations: readonly Migration[] = PG_MIGRATIONS): Promise<{ pool: pg.Pool; url: string }> {
  const url = await createDatabase({ linguisticSort: true });
  const pool = await openPostgresPool(url);
  await migratePostgres(pool, redactUrl(url), 'apply', migrations);
  return { pool, url };
}

/** A SQLite file with `migrations` applied as open-store applies them. */
function migratedSqlite(migrations: readonly Migration[] = SQLITE_MIGRATIONS): BetterSqlite3.Database {
  const sqlite = new BetterSqlite3(path.join(mkdtempSync(path.join(tmpdir(), 'custdb-pg-compare-')), 'compare.db'));
  sqlite.pragma('foreign_keys = ON');
  applySqliteMigrations(sqlite, migrations, 0);
  return sqlite;
}

function applySqliteMigrations(sqlite: BetterSqlite3.Database, migrations: readonly Migration[], offset: number): void {
  migrations.forEach((migration, index) =>
    sqlite.transaction(() => {
      sqlite.exec('CREATE TABLE IF NOT EXISTS schema_migrations (position INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, applied_at TEXT NOT NULL)');
      sqlite.exec(migration.sql);
      sqlite.prepare('INSERT INTO schema_migrations VALUES (?, ?, ?)').run(offset + index + 1, migration.name, '2026-01-01T00:00:00.000Z');
    })(),
  );
}

/** A TCP port on 127.0.0.1 nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function rejectionOf(promise: Promise<unknown>): Promise<Error & { hint?: string }> {
  try {
    await promise;
  } catch (error) {
    return error as Error & { hint?: string };
  }
  throw new Error('expected a rejection');
}

describe('PostgreSQL migrations', () => {
  it('apply to an empty database, and a second run applies nothing', async () => {
    const url = await createDatabase();
    const pool = await openPostgresPool(url);
    try {
      const first = await migratePostgres(pool, redactUrl(url), 'apply');
      expect(first.before.applied).toEqual([]);
      expect(first.applied).toEqual(SHIPPED);
      const second = await migratePostgres(pool, redactUrl(url), 'apply');
      expect(second.applied).toEqual([]);
      expect(second.before.pending).toEqual([]);
      const { rows } = await pool.query('SELECT position, name FROM schema_migrations ORDER BY position');
      expect(rows).toEqual(SHIPPED.map((name, i) => ({ position: i + 1, name })));
    } finally {
      await pool.end();
    }
  });

  it('ship the same migration names as SQLite, so a history reads the same on both', () => {
    expect(SHIPPED).toEqual(SQLITE_MIGRATIONS.map((m) => m.name));
  });

  it('are applied once when two processes migrate the same database at the same time', async () => {
    const url = await createDatabase();
    const pools = await Promise.all([openPostgresPool(url), openPostgresPool(url)]);
    try {
      const results = await Promise.all(pools.map((pool) => migratePostgres(pool, redactUrl(url), 'apply')));
      expect(results.flatMap((r) => r.applied).sort()).toEqual(SHIPPED);
      const { rows } = await pools[0]!.query('SELECT name FROM schema_migrations ORDER BY position');
      expect(rows.map((r) => r.name)).toEqual(SHIPPED);
    } finally {
      await Promise.all(pools.map((pool) => pool.end()));
    }
  });

  it('refuse a newer history, and a broken one, before writing anything', async () => {
    const { pool, url } = await migratedPostgres();
    const later: Migration = { name: '0006-later', sql: 'CREATE TABLE later_table (id integer)' };
    try {
      await pool.query(`INSERT INTO schema_migrations VALUES (99, '0099-future', '2030-01-01T00:00:00.000Z')`);
      const newer = await rejectionOf(migratePostgres(pool, redactUrl(url), 'apply', [...PG_MIGRATIONS, later]));
      expect(newer).toBeInstanceOf(SchemaMismatchError);
      expect(newer.message).toContain('was updated by a newer custdb (it has migration 0099-future');

      await pool.query(`DELETE FROM schema_migrations WHERE name IN ('0099-future', '0002-orders-metrics-index')`);
      const broken = await rejectionOf(migratePostgres(pool, redactUrl(url), 'apply', [...PG_MIGRATIONS, later]));
      expect(broken).toBeInstanceOf(SchemaMismatchError);
      expect(broken.message).toMatch(/has a broken migration history: .*0002-orders-metrics-index.* missing or applied out of order\. Nothing was changed\.$/);

      const { rows } = await pool.query(`SELECT to_regclass('later_table') IS NULL AS absent, (SELECT count(*) FROM schema_migrations) AS recorded`);
      expect(rows[0]).toEqual({ absent: true, recorded: SHIPPED.length - 1 });
    } finally {
      await pool.end();
    }
  });

  it('wait for another process\'s write lock as long as SQLite\'s busy timeout, then give up as busy', async () => {
    const url = await createDatabase();
    const holder = new pg.Client({ connectionString: url });
    await holder.connect();
    const pool = await openPostgresPool(url);
    const db = createPostgresKysely(pool);
    try {
      await holder.query('BEGIN');
      await holder.query(TAKE_WRITE_LOCK_SQL);
      const started = Date.now();
      const [migrating, writing] = await Promise.all([
        rejectionOf(migratePostgres(pool, redactUrl(url), 'apply')),
        rejectionOf(db.transaction().execute(async () => {})),
      ]);
      expect(Date.now() - started).toBeGreaterThanOrEqual(BUSY_TIMEOUT_MS - 100);
      expect(migrating).toBeInstanceOf(DatabaseBusyError);
      expect(migrating.message).toBe(`${redactUrl(url)} is locked by another process (waited 5 s).`);
      expect(translatePostgresError(writing, redactUrl(url))).toBeInstanceOf(DatabaseBusyError);
      await holder.query('ROLLBACK');
      // Every pooled connection is usable: none went back to the pool inside an aborted transaction.
      expect(pool.idleCount).toBe(2);
      const results = await Promise.all([1, 2].map(() => pool.query(`SELECT to_regclass('schema_migrations') IS NULL AS absent`)));
      expect(results.map((r) => r.rows[0].absent)).toEqual([true, true]);
    } finally {
      await holder.end();
      await db.destroy();
    }
  });

  it('refuse a database that has tables but is not custdb\'s', async () => {
    const url = await createDatabase();
    const pool = await openPostgresPool(url);
    try {
      await pool.query('CREATE TABLE invoices (id integer)');
      const error = await rejectionOf(migratePostgres(pool, redactUrl(url), 'apply'));
      expect(error).toBeInstanceOf(DatabaseOpenError);
      expect(error.message).toBe(`${redactUrl(url)} is a PostgreSQL database, but not a custdb one (it has no schema_migrations table).`);
      const { rows } = await pool.query(`SELECT to_regclass('customers') IS NULL AS absent`);
      expect(rows[0].absent).toBe(true);
    } finally {
      await pool.end();
    }
  });
});

interface ColumnShape {
  name: string;
  notNull: boolean;
  /** 'text' | 'integer' | 'real', the SQLite affinity (and the PostgreSQL types allowed for it). */
  kind: string;
}

const PG_KIND: Record<string, string> = { text: 'text', integer: 'integer', bigint: 'integer', smallint: 'integer', 'double precision': 'real' };

describe('the PostgreSQL schema matches the SQLite one', () => {
  let sqlite: BetterSqlite3.Database;
  let pool: pg.Pool;

  beforeAll(async () => {
    sqlite = migratedSqlite();
    ({ pool } = await migratedPostgres());
  });
  afterAll(async () => {
    sqlite?.close();
    await pool?.end();
  });

  function sqliteTables(): string[] {
    return sqlite.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`).pluck().all() as string[];
  }

  it('has the same tables, with the same columns in the same order, nullability and kind of type', async () => {
    const expected: Record<string, ColumnShape[]> = {};
    for (const table of sqliteTables()) {
      const columns = sqlite.prepare(`PRAGMA table_info(${table})`).all() as { name: string; type: string; notnull: number; pk: number }[];
      // A primary key column holds no NULL in PostgreSQL; in SQLite neither does an INTEGER PRIMARY KEY (a rowid),
      // and custdb never stores NULL in its other (text) keys, which SQLite would allow in a rowid table.
      expected[table] = columns.map((c) => ({ name: c.name, notNull: c.notnull === 1 || c.pk > 0, kind: c.type.toLowerCase() }));
    }
    const { rows } = await pool.query<{ table_name: string; column_name: string; is_nullable: string; data_type: string; collation_name: string | null }>(
      `SELECT table_name, column_name, is_nullable, data_type, collation_name FROM information_schema.columns
        WHERE table_schema = current_schema() ORDER BY table_name, ordinal_position`,
    );
    const actual: Record<string, ColumnShape[]> = {};
    for (const row of rows) {
      (actual[row.table_name] ??= []).push({ name: row.column_name, notNull: row.is_nullable === 'NO', kind: PG_KIND[row.data_type] ?? row.data_type });
    }
    expect(actual).toEqual(expected);
    // Every text column compares byte by byte, as SQLite's BINARY collation does.
    expect(rows.filter((r) => r.data_type === 'text' && r.collation_name !== 'C').map((r) => `${r.table_name}.${r.column_name}`)).toEqual([]);
  });

  it('has the same indexes: columns, uniqueness, partial or not, and the same names for those created by name', async () => {
    const expected: string[] = [];
    for (const table of sqliteTables()) {
      const list = sqlite.prepare(`PRAGMA index_list(${table})`).all() as { name: string; unique: number; origin: string; partial: number }[];
      for (const index of list) {
        const columns = (sqlite.prepare(`PRAGMA index_info(${index.name})`).all() as { name: string }[]).map((c) => c.name);
        expected.push(describeIndex(table, index.origin === 'c' ? index.name : '(constraint)', columns, index.unique === 1, index.partial === 1));
      }
      // An INTEGER PRIMARY KEY is the rowid, not an index; PostgreSQL gives the key an index.
      const rowidKey = (sqlite.prepare(`PRAGMA table_info(${table})`).all() as { name: string; type: string; pk: number }[]).filter((c) => c.pk > 0);
      if (rowidKey.length === 1 && rowidKey[0]!.type === 'INTEGER') expected.push(describeIndex(table, '(constraint)', [rowidKey[0]!.name], true, false));
    }
    const { rows } = await pool.query<{ table_name: string; index_name: string; columns: string[]; unique: boolean; partial: boolean; from_constraint: boolean }>(
      `SELECT t.relname AS table_name, i.relname AS index_name,
          ARRAY(SELECT a.attname::text FROM unnest(x.indkey::int2[]) WITH ORDINALITY AS k(attnum, n)
                JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum ORDER BY k.n) AS columns,
          x.indisunique AS unique, x.indpred IS NOT NULL AS partial,
          EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.oid) AS from_constraint
        FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
        WHERE t.relnamespace = current_schema()::regnamespace`,
    );
    const actual = rows.map((r) => describeIndex(r.table_name, r.from_constraint ? '(constraint)' : r.index_name, r.columns, r.unique, r.partial));
    expect(actual.sort()).toEqual(expected.sort());
  });

  it('has the same foreign keys, with the same ON DELETE, the same number of CHECKs per table, and no triggers on either', async () => {
    const foreignKeys: string[] = [];
    const checks: Record<string, number> = {};
    for (const table of sqliteTables()) {
      const keys = sqlite.prepare(`PRAGMA foreign_key_list(${table})`).all() as { table: string; from: string; to: string; on_delete: string }[];
      for (const key of keys) foreignKeys.push(`${table}.${key.from} → ${key.table}.${key.to} on delete ${key.on_delete.toLowerCase()}`);
      const tableSql = sqlite.prepare(`SELECT sql FROM sqlite_master WHERE name = ?`).pluck().get(table) as string;
      checks[table] = tableSql.match(/\bCHECK\s*\(/gi)?.length ?? 0;
    }
    const { rows: keys } = await pool.query<{ key: string }>(
      `SELECT format('%s.%s → %s.%s on delete %s', c.conrelid::regclass, a.attname, c.confrelid::regclass, r.attname,
          CASE c.confdeltype WHEN 'a' THEN 'no action' WHEN 'c' THEN 'cascade' WHEN 'n' THEN 'set null' WHEN 'd' THEN 'set default' ELSE 'restrict' END) AS key
        FROM pg_constraint c
        JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
        JOIN pg_attribute r ON r.attrelid = c.confrelid AND r.attnum = c.confkey[1]
        WHERE c.contype = 'f' AND c.connamespace = current_schema()::regnamespace`,
    );
    expect(keys.map((k) => k.key).sort()).toEqual(foreignKeys.sort());

    const { rows: checkRows } = await pool.query<{ table_name: string; n: number }>(
      `SELECT t.relname AS table_name, count(c.oid) AS n FROM pg_class t LEFT JOIN pg_constraint c ON c.conrelid = t.oid AND c.contype = 'c'
        WHERE t.relkind = 'r' AND t.relnamespace = current_schema()::regnamespace GROUP BY t.relname`,
    );
    expect(Object.fromEntries(checkRows.map((r) => [r.table_name, r.n]))).toEqual(checks);

    const sqliteTriggers = sqlite.prepare(`SELECT count(*) FROM sqlite_master WHERE type = 'trigger'`).pluck().get();
    const { rows: triggers } = await pool.query(`SELECT count(*) AS n FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid WHERE NOT t.tgisinternal AND c.relnamespace = current_schema()::regnamespace`);
    expect([sqliteTriggers, triggers[0].n]).toEqual([0, 0]);
  });
});

function describeIndex(table: string, name: string, columns: readonly string[], unique: boolean, partial: boolean): string {
  return `${table} ${name} (${columns.join(', ')})${unique ? ' unique' : ''}${partial ? ' partial' : ''}`;
}

/** customer_metrics has no Kysely interface (src/db/customer-metrics.ts reads it with SQL); the round trip needs one. */
interface CustomerMetricsTable {
  customer_id: number;
  orders_count: number;
  total_spent_minor: number | null;
  currency: string | null;
  mixed_currencies: number;
  first_order_at: string | null;
  last_order_at: string | null;
  interactions_count: number;
  last_interaction_at: string | null;
}

type CompareDatabase = Database & { customer_metrics: CustomerMetricsTable };

type Rows = { [T in keyof CompareDatabase]?: Insertable<CompareDatabase[T]>[] };

const AT = '2026-11-23T09:30:00.000Z';

/** One row (two customers, for the tables that pair them) for every table but schema_migrations, in foreign key order. */
const ONE_OF_EACH: Rows = {
  import_batches: [{ kind: 'orders', source: 'shopify', file_name: 'orders.csv', file_sha256: 'ab'.repeat(32), started_at: AT, finished_at: AT, undone_at: null, rows_total: 3, inserted: 2, actor: 'ann' }],
  customers: [
    {
      first_name: 'Zoë', last_name: "O'Brien-Kelly", email: 'Zoe@Example.com', email_norm: 'zoe@example.com', phone: '+44 20 7946 0958', phone_e164: '+442079460958',
      company: 'Kelly & Co', job_title: 'Owner', address_line1: '1 High St', address_line2: null, city: 'London', region: 'LND', postal_code: 'EC1A 1BB', country: 'GB',
      birth_date: '1980-02-29', gender: 'female', occupation: 'baker', income: '50k-75k', email_consent: 'granted', email_consent_at: AT, email_consent_source: 'shopify',
      sms_consent: 'denied', sms_consent_at: AT, sms_consent_source: 'manual', notes: 'Line one\nline "two", 🍰', signup_date: '2024-01-31', created_at: AT, updated_at: AT, created_batch_id: 1,
    },
    { status: 'merged', merged_into: 1, first_name: 'Zoe', created_at: AT, updated_at: AT, created_batch_id: null },
  ],
  customer_identities: [{ customer_id: 1, source: 'shopify', external_id: '000123', created_at: AT, batch_id: 1 }],
  customer_tags: [{ customer_id: 1, tag: 'VIP' }, { customer_id: 1, tag: 'vip' }],
  customer_attributes: [{ customer_id: 1, name: 'favourite', value: 'rye' }],
  products: [{ sku: 'RYE-1', name: 'Rye loaf', created_at: AT }],
  orders: [{ customer_id: 1, source: 'shopify', external_id: '#1001', ordered_at: AT, currency: 'GBP', subtotal_minor: 3_000_000_000, discount_minor: -150, shipping_minor: 0, tax_minor: null, total_minor: 3_000_000_350, batch_id: 1, created_at: AT }],
  order_items: [{ order_id: 1, product_id: 1, sku: 'RYE-1', name: 'Rye loaf', quantity: 1.5, unit_price_minor: 450, total_minor: 675 }],
  interactions: [{ customer_id: 1, occurred_at: AT, channel: 'email', summary: 'Asked about rye', outcome: null, staff: 'bo', source: 'zendesk', external_id: 'T-1', batch_id: 1, created_at: AT }],
  events: [{ at: AT, actor: 'ann', command: 'merge', summary: 'merged 2 into 1', details_json: '{"n":1}' }],
  merges: [{ survivor_id: 1, merged_id: 2, probability: 0.9731, plan_json: '{}', snapshot_json: '{"a":[1]}', created_at: AT, undone_at: null, event_id: 1 }],
  changes: [{ batch_id: 1, merge_id: 1, event_id: 1, customer_id: 1, entity: 'customer', entity_id: '1', action: 'update', field: 'city', old_value: null, new_value: 'London', at: AT }],
  dedupe_decisions: [{ left_id: 1, right_id: 2, decision: 'distinct', decided_at: AT, actor: 'ann' }],
  duplicate_suspects: [{ customer_id: 2, other_id: 1, reason: 'shared email', batch_id: 1, created_at: AT }],
  segments: [{ name: 'lapsed', where_expr: 'orders_count >= 2', created_at: AT, updated_at: AT }],
  suppressions: [{ hash: 'f00d', kind: 'email', created_at: AT }],
  saved_mappings: [{ name: 'pos', kind: 'orders', mapping_json: '{"Total":"total"}', created_at: AT, updated_at: AT }],
  settings: [{ key: 'default-country', value: 'GB' }],
  customer_metrics: [{ customer_id: 1, orders_count: 1, total_spent_minor: 3_000_000_350, currency: 'GBP', mixed_currencies: 0, first_order_at: AT, last_order_at: AT, interactions_count: 1, last_interaction_at: AT }],
  import_warnings: [{ batch_id: 1, line: 7, field: 'email', message: 'looks like a typo' }],
};

async function insertAll(db: Kysely<CompareDatabase>): Promise<void> {
  for (const [table, rows] of Object.entries(ONE_OF_EACH) as [keyof CompareDatabase, Insertable<CompareDatabase[keyof CompareDatabase]>[]][]) {
    // One row at a time: in a multi-row insert Kysely fills a column another row lacks with NULL on SQLite (which has no DEFAULT in VALUES).
    for (const row of rows) await db.insertInto(table).values(row).execute();
  }
}

/** Every row of every table, in key order, as the driver returns it. */
async function readAll(db: Kysely<CompareDatabase>): Promise<Record<string, unknown[]>> {
  const result: Record<string, unknown[]> = {};
  for (const table of Object.keys(ONE_OF_EACH) as (keyof CompareDatabase)[]) {
    result[table] = (await sql<Record<string, unknown>>`SELECT * FROM ${sql.table(table)} ORDER BY 1, 2`.execute(db)).rows;
  }
  return result;
}

describe('values come back as the same JavaScript values from both dialects', () => {
  let sqliteDb: Kysely<CompareDatabase>;
  let pgDb: Kysely<CompareDatabase>;

  beforeAll(async () => {
    sqliteDb = new Kysely<CompareDatabase>({ dialect: new SqliteDialect({ database: migratedSqlite() }) });
    const { pool } = await migratedPostgres();
    pgDb = createPostgresKysely(pool).withTables<{ customer_metrics: CustomerMetricsTable }>();
    await insertAll(sqliteDb);
    await insertAll(pgDb);
  });
  afterAll(async () => {
    await sqliteDb?.destroy();
    await pgDb?.destroy();
  });

  it('a row in every table, with generated ids and defaults', async () => {
    const [fromSqlite, fromPostgres] = await Promise.all([readAll(sqliteDb), readAll(pgDb)]);
    expect(fromSqlite.order_items).toEqual([expect.objectContaining({ id: 1, quantity: 1.5 })]);
    // The one default that differs by design: the database role that wrote an event (0005), which a SQLite file has none of.
    expect(fromSqlite.events).toEqual([expect.objectContaining({ db_role: null })]);
    expect(fromPostgres.events).toEqual([expect.objectContaining({ db_role: new URL(postgresAdminUrl()).username })]);
    for (const event of [...fromSqlite.events!, ...fromPostgres.events!]) delete (event as { db_role?: unknown }).db_role;
    expect(fromPostgres).toStrictEqual(fromSqlite);
  });

  it('counts, sums and averages are numbers on both (pg would give int8 and numeric as strings)', async () => {
    const aggregate = (db: Kysely<CompareDatabase>) =>
      sql`SELECT COUNT(*) AS n, SUM(total_minor) AS spent, SUM(quantity) AS quantity, AVG(unit_price_minor) AS average, MIN(name) AS first_name, MAX(sku) AS last_sku
        FROM order_items`.execute(db);
    const [a, b] = await Promise.all([aggregate(sqliteDb), aggregate(pgDb)]);
    expect(b.rows).toStrictEqual(a.rows);
    expect(a.rows).toEqual([{ n: 1, spent: 675, quantity: 1.5, average: 450, first_name: 'Rye loaf', last_sku: 'RYE-1' }]);
    const spent = (db: Kysely<CompareDatabase>) => db.selectFrom('orders').select((eb) => eb.fn.sum<number>('total_minor').as('spent')).executeTakeFirstOrThrow();
    expect(await spent(pgDb)).toStrictEqual(await spent(sqliteDb));
  });

  it('the stored metrics read the same, days since the last order included', async () => {
    const read = (db: Kysely<CompareDatabase>, dialect: typeof sqliteDialect) => sql.raw(`${customerMetricsSql(dialect, 'true')} ORDER BY c.id`).execute(db);
    const [a, b] = await Promise.all([read(sqliteDb, sqliteDialect), read(pgDb, postgresDialect)]);
    expect(b.rows).toStrictEqual(a.rows);
  });

  it('daysSince gives the same whole days for dates and timestamps, past and future', async () => {
    const values = ['2020-02-29', '2020-02-29T23:59:59.999Z', '2026-01-01T00:00:00.000Z', '2999-12-31', null];
    const days = async (db: Kysely<CompareDatabase>, dialect: typeof sqliteDialect) => {
      const out: unknown[] = [];
      for (const value of values) out.push((await sql.raw<{ d: number | null }>(`SELECT ${dialect.daysSince(value === null ? 'NULL' : `'${value}'`)} AS d`).execute(db)).rows[0]!.d);
      return out;
    };
    expect(await days(pgDb, postgresDialect)).toEqual(await days(sqliteDb, sqliteDialect));
  });

  it('text sorts and compares byte by byte on both, whatever the database collation', async () => {
    // On a server with ICU the database sorts linguistically ('a' < 'B'), so this shows COLLATE "C" at work.
    const words = ['zebra', 'Zulu', 'apple', 'Éclair', 'éclair', 'Banana', 'banana', 'ß', '10', '9', ' a', 'a'];
    const sorted = async (db: Kysely<CompareDatabase>) => {
      await db.deleteFrom('settings').execute();
      await db.insertInto('settings').values(words.map((key) => ({ key, value: key.toLowerCase() }))).execute();
      const rows = await db.selectFrom('settings').select(['key', 'value']).orderBy('key').execute();
      const bounds = await sql`SELECT MIN(key) AS lo, MAX(key) AS hi, SUM(CASE WHEN key < value THEN 1 ELSE 0 END) AS smaller FROM settings`.execute(db);
      return { keys: rows.map((r) => r.key), bounds: bounds.rows };
    };
    expect(await sorted(pgDb)).toStrictEqual(await sorted(sqliteDb));
  });

  it('0003 backfills customer_metrics from existing orders and interactions to the same rows', async () => {
    const orders = [
      { customer: 1, status: 'paid', currency: 'GBP', total: 1000, at: '2025-01-02T00:00:00.000Z' },
      { customer: 1, status: 'paid', currency: null, total: 500, at: '2025-03-02T00:00:00.000Z' },
      { customer: 1, status: 'refunded', currency: 'USD', total: 9999, at: '2025-04-02T00:00:00.000Z' },
      { customer: 2, status: 'paid', currency: 'EUR', total: 2_500_000_000, at: '2025-01-05T00:00:00.000Z' },
      { customer: 2, status: 'paid', currency: 'GBP', total: 2_500_000_000, at: '2025-02-05T00:00:00.000Z' },
    ];
    const backfilled = async (db: Kysely<CompareDatabase>, upgrade: () => Promise<void>) => {
      for (let i = 0; i < 3; i++) await db.insertInto('customers').values({ created_at: AT, updated_at: AT }).execute();
      for (const [i, o] of orders.entries()) {
        await db.insertInto('orders').values({ customer_id: o.customer, source: 'pos', external_id: String(i), ordered_at: o.at, status: o.status, currency: o.currency, total_minor: o.total, created_at: AT }).execute();
      }
      for (const customer of [1, 3, 3]) await db.insertInto('interactions').values({ customer_id: customer, occurred_at: `2025-0${customer}-09T00:00:00.000Z`, created_at: AT }).execute();
      await upgrade();
      return (await sql`SELECT * FROM customer_metrics ORDER BY customer_id`.execute(db)).rows;
    };
    const sqlite = migratedSqlite(SQLITE_MIGRATIONS.slice(0, 2));
    const sqliteOld = new Kysely<CompareDatabase>({ dialect: new SqliteDialect({ database: sqlite }) });
    const { pool, url } = await migratedPostgres(PG_MIGRATIONS.slice(0, 2));
    const pgOld = createPostgresKysely(pool).withTables<{ customer_metrics: CustomerMetricsTable }>();
    try {
      const fromSqlite = await backfilled(sqliteOld, async () => applySqliteMigrations(sqlite, SQLITE_MIGRATIONS.slice(2), 2));
      const fromPostgres = await backfilled(pgOld, async () => {
        expect((await migratePostgres(pool, redactUrl(url), 'apply')).applied).toEqual(SHIPPED.slice(2));
      });
      expect(fromSqlite).toHaveLength(3);
      expect(fromPostgres).toStrictEqual(fromSqlite);
    } finally {
      await sqliteOld.destroy();
      await pgOld.destroy();
    }
  });
});

describe('openPostgresPool', () => {
  it('sets application_name, the lock timeout (SQLite\'s busy timeout), UTC and ISO dates on its connections', async () => {
    const pool = await openPostgresPool(await createDatabase());
    try {
      const { rows } = await pool.query(
        `SELECT current_setting('application_name') AS app, current_setting('lock_timeout') AS lock, current_setting('TimeZone') AS tz, current_date AS today`,
      );
      expect(rows[0]).toEqual({ app: 'custdb', lock: '5s', tz: 'UTC', today: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) });
    } finally {
      await pool.end();
    }
  });

  it('says the connection was refused, and where, for a port nothing listens on', async () => {
    const port = await closedPort();
    const error = await rejectionOf(openPostgresPool(urlFor('postgres', { user: 'ann', password: 'hunter2' }, port)));
    expect(error).toBeInstanceOf(DatabaseOpenError);
    expect(error.message).toBe(`Cannot connect to PostgreSQL at 127.0.0.1:${port} (postgres://ann@127.0.0.1:${port}/postgres): connection refused.`);
    expect(error.hint).toBe(`Is the server running, and listening on 127.0.0.1:${port}? Start it, or correct the host and port in --db.`);
  });

  it('says a host was not found', async () => {
    const error = await rejectionOf(openPostgresPool('postgres://ann:hunter2@no-such-host.invalid/shop'));
    expect(error).toBeInstanceOf(DatabaseOpenError);
    expect(error.message).toBe('Cannot connect to PostgreSQL (postgres://ann@no-such-host.invalid/shop): host "no-such-host.invalid" not found.');
  });

  it('names the createdb command for a database that does not exist', async () => {
    const url = urlFor('custdb_no_such_database');
    const target = new URL(url);
    const error = await rejectionOf(openPostgresPool(url));
    expect(error).toBeInstanceOf(DatabaseOpenError);
    expect(error.message).toBe(`PostgreSQL at ${target.hostname}:${target.port} has no database "custdb_no_such_database" (${redactUrl(url)}).`);
    expect(error.hint).toBe(`Create it with: createdb -h ${target.hostname} -p ${target.port} -U ${target.username} custdb_no_such_database`);
  });

  it('says the role does not exist, and how to create it', async () => {
    const url = urlFor('postgres', { user: 'custdb_no_such_role', password: 'hunter2' });
    const error = await rejectionOf(openPostgresPool(url));
    expect(error).toBeInstanceOf(DatabaseOpenError);
    // With password authentication the server does not say whether the role exists (28P01); with trust it does (28000).
    expect(error.message).toMatch(/^PostgreSQL at .* (refused user "custdb_no_such_role": role "custdb_no_such_role" does not exist|refused the password for user "custdb_no_such_role") \(postgres:\/\/custdb_no_such_role@/);
    expect(`${error.message} ${error.hint}`).not.toContain('hunter2');
  });

  it('says the password was refused, or missing, without printing it', async (context) => {
    const role = 'custdb_password_probe';
    await admin.query(`DROP ROLE IF EXISTS ${role}`);
    await admin.query(`CREATE ROLE ${role} LOGIN PASSWORD 'right-password'`);
    const wrong = urlFor('postgres', { user: role, password: 'wrong-password' });
    let error: (Error & { hint?: string }) | undefined;
    try {
      await (await openPostgresPool(wrong)).end();
    } catch (caught) {
      error = caught as Error & { hint?: string };
    }
    if (error === undefined) {
      // The server let the role in with a wrong password: it trusts this role from this address.
      context.skip(`the server trusts ${role}; add "host all ${role} 127.0.0.1/32 scram-sha-256" above the trust lines of pg_hba.conf to test this`);
      return;
    }
    expect(error).toBeInstanceOf(DatabaseOpenError);
    expect(error.message).toMatch(new RegExp(`^PostgreSQL at \\S+ refused the password for user "${role}" \\(postgres://${role}@`));
    expect(`${error.message} ${error.hint}`).not.toContain('wrong-password');
    expect(error.hint).toContain('PGPASSWORD');

    const none = await rejectionOf(openPostgresPool(urlFor('postgres', { user: role })));
    expect(none).toBeInstanceOf(DatabaseOpenError);
    expect(none.message).toMatch(new RegExp(`asks for a password for user "${role}", and none was given`));

    const right = await openPostgresPool(urlFor('postgres', { user: role, password: 'right-password' }));
    await right.end();
  });

  it('refuses a database that does not store text as UTF8', async () => {
    const name = `custdb_test_${process.pid}_latin1`;
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    created.push(name);
    try {
      await admin.query(`CREATE DATABASE ${name} TEMPLATE template0 ENCODING 'LATIN1' LOCALE 'C'`);
    } catch {
      return; // The cluster's locale allows no LATIN1 database: nothing to test.
    }
    const url = urlFor(name);
    const target = new URL(url);
    const error = await rejectionOf(openPostgresPool(url));
    expect(error).toBeInstanceOf(DatabaseOpenError);
    expect(error.message).toBe(`${redactUrl(url)} stores text as LATIN1; custdb needs a UTF8 database to keep names and notes in any script.`);
    expect(error.hint).toBe(`Create a UTF8 database and point --db at it: createdb -h ${target.hostname} -p ${target.port} -U ${target.username} --encoding=UTF8 --template=template0 NAME`);
  });

  it('refuses a malformed URL as a usage error, without printing its password', async () => {
    const error = await rejectionOf(openPostgresPool('postgres://ann:hunter2@db.example.com:port/shop'));
    expect(error).toBeInstanceOf(UsageError);
    expect(error.message).toBe('--db postgres://ann@db.example.com:port/shop is not a valid PostgreSQL URL: it cannot be read as a URL.');
    const notPostgres = await rejectionOf(openPostgresPool('mysql://ann:hunter2@db.example.com/shop'));
    expect(notPostgres.message).toBe('--db mysql://ann@db.example.com/shop is not a valid PostgreSQL URL: it must start with postgres://.');
  });
});
