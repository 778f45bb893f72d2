import type BetterSqlite3 from 'better-sqlite3';
import type { Store } from './open-store.js';
import type { ImportBatchTable } from './tables.js';
import type { Selectable } from 'kysely';

export type ImportBatch = Selectable<ImportBatchTable>;

/** One warning an import gave: the line of the file, the field (or 'row') and what was wrong. */
export interface ImportWarning {
  line: number;
  field: string;
  message: string;
}

/** The committed batch that imported this content from this source, if any. */
export async function findPreviousImport(store: Store, source: string, sha256: string): Promise<number | undefined> {
  const row = await store.db
    .selectFrom('import_batches')
    .select('id')
    .where('source', '=', source)
    .where('file_sha256', '=', sha256)
    .where('status', '=', 'committed')
    .orderBy('id', 'desc')
    .executeTakeFirst();
  return row?.id;
}

/** Starts a batch row inside the caller's transaction; returns its id. */
export function insertBatch(
  sqlite: BetterSqlite3.Database,
  batch: { kind: ImportBatch['kind']; source: string; fileName: string; sha256: string; startedAt: string; mappingJson: string; actor: string },
): number {
  const result = sqlite
    .prepare(
      `INSERT INTO import_batches (kind, source, file_name, file_sha256, started_at, mapping_json, actor)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(batch.kind, batch.source, batch.fileName, batch.sha256, batch.startedAt, batch.mappingJson, batch.actor);
  return Number(result.lastInsertRowid);
}

export function finishBatch(
  sqlite: BetterSqlite3.Database,
  id: number,
  counts: { rows: number; inserted: number; updated: number; unchanged: number; rejected: number },
  finishedAt: string,
  summaryJson: string,
): void {
  sqlite
    .prepare(
      `UPDATE import_batches SET rows_total = ?, inserted = ?, updated = ?, unchanged = ?, rejected = ?, finished_at = ?, summary_json = ?
       WHERE id = ?`,
    )
    .run(counts.rows, counts.inserted, counts.updated, counts.unchanged, counts.rejected, finishedAt, summaryJson, id);
}

export async function listBatches(store: Store): Promise<ImportBatch[]> {
  return store.db.selectFrom('import_batches').selectAll().orderBy('id', 'desc').execute();
}

export async function getBatch(store: Store, id: number): Promise<ImportBatch | undefined> {
  return store.db.selectFrom('import_batches').selectAll().where('id', '=', id).executeTakeFirst();
}

/** A function keeping one warning of batch `batchId` in the store, on the caller's open transaction. */
export function prepareWarningInsert(sqlite: BetterSqlite3.Database, batchId: number): (warning: ImportWarning) => void {
  const statement = sqlite.prepare('INSERT INTO import_warnings (batch_id, line, field, message) VALUES (?, ?, ?, ?)');
  return (warning) => {
    statement.run(batchId, warning.line, warning.field, warning.message);
  };
}

export async function countBatchWarnings(store: Store, batchId: number): Promise<number> {
  const row = await store.db.selectFrom('import_warnings').select((eb) => eb.fn.countAll<number>().as('count')).where('batch_id', '=', batchId).executeTakeFirst();
  return Number(row?.count ?? 0);
}

/** Every warning batch `batchId` kept, in the order the import gave them, read one at a time (a file may have millions). */
export function iterateBatchWarnings(store: Store, batchId: number): Iterable<ImportWarning> {
  return store.sqlite.prepare<[number], ImportWarning>('SELECT line, field, message FROM import_warnings WHERE batch_id = ? ORDER BY id').iterate(batchId);
}
