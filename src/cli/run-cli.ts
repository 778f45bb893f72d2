import { CommanderError } from 'commander';
import { CustdbError } from '../errors.js';
import { buildProgram } from './program.js';
import { inertText } from '../text/inert-text.js';
import { isClosedOutput, type Io } from './io.js';

/**
 * Runs custdb with the given arguments and returns the exit code:
 * 0 did what was asked, 1 ran but found or refused something, 2 could not run.
 */
export async function runCli(argv: string[], io: Io): Promise<number> {
  let exitCode = 0;
  const program = buildProgram(io, (code) => {
    exitCode = code;
  });
  const jsonRequested = argv.includes('--json');
  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (error) {
    // A reader that stopped reading (head, a pager quit early) is not a failure: nothing more to say, and no one to say it to.
    if (isClosedOutput(error)) return 0;
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') return 0;
      // commander has already printed "error: …" (with a suggestion when one is close); point at the help.
      const command = argv.find((arg) => !arg.startsWith('-') && program.commands.some((c) => c.name() === arg));
      io.stderr.write(`Run "custdb ${command ? `${command} ` : ''}--help" to see what it accepts.\n`);
      if (jsonRequested) io.stdout.write(`${JSON.stringify({ error: { kind: 'UsageError', message: error.message } }, null, 2)}\n`);
      return 2;
    }
    if (error instanceof CustdbError) {
      // Messages quote file names, header cells and values: shown inert, never acted on by the terminal.
      io.stderr.write(`custdb: ${inertText(error.message)}\n`);
      if (error.hint) io.stderr.write(`  ${inertText(error.hint)}\n`);
      if (jsonRequested) {
        io.stdout.write(`${JSON.stringify({ error: { kind: error.name, message: error.message, hint: error.hint ?? null } }, null, 2)}\n`);
      }
      return error.exitCode;
    }
    const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
    io.stderr.write(`custdb: internal error — this is a bug in custdb, please report it with the text below.\n${inertText(detail)}\n`);
    if (jsonRequested) io.stdout.write(`${JSON.stringify({ error: { kind: 'InternalError', message: String(error) } }, null, 2)}\n`);
    return 2;
  }
}
