import { Option, type Command } from 'commander';
import { listEvents } from '../../audit/list-events.js';
import { readSince } from '../../audit/read-since.js';
import { UsageError } from '../../errors.js';
import { withStore } from '../command-helpers.js';
import type { RunAction } from '../program.js';
import { formatAuditCsv, renderAuditTable } from '../render/audit-log.js';
import { formatCount } from '../render/format-count.js';
import { writeJson, writeNote, writeResult } from '../render/output.js';

interface LogFlags {
  who?: string;
  since?: string;
  command?: string;
  limit?: string;
  format: 'table' | 'csv' | 'json';
}

/** A table is for reading: without --limit it shows this many entries. */
const TABLE_ENTRIES = 50;

export function registerLog(program: Command, run: RunAction): void {
  program
    .command('log')
    .description('Show the audit log, newest first: who did what, when, to how many customers. Entries name customers by id, never by their details.')
    .option('--who <name>', 'only entries by this actor (OS user or --actor) or PostgreSQL role')
    .option('--since <when>', 'only entries from this day (YYYY-MM-DD), instant, or time back (12h, 30d, 2w, 6m, 1y)')
    .option('--command <name>', 'only this command (import), or a command group (imports: imports undo too)')
    .option('--limit <n>', `at most this many entries (a table shows ${TABLE_ENTRIES} unless given)`)
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'csv', 'json']).default('table'))
    .addHelpText(
      'after',
      `
Examples:
  $ custdb log
  $ custdb log --since 30d --who ann
  $ custdb log --command "dedupe --merge" --format csv > merges.csv
  $ custdb log --command imports --since 2026-11-01 --json

custdb doctor checks that the log is as custdb wrote it (each entry is chained to the one before by its hash).`,
    )
    .action((flags: LogFlags) =>
      run((ctx) =>
        withStore(ctx, async (store) => {
          const format = ctx.json ? 'json' : flags.format;
          const limit = flags.limit === undefined ? (format === 'table' ? TABLE_ENTRIES : undefined) : readLimit(flags.limit);
          const since = flags.since === undefined ? undefined : readSince(flags.since);
          // One more than shown tells a table whether there are more.
          const entries = await listEvents(store, { who: flags.who, since, command: flags.command, limit: format === 'table' && limit !== undefined ? limit + 1 : limit });
          if (format === 'json') writeJson(ctx, { entries });
          else if (format === 'csv') ctx.io.stdout.write(formatAuditCsv(entries));
          else if (entries.length === 0) writeResult(ctx, 'No audit entries match.');
          else {
            const shown = entries.slice(0, limit);
            writeResult(ctx, renderAuditTable(shown, ctx));
            writeNote(ctx, entries.length > shown.length ? `The newest ${formatCount(shown.length)} entries; --limit N shows more, --format csv all.` : `${formatCount(shown.length)} entr${shown.length === 1 ? 'y' : 'ies'}.`);
          }
          return 0;
        }),
      ),
    );
}

function readLimit(text: string): number {
  if (!/^\d+$/.test(text.trim()) || Number(text.trim()) === 0) throw new UsageError(`--limit ${text}: not a positive whole number.`, { hint: 'Example: --limit 100.' });
  return Number(text.trim());
}
