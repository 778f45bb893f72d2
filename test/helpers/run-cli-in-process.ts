import { Readable } from 'node:stream';
import { runCli } from '../../src/cli/run-cli.js';
import { collectStream } from './collect-stream.js';
import type { CliResult } from './run-cli.js';

/**
 * Runs custdb inside the test process: the same commands, error handling and exit
 * codes as the binary, without ~0.5 s of Node start-up per command, for suites that
 * run thousands. Standardising runs on this thread (CUSTDB_IMPORT_THREADS=0): the
 * worker scripts exist only as built JavaScript, which the binary exercises.
 */
export async function runCliInProcess(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  const stdout = collectStream();
  const stderr = collectStream();
  const code = await runCli(args, {
    stdout: stdout.stream,
    stderr: stderr.stream,
    stdin: Readable.from([]),
    stdoutIsTTY: false,
    stderrIsTTY: false,
    stdinIsTTY: false,
    env: { NO_COLOR: '1', CUSTDB_IMPORT_THREADS: '0', ...env },
    user: 'fuzz',
  });
  // A PassThrough may hand over what was written last on a later turn of the event loop.
  await new Promise((resolve) => setImmediate(resolve));
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}
