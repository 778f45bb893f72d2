import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runOnDialect } from '../helpers/cli-database.js';
import { BIN, makeWorkdir } from '../helpers/run-cli.js';
import { runCliInProcess } from '../helpers/run-cli-in-process.js';

interface PipedResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  firstLine: string;
  stderr: string;
}

/**
 * Runs custdb with stdout into a pipe that this side closes, as `| head -1` does: after the first
 * line (`afterLines: 1`) or before anything is read (`afterLines: 0`).
 */
async function runIntoClosedPipe(args: string[], cwd: string, afterLines: 0 | 1): Promise<PipedResult> {
  const run = await runOnDialect(args, { cwd });
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...run.args], { cwd, env: { PATH: process.env.PATH ?? '', HOME: cwd, NO_COLOR: '1', ...run.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    if (afterLines === 0) child.stdout.destroy();
    else {
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
        stdout += chunk;
        if (stdout.includes('\n')) child.stdout.destroy();
      });
    }
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, firstLine: stdout.split('\n')[0] ?? '', stderr: run.asWritten(stderr) }));
  });
}

// A reader closing the pipe (EPIPE on process.stdout, the handler in src/cli/main.ts) happens only to a
// real process: every case runs the built binary. The database they read is set up in process.
describe('a closed stdout ends custdb quietly (spawned binary)', () => {
  let cwd: string;
  beforeAll(async () => {
    cwd = makeWorkdir('customers.csv');
    // A few thousand customers: far more than a pipe holds, so the export is still writing when the reader goes.
    const rows = ['first_name,last_name,email,city'];
    for (let i = 0; i < 4000; i++) rows.push(`Ann${i},Smith${i},ann${i}@example.com,Springfield`);
    writeFileSync(path.join(cwd, 'many.csv'), `${rows.join('\n')}\n`);
    expect((await runCliInProcess(['import', 'many.csv'], { cwd })).code).toBe(0);
    const orders = ['Order ID,Created At,Email,Financial Status,Currency,Total,Lineitem name,Lineitem quantity,Lineitem price'];
    for (let i = 0; i < 4000; i++) orders.push(`#${1000 + i},2025-03-01T10:00:00Z,ann${i}@example.com,paid,USD,9.00,Beans,1,9.00`);
    writeFileSync(path.join(cwd, 'orders.csv'), `${orders.join('\n')}\n`);
    expect((await runCliInProcess(['import', 'orders.csv'], { cwd })).code).toBe(0);
    expect((await runCliInProcess(['import', 'customers.csv', '--default-country', 'US'], { cwd })).code).toBe(0);
  });

  for (const format of ['csv', 'ndjson', 'json']) {
    it(`custdb export customers --format ${format} | head -1`, async () => {
      const result = await runIntoClosedPipe(['export', 'customers', '--format', format], cwd, 1);
      expect(result.firstLine).not.toBe('');
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
    });
  }

  it('custdb export orders | head -1', async () => {
    const result = await runIntoClosedPipe(['export', 'orders'], cwd, 1);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
  });

  it('custdb dedupe --format csv | (closed before reading)', async () => {
    const result = await runIntoClosedPipe(['dedupe', '--format', 'csv'], cwd, 0);
    expect(result.stderr).not.toMatch(/internal error|EPIPE/);
    expect(result.signal).toBeNull();
  });

  it('custdb show 1 | (closed before reading), and the database is still whole', async () => {
    const result = await runIntoClosedPipe(['show', '1'], cwd, 0);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(await runCliInProcess(['doctor', '-q'], { cwd })).toEqual({ code: 0, stdout: '', stderr: '' });
  });
});
