import { pagesById } from './pages-by-id.js';
import type { Store } from './store.js';
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

export async function listBatches(store: Store): Promise<ImportBatch[]> {
  return store.db.selectFrom('import_batches').selectAll().orderBy('id', 'desc').execute();
}

export async function getBatch(store: Store, id: number): Promise<ImportBatch | undefined> {
  return store.db.selectFrom('import_batches').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function countBatchWarnings(store: Store, batchId: number): Promise<number> {
  const row = await store.db.selectFrom('import_warnings').select((eb) => eb.fn.countAll<number>().as('count')).where('batch_id', '=', batchId).executeTakeFirst();
  return Number(row?.count ?? 0);
}

/** Every warning batch `batchId` kept, in the order the import gave them, a page at a time (a file may have millions). */
export async function* iterateBatchWarnings(store: Store, batchId: number): AsyncGenerator<ImportWarning[]> {
  const pages = pagesById(
    (afterId, limit) =>
      store.db.selectFrom('import_warnings').select(['id', 'line', 'field', 'message']).where('batch_id', '=', batchId).where('id', '>', afterId).orderBy('id').limit(limit).execute(),
    (row) => row.id,
  );
  for await (const page of pages) yield page.map(({ line, field, message }) => ({ line, field, message }));
}
