import type pg from 'pg';

/** Rolls back unless committed and gives the client back; a client that cannot even roll back is destroyed, not pooled. */
export async function endClient(client: pg.PoolClient, committed: boolean): Promise<void> {
  let broken = false;
  if (!committed) {
    try {
      await client.query('ROLLBACK');
    } catch {
      broken = true;
    }
  }
  client.release(broken ? true : undefined);
}
