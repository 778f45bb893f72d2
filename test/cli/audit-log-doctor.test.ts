import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { CLI_DIALECT, queryCliDatabase } from '../helpers/cli-database.js';
import { makeWorkdir } from '../helpers/run-cli.js';
import { runCliInProcess } from '../helpers/run-cli-in-process.js';

/** A database with a few audit entries: init, two settings, a segment. */
async function databaseWithLog(): Promise<string> {
  const cwd = makeWorkdir();
  for (const args of [['init'], ['config', 'set', 'currency', 'GBP'], ['config', 'set', 'default-country', 'GB'], ['segment', 'add', 'big', '--where', 'total_spent > 100']]) {
    const result = await runCliInProcess(args, { cwd });
    expect(result.code, result.stderr).toBe(0);
  }
  return cwd;
}

/** Edits the log behind custdb's back: with the sqlite3 shell on a file, as the server's superuser on PostgreSQL. */
async function tamper(cwd: string, statement: string): Promise<void> {
  if (CLI_DIALECT === 'sqlite') execFileSync('sqlite3', [path.join(cwd, 'customers.db'), statement]);
  else await queryCliDatabase(cwd, sql.raw(statement));
}

describe('custdb doctor checks the audit log', () => {
  it('custdb doctor: a log as custdb wrote it is ok', async () => {
    const cwd = await databaseWithLog();
    const result = await runCliInProcess(['doctor'], { cwd });
    expect(result.code, result.stdout).toBe(0);
    expect(result.stdout).toContain('  audit log     ok');
  });

  it('custdb doctor: the log stays whole when a person with entries about them is forgotten (erasure never rewrites a chained entry)', async () => {
    const cwd = await databaseWithLog();
    for (const args of [['customers', 'add', '--first-name', 'Jane', '--email', 'jane@example.com'], ['customers', 'note', 'jane@example.com', 'Prefers decaf'], ['privacy', 'forget', 'jane@example.com', '--yes']]) {
      const result = await runCliInProcess(args, { cwd });
      expect(result.code, result.stderr).toBe(0);
    }
    const result = await runCliInProcess(['doctor'], { cwd });
    expect(result.code, result.stdout).toBe(0);
    expect(result.stdout).toContain('  audit log     ok');
    const events = await queryCliDatabase(cwd, sql<{ text: string }>`SELECT summary || details_json AS text FROM events`);
    expect(events.map((row) => row.text).join('\n')).not.toMatch(/jane|decaf/i);
  });

  it('custdb doctor: an entry deleted with sqlite3 is reported, exit 1', async () => {
    const cwd = await databaseWithLog();
    await tamper(cwd, `DELETE FROM events WHERE command = 'config set' AND summary LIKE 'currency%'`);
    const result = await runCliInProcess(['doctor'], { cwd });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('  audit log     tampered');
    expect(result.stdout).toMatch(/problem: \[audit-log\] entry \d+ does not follow the entry before it/);
    expect(result.stdout).toContain('The audit log was edited outside custdb');
  });

  it('custdb --json doctor: an entry changed with sqlite3 is reported, exit 1', async () => {
    const cwd = await databaseWithLog();
    await tamper(cwd, `UPDATE events SET actor = 'someone else' WHERE command = 'segment add'`);
    const result = await runCliInProcess(['--json', 'doctor'], { cwd });
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout) as { ok: boolean; checks: { auditLog: string }; findings: { check: string; message: string }[] };
    expect(report.ok).toBe(false);
    expect(report.checks.auditLog).toBe('tampered');
    expect(report.findings).toEqual([{ severity: 'error', check: 'audit-log', message: expect.stringMatching(/^entry \d+ was changed after it was written/) }]);
  });

  it('custdb doctor: the last entries cut off is reported, exit 1', async () => {
    const cwd = await databaseWithLog();
    await tamper(cwd, `DELETE FROM events WHERE command = 'segment add'`);
    const result = await runCliInProcess(['doctor'], { cwd });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/\[audit-log\] the log ends 1 entry early after entry \d+: entries at the end were deleted/);
  });
});
