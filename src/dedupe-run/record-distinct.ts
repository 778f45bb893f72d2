import { recordEvent } from '../audit/record-event.js';
import { nowIso } from '../db/clock.js';
import type { Store } from '../db/store.js';

/**
 * Remembers that a group of customers are not the same person: every pair of
 * them gets a 'distinct' decision, so dedupe never proposes them together
 * again. Returns how many pairs were newly recorded.
 */
export async function recordDistinct(store: Store, ids: readonly number[], actor: string): Promise<number> {
  const unique = [...new Set(ids)].sort((a, b) => a - b);
  return store.transaction(async (trx) => {
    const at = nowIso();
    let added = 0;
    for (let x = 0; x < unique.length; x++) {
      for (let y = x + 1; y < unique.length; y++) {
        const result = await trx
          .insertInto('dedupe_decisions')
          .values({ left_id: unique[x] ?? 0, right_id: unique[y] ?? 0, decision: 'distinct', decided_at: at, actor })
          .onConflict((oc) => oc.doNothing())
          .executeTakeFirst();
        added += Number(result.numInsertedOrUpdatedRows ?? 0n);
      }
    }
    await recordEvent(trx, { actor, command: 'dedupe --review', summary: `marked customers ${unique.join(', ')} as not the same person`, details: { ids: unique } });
    return added;
  });
}
