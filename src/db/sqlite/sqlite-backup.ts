import { closeSync, fsyncSync, openSync, rmSync } from 'node:fs';
import type BetterSqlite3 from 'better-sqlite3-multiple-ciphers';
import { DatabaseBusyError } from '../../errors.js';
import type { BackupInspection, BackupSource, TableInOrder } from '../backup-file.js';
import type { DatabaseKey } from '../open-store.js';
import { connectSqlite } from './encryption.js';

/** The table a backup file keeps its own facts in (when and from where it was taken); not part of the custdb schema, dropped on restore. */
const BACKUP_INFO_TABLE = 'backup_info';

/** How many times a copy is taken again when another process committed while it was being taken (see writeSqliteBackup). */
const COPY_ATTEMPTS = 5;

/**
 * The one step that copies a SQLite database into a new file: VACUUM INTO,
 * which reads one consistent snapshot without blocking writers and, unlike
 * the online backup API, also copies an encrypted database. `target` must be
 * an empty file (created 0600 by the caller, so the copy is never readable by
 * others, not even for a moment).
 */
function vacuumInto(sqlite: BetterSqlite3.Database, target: string): void {
  sqlite.prepare('VACUUM INTO ?').run(target);
}

/**
 * Copies the database into `target` and returns the migrations and row counts
 * of the snapshot the copy holds. VACUUM INTO cannot run inside a transaction,
 * so the counts come from a read transaction just before it, and the copy is
 * taken again (up to COPY_ATTEMPTS times) when another connection committed in
 * between (PRAGMA data_version changes exactly then): the counts and the copy
 * are then one snapshot, and the verification that compares them means
 * something. An import is one transaction, so a copy taken during one holds
 * all of it or none of it.
 */
export function writeSqliteBackup(sqlite: BetterSqlite3.Database, target: string, key: DatabaseKey | undefined): BackupSource {
  const tables = listSqliteTables(sqlite).filter((t) => t !== 'schema_migrations');
  for (let attempt = 1; attempt <= COPY_ATTEMPTS; attempt++) {
    sqlite.exec('BEGIN');
    let version: number;
    let source: BackupSource;
    try {
      version = sqlite.pragma('data_version', { simple: true }) as number;
      source = readSource(sqlite, tables);
    } finally {
      sqlite.exec('COMMIT');
    }
    createEmptyPrivateFile(target);
    vacuumInto(sqlite, target);
    // VACUUM INTO on a keyed connection writes the copy encrypted with the same cipher and key.
    if ((sqlite.pragma('data_version', { simple: true }) as number) === version) return key === undefined ? source : { ...source, key };
    rmSync(target, { force: true });
  }
  throw new DatabaseBusyError(`The database changed during each of ${COPY_ATTEMPTS} attempts to copy it, so no copy could be checked against it.`, {
    hint: 'Run "custdb backup" again when the imports running now have finished.',
  });
}

