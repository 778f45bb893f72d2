import { userInfo } from 'node:os';
import { isClosedOutput, type Io } from './io.js';
import { runCli } from './run-cli.js';

// The process edge: everything here runs on import. runCli lives in its own module so tests can
// run many commands in one process without this file's side effects.

function currentUser(): string {
  try {
    return userInfo().username;
  } catch {
    return process.env.USER ?? 'unknown';
  }
}

// Writes that fail because the reader has gone are dropped here, once, instead of crashing whichever command wrote last;
// an export waiting on the output stops with the same error, which runCli ends quietly.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error) => {
    if (!isClosedOutput(error)) throw error;
  });
}

const io: Io = {
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  stdoutIsTTY: process.stdout.isTTY === true,
  stderrIsTTY: process.stderr.isTTY === true,
  stdinIsTTY: process.stdin.isTTY === true,
  env: process.env,
  user: currentUser(),
};

process.exitCode = await runCli(process.argv.slice(2), io);
