import { sql } from 'kysely';
import { rfmCutPoints, rfmMeasures, rfmScoreSql, type CustomerFieldsOptions } from './customer-fields-query.js';
import { BUSY_TIMEOUT_MS } from './dialect.js';
import type { Store } from './store.js';

/**
 * Recomputes the kept RFM cut points (schema/sqlite/0007-rfm-cut-points.sql), and
 * every ranked customer's scores against them (0008-rfm-scores.sql), when a write
 * changed the stored metrics since, or they rank spend in another main currency
 * than `options.mainCurrency`; a no-op unless `options` read RFM fields as of
 * today or later (the only reads that use them). Call it before building the
 * `cf` query: that query computes the cut points and scores itself whenever the
 * kept ones are not fresh, so this only saves time (at 1M customers, ~1 s of
 * sorting per measure, and most of the rest of an RFM read, on every read). A
 * reader that may not write (a read-only PostgreSQL role, a read-only file) or
 * that would have to wait for another writer leaves them be.
 *
 * @example
 * await refreshRfmCutPoints(store, options);
 * const query = selectCustomerFields(store, options);
 */
export async function refreshRfmCutPoints(store: Pick<Store, 'db' | 'dialect'>, options: CustomerFieldsOptions): Promise<void> {
  const today = options.today ?? new Date().toISOString().slice(0, 10);
  const measures = rfmMeasures(() => '1 = 1');
  const wanted = options.fields === undefined || measures.some((measure) => measure.neededBy.some((name) => options.fields!.has(name)));
  if (options.asOf < today || !wanted) return;

  const { db, dialect } = store;
  const given = options.mainCurrency ?? null;
  const kept = await sql<{ metrics_version: number; computed_version: number | null; given_currency: string | null }>`
    SELECT metrics_version, computed_version, given_currency FROM rfm_cut_points`.execute(db);
  const row = kept.rows[0];
  if (row === undefined || (row.computed_version === row.metrics_version && row.given_currency === given)) return;

  const version = row.metrics_version;
  const cuts = rfmCutPoints({ measures, orderSource: 'customer_metrics', before: () => '1 = 1', mainCurrency: options.mainCurrency });
  const columns = ['main_currency', ...measures.flatMap((measure) => [1, 2, 3, 4].map((j) => `${measure.prefix}${j}`))];
  const assignments = sql.raw(columns.map((column) => `${column} = computed.${column}`).join(', '));
  // Kept only if no write counted a new version since `version` was read: a write that
  // commits meanwhile leaves metrics_version ≠ version (PostgreSQL re-checks the WHERE
  // on the row such a write updated), so cut points from older metrics are never kept as fresh.
  // A read must not wait for a writer (an import may hold the lock for minutes): on one connection, the update
  // gives up at once when another holds the lock, and the read computes its cut points in its query instead.
  await db.connection().execute(async (connection) => {
    await sql.raw(dialect.lockWait(1)).execute(connection);
    try {
      await connection.transaction().execute(async (trx) => {
        const kept = await sql`WITH ${sql.join(cuts.ctes)}
          UPDATE rfm_cut_points SET computed_version = ${version}, given_currency = ${given}, ${assignments}
          FROM (${cuts.select}) computed
          WHERE rfm_cut_points.metrics_version = ${version}`.execute(trx);
        if (Number(kept.numAffectedRows ?? 0) === 0) return;
        // The scores of these metrics against these cut points, committed with them (schema/sqlite/0008-rfm-scores.sql).
        await sql`DELETE FROM rfm_scores`.execute(trx);
        const scores = sql.raw(measures.map((measure) => rfmScoreSql(dialect, measure)).join(', '));
        await sql`INSERT INTO rfm_scores (customer_id, r, f, m)
          SELECT m.customer_id, ${scores}
          FROM customer_metrics m JOIN customers c ON c.id = m.customer_id CROSS JOIN rfm_cut_points rfm_cuts
          WHERE c.status = 'active' AND m.orders_count > 0`.execute(trx);
      });
    } catch (error) {
      if (!cannotWrite(dialect.name, error)) throw error;
    } finally {
      await sql.raw(dialect.lockWait(BUSY_TIMEOUT_MS)).execute(connection);
    }
  });
}

/** A refusal to write that leaves the read to compute its cut points: no privilege, a read-only database, another writer holding the lock. */
function cannotWrite(dialectName: string, error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  if (typeof code !== 'string') return false;
  // 42501 insufficient_privilege, 25006 read_only_sql_transaction, 55P03 lock_not_available.
  if (dialectName === 'postgres') return code === '42501' || code === '25006' || code === '55P03';
  return code.startsWith('SQLITE_READONLY') || code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED');
}
