import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3-multiple-ciphers';

export interface BenchDbBuild {
  /** The tables `writeRows` fills: their secondary indexes are dropped during the load and re-created from their own SQL after it. */
  tables: readonly string[];
  /** Writes the rows, inside the load's one transaction. */
  writeRows: (db: BetterSqlite3.Database) => void;
}

/**
 * Builds a bench's SQLite database at `file` unless it is already there (a cached one is reused as it is:
 * runs of the bench migrate it forward). The schema is made by `custdb init` of `custdbBin`, the build
 * being timed; the rows are written by direct inserts, far faster than `custdb import` at millions of
 * rows, under a `.partial` name so an interrupted build is never taken for a finished one; the stored
 * metrics are then recomputed as a whole by `custdb doctor --fix`, as a user would after rows written
 * behind custdb's back.
 */
export function buildSqliteBenchDb(file: string, build: BenchDbBuild, custdbBin: string, log: (line: string) => void): void {
  if (existsSync(file)) return;
  mkdirSync(path.dirname(file), { recursive: true });
  const partial = `${file}.partial`;
  for (const leftover of [partial, `${partial}-wal`, `${partial}-shm`]) rmSync(leftover, { force: true });
  const started = performance.now();
  custdb(custdbBin, ['init', '--db', partial, '--quiet']);
  const db = new BetterSqlite3(partial);
  try {
    // Nothing else reads the file until it is renamed: a crash only loses the build, which is started again.
    db.pragma('journal_mode = OFF');
    db.pragma('synchronous = OFF');
    db.pragma('foreign_keys = OFF');
    db.pragma('cache_size = -524288');
    const tables = build.tables.map((table) => `'${table}'`).join(', ');
    const indexes = db.prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN (${tables})`).all() as { name: string; sql: string }[];
    db.transaction(() => {
      for (const index of indexes) db.exec(`DROP INDEX "${index.name}"`);
      build.writeRows(db);
      for (const index of indexes) db.exec(index.sql);
    })();
    db.pragma('journal_mode = WAL');
  } finally {
    db.close();
  }
  custdb(custdbBin, ['doctor', '--fix', '--db', partial, '--quiet']);
  renameSync(partial, file);
  log(`generated ${path.basename(file)} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

function custdb(custdbBin: string, args: readonly string[]): void {
  const run = spawnSync(process.execPath, [custdbBin, ...args], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`custdb ${args[0]!} failed: ${run.stderr}${run.stdout}`);
}
