import { sql } from 'kysely';
import { describe, expect, it, onTestFinished } from 'vitest';
import { recordEvent, recordEvents } from '../../src/audit/record-event.js';
import { verifyAuditChain } from '../../src/audit/verify-audit-chain.js';
import { openStore } from '../../src/db/open-store.js';
import type { Store } from '../../src/db/store.js';
import { freshLocation, TEST_DIALECTS } from '../helpers/dialects.js';

async function openFresh(location: string): Promise<Store> {
  const { store } = await openStore({ location, create: true, migrations: 'apply' });
  onTestFinished(() => store.close());
  return store;
}

/** Writes `n` entries, one transaction each, as custdb's commands do. */
async function writeEntries(store: Store, n: number, command = 'test'): Promise<number[]> {
  const ids: number[] = [];
  for (let k = 0; k < n; k++) ids.push(await store.transaction((trx) => recordEvent(trx, { actor: 'ann', command, summary: `entry ${k}`, details: { k } })));
  return ids;
}

describe.each(TEST_DIALECTS)('the audit chain on %s', (dialect) => {
  it('links every entry to the one before and keeps the head in step; a batch of entries chains in order', async () => {
    const store = await openFresh((await freshLocation(dialect)).location);
    await writeEntries(store, 3);
    await store.transaction((trx) =>
      recordEvents(trx, [
        { actor: 'ann', command: 'dedupe --merge', summary: 'merged 2 into 1', at: '2026-12-05T10:00:00.000Z' },
        { actor: 'ann', command: 'dedupe --merge', summary: 'merged 4 into 3', at: '2026-12-05T10:00:00.000Z' },
      ]),
    );
    const rows = await store.db.selectFrom('events').select(['id', 'prev_hash', 'hash']).orderBy('id').execute();
    expect(rows).toHaveLength(5);
    for (let k = 1; k < rows.length; k++) expect(rows[k]!.prev_hash).toBe(rows[k - 1]!.hash);
    expect(rows[0]!.prev_hash).toBeNull();
    expect(new Set(rows.map((r) => r.hash)).size).toBe(5);
    expect(await store.db.selectFrom('audit_head').select(['chained_entries', 'head_hash', 'unchained_entries']).executeTakeFirst()).toEqual({
      chained_entries: 5,
      head_hash: rows[4]!.hash,
      unchained_entries: 0,
    });
    expect(await verifyAuditChain(store)).toEqual({ entries: 5, problems: [] });
  });

  it('finds an entry changed, one deleted in the middle, and entries cut off at the end', async () => {
    const store = await openFresh((await freshLocation(dialect)).location);
    const ids = await writeEntries(store, 6);

    await sql`UPDATE events SET summary = 'nothing happened' WHERE id = ${ids[1]!}`.execute(store.db);
    expect((await verifyAuditChain(store)).problems).toEqual([`entry ${ids[1]} was changed after it was written (its content no longer matches its hash)`]);
    await sql`UPDATE events SET summary = 'entry 1' WHERE id = ${ids[1]!}`.execute(store.db);
    expect((await verifyAuditChain(store)).problems).toEqual([]);

    await sql`DELETE FROM events WHERE id = ${ids[2]!}`.execute(store.db);
    expect((await verifyAuditChain(store)).problems).toEqual([
      `entry ${ids[3]} does not follow the entry before it: an entry between was deleted, or entries were reordered or changed`,
      '1 entry of the chain is missing',
    ]);

    await sql`DELETE FROM events WHERE id >= ${ids[4]!}`.execute(store.db);
    expect((await verifyAuditChain(store)).problems).toEqual([
      `entry ${ids[3]} does not follow the entry before it: an entry between was deleted, or entries were reordered or changed`,
      `the log ends 3 entries early after entry ${ids[3]}: entries at the end were deleted`,
    ]);
  });

  it('finds a changed entry whose hash was recomputed to match: the next one no longer follows it', async () => {
    const store = await openFresh((await freshLocation(dialect)).location);
    const ids = await writeEntries(store, 3);
    const { hashEvent } = await import('../../src/audit/hash-event.js');
    const row = await store.db.selectFrom('events').selectAll().where('id', '=', ids[1]!).executeTakeFirstOrThrow();
    const forged = hashEvent(row.prev_hash, { ...row, summary: 'forged' });
    await sql`UPDATE events SET summary = 'forged', hash = ${forged} WHERE id = ${ids[1]!}`.execute(store.db);
    expect((await verifyAuditChain(store)).problems).toEqual([`entry ${ids[2]} does not follow the entry before it: an entry between was deleted, or entries were reordered or changed`]);
  });

  it('counts the entries written before the chain began, and notices one of them deleted or an unchained entry added after', async () => {
    const store = await openFresh((await freshLocation(dialect)).location);
    // A database from before 0011: two entries without hashes, counted by the migration.
    await sql`DELETE FROM events`.execute(store.db);
    await sql`INSERT INTO events (at, actor, command, summary) VALUES ('2026-01-01T00:00:00.000Z', 'ann', 'init', 'old'), ('2026-01-02T00:00:00.000Z', 'ann', 'import', 'old')`.execute(store.db);
    await sql`UPDATE audit_head SET unchained_entries = 2, chained_entries = 0, head_hash = NULL`.execute(store.db);
    await writeEntries(store, 2);
    expect(await verifyAuditChain(store)).toEqual({ entries: 2, problems: [] });

    await sql`INSERT INTO events (at, actor, command, summary) VALUES ('2026-12-05T00:00:00.000Z', 'mallory', 'import', 'slipped in')`.execute(store.db);
    const added = (await verifyAuditChain(store)).problems;
    expect(added[0]).toMatch(/^entry \d+ has no hash although entries before it have/);

    await sql`DELETE FROM events WHERE actor = 'mallory'`.execute(store.db);
    const first = await store.db.selectFrom('events').select('id').orderBy('id').executeTakeFirstOrThrow();
    await sql`DELETE FROM events WHERE id = ${first.id}`.execute(store.db);
    expect((await verifyAuditChain(store)).problems).toEqual(['the log holds 1 entries from before the chain began, but 2 were there: entries were deleted']);
  });

  // Two SQLite connections in one thread cannot interleave (a busy wait blocks the thread that holds the lock): test/cli does processes.
  it.runIf(dialect === 'postgres')('two connections writing at once never fork the chain', async () => {
    const { location } = await freshLocation(dialect);
    const first = await openFresh(location);
    const { store: second } = await openStore({ location, create: false, migrations: 'apply' });
    onTestFinished(() => second.close());
    await Promise.all([writeEntries(first, 15, 'first'), writeEntries(second, 15, 'second')]);
    expect(await verifyAuditChain(first)).toEqual({ entries: 30, problems: [] });
  });
});