/** The custdb tables of a SQLite file: every table but SQLite's own and the backup's facts. */
function listSqliteTables(sqlite: BetterSqlite3.Database): string[] {
  return (sqlite.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name`).pluck().all() as string[]).filter(
    (name) => name !== BACKUP_INFO_TABLE,
  );
}

function readSource(sqlite: BetterSqlite3.Database, tables: readonly string[]): BackupSource {
  const migrations = sqlite.prepare('SELECT name FROM schema_migrations ORDER BY position').pluck().all() as string[];
  const counts: Record<string, number> = {};
  for (const table of tables) counts[table] = sqlite.prepare(`SELECT count(*) FROM ${quoteName(table)}`).pluck().get() as number;
  return { migrations, counts };
}

/**
 * Writes when and from where a backup was taken into the backup file itself,
 * and leaves it a single self-contained file (rollback journal, no -wal).
 */
export function stampBackupFile(file: string, key: DatabaseKey | undefined, info: { takenAt: string; source: string; counts: Record<string, number> }): void {
  const sqlite = connectSqlite(file, key);
  try {
    sqlite.pragma('journal_mode = DELETE');
    sqlite.exec(`CREATE TABLE ${BACKUP_INFO_TABLE} (key TEXT PRIMARY KEY, value TEXT NOT NULL)`);
    const insert = sqlite.prepare(`INSERT INTO ${BACKUP_INFO_TABLE} (key, value) VALUES (?, ?)`);
    insert.run('taken_at', info.takenAt);
    insert.run('source', info.source);
    insert.run('counts', JSON.stringify(info.counts));
  } finally {
    sqlite.close();
  }
  fsyncFile(file);
}

/**
 * Opens a backup file (with `key` when it is encrypted) and reports what it holds: SQLite's
 * integrity check, its migrations, each table's row count, the tables in an
 * order that lets them be filled one after another without breaking a
 * foreign key, and when it was taken. Never throws for a damaged or foreign
 * file: the damage is in `damage`.
 */
export function inspectBackupFile(file: string, key: DatabaseKey | undefined): BackupInspection {
  const empty: BackupInspection = { damage: [], migrations: [], counts: {}, tables: [], takenAt: undefined, source: undefined, recordedCounts: undefined };
  let sqlite: BetterSqlite3.Database | undefined;
  try {
    sqlite = connectSqlite(file, key);
    const damage = (sqlite.pragma('integrity_check') as { integrity_check: string }[]).map((row) => row.integrity_check).filter((line) => line !== 'ok');
    if (damage.length > 0) return { ...empty, damage };
    const tables = listSqliteTables(sqlite);
    if (!tables.includes('schema_migrations')) return { ...empty, damage: ['it is a SQLite database, but not a custdb one (it has no schema_migrations table)'] };
    const source = readSource(sqlite, tables.filter((t) => t !== 'schema_migrations'));
    const info = new Map<string, string>();
    const hasInfo = (sqlite.prepare(`SELECT count(*) FROM sqlite_master WHERE name = ?`).pluck().get(BACKUP_INFO_TABLE) as number) > 0;
    if (hasInfo) for (const row of sqlite.prepare(`SELECT key, value FROM ${BACKUP_INFO_TABLE}`).all() as { key: string; value: string }[]) info.set(row.key, row.value);
    const recorded = info.get('counts');
    return {
      damage: [],
      ...source,
      tables: orderByForeignKeys(sqlite, Object.keys(source.counts)),
      takenAt: info.get('taken_at'),
      source: info.get('source'),
      recordedCounts: recorded === undefined ? undefined : (JSON.parse(recorded) as Record<string, number>),
    };
  } catch (error) {
    return { ...empty, damage: [(error as Error).message] };
  } finally {
    sqlite?.close();
  }
}

/** Takes the backup's own facts out of a private copy of a backup, so what is left is a plain custdb database. */
export function dropBackupInfo(file: string, key: DatabaseKey | undefined): void {
  const sqlite = connectSqlite(file, key);
  try {
    sqlite.exec(`DROP TABLE IF EXISTS ${BACKUP_INFO_TABLE}`);
  } finally {
    sqlite.close();
  }
}

/**
 * Parents before children; a column naming its own table (customers.merged_into)
 * cannot be ordered that way, so it is reported for the copy to fill in afterwards.
 */
function orderByForeignKeys(sqlite: BetterSqlite3.Database, tables: readonly string[]): TableInOrder[] {
  const parents = new Map<string, Set<string>>();
  const selfReferences = new Map<string, string[]>();
  for (const table of tables) {
    const keys = sqlite.prepare(`SELECT "table" AS parent, "from" AS col FROM pragma_foreign_key_list(?)`).all(table) as { parent: string; col: string }[];
    parents.set(table, new Set(keys.filter((k) => k.parent !== table).map((k) => k.parent)));
    selfReferences.set(table, keys.filter((k) => k.parent === table).map((k) => k.col));
  }
  const ordered: TableInOrder[] = [];
  const placed = new Set<string>();
  while (ordered.length < tables.length) {
    const ready = tables.filter((t) => !placed.has(t) && [...parents.get(t)!].every((p) => placed.has(p) || !parents.has(p)));
    if (ready.length === 0) throw new Error(`foreign keys form a cycle among ${tables.filter((t) => !placed.has(t)).join(', ')}`);
    for (const table of ready) {
      placed.add(table);
      ordered.push({ name: table, selfReferences: selfReferences.get(table)! });
    }
  }
  return ordered;
}

/** Creates `file` empty and readable by its owner only; fails when it exists. */
function createEmptyPrivateFile(file: string): void {
  closeSync(openSync(file, 'wx', 0o600));
}

/** Flushes a file's bytes to the disk, so a rename that follows cannot expose a file whose content is still in the page cache. */
export function fsyncFile(file: string): void {
  const fd = openSync(file, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function quoteName(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
