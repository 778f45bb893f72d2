import { existsSync } from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { CLI_DIALECT } from '../helpers/cli-database.js';
import { makeWorkdir } from '../helpers/run-cli.js';
import { runCliInProcess } from '../helpers/run-cli-in-process.js';

// In a terminal the key is typed (hidden: see askDatabaseKey); the prompts module is scripted here,
// as every prompt test does, and an unexpected question fails the test.
vi.mock('../../src/cli/prompts.js', () => ({
  askDatabaseKey: vi.fn(() => Promise.reject(new Error('unexpected key prompt'))),
  askNewDatabaseKey: vi.fn(() => Promise.reject(new Error('unexpected new-key prompt'))),
}));
const prompts = await import('../../src/cli/prompts.js');
const { buildProgram } = await import('../../src/cli/program.js');

const KEY = 'typed passphrase';

/** Runs custdb as if in a terminal (stdin and stderr TTYs), with `env` on top of NO_COLOR. */
async function inTerminal(cwd: string, args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c: Buffer) => (out += c.toString()));
  stderr.on('data', (c: Buffer) => (err += c.toString()));
  let code = -1;
  const io = { stdout, stderr, stdin: new PassThrough(), stdoutIsTTY: false, stderrIsTTY: true, stdinIsTTY: true, env: { NO_COLOR: '1', ...env }, user: 'tester' };
  const program = buildProgram(io, (c) => (code = c));
  try {
    await program.parseAsync([...args, '--db', path.join(cwd, 'customers.db')], { from: 'user' });
  } catch (error) {
    err += String(error);
    code = 2;
  }
  return { code, stdout: out, stderr: err };
}

describe.skipIf(CLI_DIALECT !== 'sqlite')('the key typed in a terminal', () => {
  beforeEach(() => {
    vi.mocked(prompts.askDatabaseKey).mockReset().mockRejectedValue(new Error('unexpected key prompt'));
    vi.mocked(prompts.askNewDatabaseKey).mockReset().mockRejectedValue(new Error('unexpected new-key prompt'));
  });

  it('custdb init --encrypt asks for the new key twice; later commands ask for it once, naming the file', async () => {
    const cwd = makeWorkdir();
    const file = path.join(cwd, 'customers.db');
    vi.mocked(prompts.askNewDatabaseKey).mockResolvedValueOnce(KEY);
    const init = await inTerminal(cwd, ['init', '--encrypt']);
    expect([init.code, init.stderr]).toEqual([0, '']);
    expect(vi.mocked(prompts.askNewDatabaseKey).mock.calls.map((call) => call[1])).toEqual([file]);

    vi.mocked(prompts.askDatabaseKey).mockResolvedValueOnce(KEY);
    const query = await inTerminal(cwd, ['query', '--count']);
    expect([query.code, query.stdout]).toEqual([0, '0\n']);
    expect(vi.mocked(prompts.askDatabaseKey).mock.calls.map((call) => call[1])).toEqual([file]);
    // What was typed is what CUSTDB_KEY gives.
    expect((await runCliInProcess(['query', '--count'], { cwd, env: { CUSTDB_KEY: KEY } })).code).toBe(0);
  });

  it('two different answers to init --encrypt: exit 2 and no file', async () => {
    const cwd = makeWorkdir();
    vi.mocked(prompts.askNewDatabaseKey).mockResolvedValueOnce(undefined);
    const init = await inTerminal(cwd, ['init', '--encrypt']);
    expect([init.code, init.stderr]).toEqual([2, expect.stringContaining('The two keys typed differ; nothing was changed.')]);
    expect(existsSync(path.join(cwd, 'customers.db'))).toBe(false);
  });

  it('a wrong key typed: exit 2 saying it was the typed one; with CUSTDB_KEY given nothing is asked', async () => {
    const cwd = makeWorkdir();
    expect((await runCliInProcess(['init', '--encrypt'], { cwd, env: { CUSTDB_KEY: KEY } })).code).toBe(0);
    vi.mocked(prompts.askDatabaseKey).mockResolvedValueOnce('not it');
    const wrong = await inTerminal(cwd, ['query', '--count']);
    expect([wrong.code, wrong.stderr]).toEqual([2, expect.stringContaining('the key from the terminal does not open it')]);
    const given = await inTerminal(cwd, ['query', '--count'], { CUSTDB_KEY: KEY });
    expect([given.code, given.stdout]).toEqual([0, '0\n']);
    expect(prompts.askDatabaseKey).toHaveBeenCalledTimes(1);
  });

  it('custdb rekey in a terminal asks the current key first, then the new one twice', async () => {
    const cwd = makeWorkdir();
    expect((await runCliInProcess(['init', '--encrypt'], { cwd, env: { CUSTDB_KEY: KEY } })).code).toBe(0);
    const order: string[] = [];
    vi.mocked(prompts.askDatabaseKey).mockImplementationOnce(async () => (order.push('current'), KEY));
    vi.mocked(prompts.askNewDatabaseKey).mockImplementationOnce(async () => (order.push('new'), 'second passphrase'));
    const rekey = await inTerminal(cwd, ['rekey']);
    expect([rekey.code, rekey.stderr]).toEqual([0, '']);
    expect(order).toEqual(['current', 'new']);
    expect((await runCliInProcess(['query', '--count'], { cwd, env: { CUSTDB_KEY: 'second passphrase' } })).code).toBe(0);
  });
});
