import type { Store } from '../db/store.js';

export interface EventQuery {
  /** The actor custdb recorded (OS user or --actor), or the PostgreSQL role that acted. */
  who?: string;
  /** Entries at or after this instant ('YYYY-MM-DDTHH:MM:SS.sssZ'). */
  since?: string;
  /** A command (`import`) or command group (`imports` takes in `imports undo`). */
  command?: string;
  limit?: number;
}

export interface AuditEntry {
  id: number;
  at: string;
  actor: string;
  /** The PostgreSQL login role that wrote the entry; null on SQLite and before 0005. */
  dbRole: string | null;
  command: string;
  summary: string;
  /** How many customers the command changed, where the entry says; null when it does not. */
  customers: number | null;
  details: Record<string, unknown>;
}

/** Audit log entries, newest first, that match every condition given. Never throws on a malformed details document. */
export async function listEvents(store: Store, query: EventQuery): Promise<AuditEntry[]> {
  let select = store.db.selectFrom('events').select(['id', 'at', 'actor', 'db_role', 'command', 'summary', 'details_json']);
  if (query.who !== undefined) {
    const who = query.who;
    select = select.where((eb) => eb.or([eb('actor', '=', who), eb('db_role', '=', who)]));
  }
  if (query.since !== undefined) select = select.where('at', '>=', query.since);
  if (query.command !== undefined) {
    const command = query.command.trim().replace(/\s+/g, ' ');
    select = select.where((eb) => eb.or([eb('command', '=', command), eb(eb.fn<string>('substr', ['command', eb.val(1), eb.val(command.length + 1)]), '=', `${command} `)]));
  }
  select = select.orderBy('id', 'desc');
  if (query.limit !== undefined) select = select.limit(query.limit);
  const rows = await select.execute();
  return rows.map((row) => {
    const details = readDetails(row.details_json);
    return { id: row.id, at: row.at, actor: row.actor, dbRole: row.db_role, command: row.command, summary: row.summary, customers: customersChanged(details), details };
  });
}

function readDetails(json: string): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(json);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/**
 * How many customers an entry's details say the command changed: `customers` where a command counts them
 * itself, one for a `customerId`, two for a merge, the `ids` listed, or a customers import's inserted and updated.
 */
export function customersChanged(details: Record<string, unknown>): number | null {
  const number = (value: unknown) => (typeof value === 'number' && Number.isFinite(value) ? value : undefined);
  if (number(details.customers) !== undefined) return number(details.customers)!;
  if (number(details.customerId) !== undefined) return 1;
  if (number(details.survivorId) !== undefined && number(details.mergedId) !== undefined) return 2;
  if (Array.isArray(details.ids)) return details.ids.length;
  const counts = details.counts;
  if (details.kind === undefined && typeof counts === 'object' && counts !== null) {
    const { inserted, updated } = counts as Record<string, unknown>;
    if (number(inserted) !== undefined && number(updated) !== undefined) return number(inserted)! + number(updated)!;
  }
  return null;
}
