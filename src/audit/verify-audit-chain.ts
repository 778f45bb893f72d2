import { pagesById } from '../db/pages-by-id.js';
import type { Store } from '../db/store.js';
import { hashEvent } from './hash-event.js';

export interface AuditChainReport {
  /** Chained entries checked. */
  entries: number;
  /** What does not fit, one sentence each, naming entries by id; empty when the log is as custdb wrote it. */
  problems: string[];
}

/** Problems listed before the rest are summed up: one broken link can make every later one look wrong. */
const MAX_PROBLEMS = 20;

/**
 * Walks the audit log in id order and checks every chained entry against its content and its predecessor,
 * and the end of the chain against audit_head: an entry changed, deleted, inserted or reordered, or the log
 * cut short at the end, each comes back as a problem (never thrown). Reads in one consistent snapshot.
 */
export async function verifyAuditChain(store: Store): Promise<AuditChainReport> {
  return store.readTransaction(async (db) => {
    const head = await db.selectFrom('audit_head').selectAll().where('id', '=', 1).executeTakeFirst();
    const problems: string[] = [];
    if (!head) return { entries: 0, problems: ['the head of the audit chain (table audit_head) is missing: the log cannot be checked'] };

    let unchained = 0;
    let chained = 0;
    let prevHash: string | null = null;
    let lastId: number | undefined;
    const pages = pagesById(
      (after, limit) => db.selectFrom('events').select(['id', 'at', 'actor', 'command', 'summary', 'details_json', 'prev_hash', 'hash']).where('id', '>', after).orderBy('id').limit(limit).execute(),
      (row) => row.id,
    );
    for await (const page of pages) {
      for (const entry of page) {
        lastId = entry.id;
        if (entry.hash === null && entry.prev_hash === null && chained === 0) {
          unchained += 1;
          continue;
        }
        chained += 1;
        if (entry.hash === null) {
          problems.push(`entry ${entry.id} has no hash although entries before it have: it was added outside custdb, or its hash was removed`);
        } else if (entry.hash !== hashEvent(entry.prev_hash, entry)) {
          problems.push(`entry ${entry.id} was changed after it was written (its content no longer matches its hash)`);
        }
        if (entry.prev_hash !== prevHash) {
          problems.push(
            prevHash === null
              ? `entry ${entry.id} is chained to an entry that is not there: the first entries of the chain were deleted`
              : `entry ${entry.id} does not follow the entry before it: an entry between was deleted, or entries were reordered or changed`,
          );
        }
        prevHash = entry.hash;
      }
    }

    if (unchained !== head.unchained_entries) {
      problems.push(`the log holds ${unchained} entries from before the chain began, but ${head.unchained_entries} were there: entries were ${unchained < head.unchained_entries ? 'deleted' : 'added'}`);
    }
    const missing = head.chained_entries - chained;
    const entries = (n: number) => `${n} entr${n === 1 ? 'y' : 'ies'}`;
    if (prevHash !== head.head_hash) {
      problems.push(
        missing > 0
          ? `the log ends ${entries(missing)} early${lastId === undefined ? '' : ` after entry ${lastId}`}: entries at the end were deleted`
          : `the last entry${lastId === undefined ? '' : ` (${lastId})`} is not the one custdb wrote last: it was replaced, changed or added outside custdb`,
      );
    } else if (missing > 0) {
      problems.push(`${entries(missing)} of the chain ${missing === 1 ? 'is' : 'are'} missing`);
    } else if (missing < 0) {
      problems.push(`the chain holds ${entries(-missing)} more than custdb wrote: entries were added outside custdb`);
    }
    if (problems.length > MAX_PROBLEMS) {
      return { entries: chained, problems: [...problems.slice(0, MAX_PROBLEMS), `… and ${problems.length - MAX_PROBLEMS} more problems`] };
    }
    return { entries: chained, problems };
  });
}
