import { readFileSync } from 'node:fs';
import { Command, Option } from 'commander';
import { makeContext, type CommandContext, type GlobalOptions } from './context.js';
import type { Io } from './io.js';
import { registerInit } from './commands/init.js';
import { registerDoctor } from './commands/doctor.js';
import { registerImport } from './commands/import.js';
import { registerImports } from './commands/imports.js';
import { registerExport } from './commands/export.js';
import { registerConfig } from './commands/config.js';
import { registerDedupe } from './commands/dedupe.js';
import { registerMerges } from './commands/merges.js';
import { registerShow } from './commands/show.js';
import { registerCustomers } from './commands/customers.js';
import { registerAccess } from './commands/access.js';
import { registerRekey } from './commands/rekey.js';
import { registerQuery } from './commands/query.js';
import { registerSegment } from './commands/segment.js';
import { registerValidate } from './commands/validate.js';
import { registerReport } from './commands/report.js';
import { registerAnalytics } from './commands/analytics.js';
import { registerPrivacy } from './commands/privacy.js';
import { registerPurge } from './commands/purge.js';
import { registerLog } from './commands/log.js';
import { registerPrivacyConsent } from './commands/privacy-consent.js';
import { registerBackup } from './commands/backup.js';
import { registerRestore } from './commands/restore.js';
import { explainRefusal } from '../access/explain-refusal.js';

const PACKAGE = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

/** Runs one command's body with the parsed global options; the body returns the exit code. */
export type RunAction = (action: (ctx: CommandContext) => Promise<number>) => Promise<void>;

/**
 * Every command and flag, readable in one place. `onExit` receives the exit
 * code a command body returned; errors propagate to main.ts.
 */
export function buildProgram(io: Io, onExit: (code: number) => void): Command {
  const program = new Command('custdb');
  program
    .description("A small business's customer database in one SQLite file: import, clean, dedupe, segment and report from the terminal.")
    .version(PACKAGE.version, '-V, --version', 'print the custdb version')
    .addOption(new Option('--db <path>', 'database file (default: $CUSTDB_DB, else ./customers.db)'))
    .option('--json', 'print one JSON document on stdout instead of text')
    .option('-q, --quiet', 'print nothing but results and errors')
    .option('-y, --yes', 'answer yes to confirmations (needed when not in a terminal)')
    .option('--no-color', 'no colours (also when NO_COLOR is set or output is not a terminal)')
    .option('--actor <name>', 'who to record in the audit log (default: your OS user name)')
    .option('--key-file <file>', "file holding an encrypted database's passphrase (default: $CUSTDB_KEY_FILE; else the passphrase in $CUSTDB_KEY)")
    .showSuggestionAfterError(true)
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
    })
    .addHelpText(
      'after',
      `
Examples:
  $ custdb init
  $ custdb import shopify-customers.csv
  $ custdb export customers -o customers.csv
  $ custdb --json doctor

Exit codes: 0 did what was asked, 1 ran but found or refused something, 2 could not run.`,
    )
    .exitOverride();

  // The full name of the command about to run (`customers edit`), for messages that say what it needed.
  let commandName = '';
  program.hook('preAction', (_program, actionCommand) => {
    const names: string[] = [];
    for (let command: Command | null = actionCommand; command !== null && command !== program; command = command.parent) names.unshift(command.name());
    commandName = names.join(' ');
  });

  const run: RunAction = async (action) => {
    const ctx = makeContext(io, program.opts<GlobalOptions>(), commandName);
    try {
      onExit(await action(ctx));
    } catch (error) {
      // A server's refusal (a role without the privilege) is said in custdb's terms: who you are, what this needed.
      throw explainRefusal(error, ctx.command);
    }
  };

  registerInit(program, run);
  registerImport(program, run);
  registerImports(program, run);
  registerExport(program, run);
  registerQuery(program, run);
  registerSegment(program, run);
  registerReport(program, run);
  registerAnalytics(program, run);
  registerConfig(program, run);
  registerDedupe(program, run);
  registerMerges(program, run);
  registerShow(program, run);
  registerCustomers(program, run);
  registerValidate(program, run);
  registerDoctor(program, run);
  registerAccess(program, run);
  registerRekey(program, run);
  registerPrivacyConsent(registerPrivacy(program, run), run);
  registerPurge(program, run);
  registerLog(program, run);
  registerBackup(program, run);
  registerRestore(program, run);

  // Every subcommand shares the root's output routing and error handling, and reports bad usage with a pointer to its help.
  const shareConventions = (command: Command) => {
    command.exitOverride().showSuggestionAfterError(true).configureOutput(program.configureOutput());
    command.commands.forEach(shareConventions);
  };
  program.commands.forEach(shareConventions);
  return program;
}
