import type { Kysely } from 'kysely';
import { nowIso } from '../db/clock.js';
import type { Database } from '../db/tables.js';

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
  const row = await db
    .insertInto('events')
    .values({ at: nowIso(), actor: event.actor, command: event.command, summary: event.summary, details_json: JSON.stringify(event.details ?? {}) })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/**
 * Appends several entries in one statement (a batch of merges) and returns their ids in the order given.
 * Both engines number a multi-row insert's rows in the order of its VALUES, but neither promises RETURNING
 * in that order: sorting the ids gives it back.
 */
export async function recordEvents(db: Kysely<Database>, events: readonly (EventInput & { at: string })[]): Promise<number[]> {
  const ids: number[] = [];
  for (let k = 0; k < events.length; k += EVENTS_PER_STATEMENT) {
    const rows = events.slice(k, k + EVENTS_PER_STATEMENT).map((e) => ({ at: e.at, actor: e.actor, command: e.command, summary: e.summary, details_json: JSON.stringify(e.details ?? {}) }));
    const returned = await db.insertInto('events').values(rows).returning('id').execute();
    ids.push(...returned.map((r) => r.id).sort((a, b) => a - b));
  }
  return ids;
}

const EVENTS_PER_STATEMENT = 1000;
