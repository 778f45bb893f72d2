import type { Kysely } from 'kysely';
import { nowIso } from '../db/clock.js';
import type { Database } from '../db/tables.js';

export interface EventInput {
  actor: string;
  command: string;
  summary: string;
  details?: Record<string, unknown>;
}

/** Appends one entry to the audit log and returns its id. Call inside the transaction that made the change. */
export async function recordEvent(db: Kysely<Database>, event: EventInput): Promise<number> {
  const row = await db
    .insertInto('events')
    .values({ at: nowIso(), actor: event.actor, command: event.command, summary: event.summary, details_json: JSON.stringify(event.details ?? {}) })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}
