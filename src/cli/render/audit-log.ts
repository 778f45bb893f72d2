import type { AuditEntry } from '../../audit/list-events.js';
import { formatCsvLine } from '../../csv/format-csv-line.js';
import type { CommandContext } from '../context.js';
import { formatCount } from './format-count.js';
import { renderTable } from './table.js';

const CSV_HEAD = ['id', 'at', 'actor', 'db_role', 'command', 'customers', 'summary', 'details'];

/** The audit log as a table: when (to the minute, UTC), who, what, how many customers, and the summary. */
export function renderAuditTable(entries: readonly AuditEntry[], ctx: CommandContext): string {
  return renderTable(
    ['id', 'when (UTC)', 'who', 'command', 'customers', 'what'],
    entries.map((e) => [
      String(e.id),
      e.at.slice(0, 16).replace('T', ' '),
      e.dbRole === null || e.dbRole === e.actor ? e.actor : `${e.actor} (${e.dbRole})`,
      e.command,
      e.customers === null ? '' : formatCount(e.customers),
      e.summary,
    ]),
    ctx,
    { droppable: ['customers'], wrappable: ['what', 'who'] },
  );
}

/** The audit log as CSV (a header, one line per entry, details as JSON), formula cells neutralised. */
export function formatAuditCsv(entries: readonly AuditEntry[]): string {
  const lines = [formatCsvLine(CSV_HEAD, true)];
  for (const e of entries) {
    lines.push(formatCsvLine([String(e.id), e.at, e.actor, e.dbRole, e.command, e.customers === null ? '' : String(e.customers), e.summary, JSON.stringify(e.details)], true));
  }
  return `${lines.join('\n')}\n`;
}
