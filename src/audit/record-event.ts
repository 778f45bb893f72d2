import type { Kysely } from 'kysely';
import { nowIso } from '../db/clock.js';
import type { Database } from '../db/tables.js';
import { hashEvent } from './hash-event.js';

/**
 * One audit entry. Summary and details name customers by id and say how many; they never quote a personal
 * value (a name, an email, a note's text): the log is append-only and outlives an erasure.
 */
export interface EventInput {
  actor: string;
  command: string;
  summary: string;
  details?: Record<string, unknown>;
}

/**
 * Appends one entry to the audit log and returns its id. Call inside the transaction that made the change.
 * The database role that acted (`events.db_role`) is not written here: on PostgreSQL the server fills it
 * with session_user, the connection's login role, and a staff role may not write that column itself, so the
 * log names the role the server checked, whatever `actor` says; on SQLite it stays NULL (a file has no roles).
 */
export async function recordEvent(db: Kysely<Database>, event: EventInput): Promise<number> {
  const [id] = await recordEvents(db, [{ ...event, at: nowIso() }]);
  return id!;
}

/**
 * Appends several entries (a batch of merges) and returns their ids in the order given, each chained to the
 * one before (see hashEvent). Call inside the write transaction: the head of the chain is updated with them.
 * Both engines number a multi-row insert's rows in the order of its VALUES, but neither promises RETURNING
 * in that order: sorting the ids gives it back.
 */
export async function recordEvents(db: Kysely<Database>, events: readonly (EventInput & { at: string })[]): Promise<number[]> {
  if (events.length === 0) return [];
  // Updating the head first takes its row lock: a second writer's update waits for this transaction and then
  // reads the head it left, so two writers can never both chain onto the same entry (custdb's write lock
  // already orders them; this holds even for a writer that did not take it).
  const head = await db
    .updateTable('audit_head')
    .set((eb) => ({ chained_entries: eb('chained_entries', '+', events.length) }))
    .where('id', '=', 1)
    .returning('head_hash')
    .executeTakeFirstOrThrow();
  let prevHash = head.head_hash;
  const ids: number[] = [];
  for (let k = 0; k < events.length; k += EVENTS_PER_STATEMENT) {
    const rows = events.slice(k, k + EVENTS_PER_STATEMENT).map((e) => {
      const content = { at: e.at, actor: e.actor, command: e.command, summary: e.summary, details_json: JSON.stringify(e.details ?? {}) };
      const hash = hashEvent(prevHash, content);
      const row = { ...content, prev_hash: prevHash, hash };
      prevHash = hash;
      return row;
    });
    const returned = await db.insertInto('events').values(rows).returning('id').execute();
    ids.push(...returned.map((r) => r.id).sort((a, b) => a - b));
  }
  await db.updateTable('audit_head').set({ head_hash: prevHash }).where('id', '=', 1).execute();
  return ids;
}

const EVENTS_PER_STATEMENT = 1000;
