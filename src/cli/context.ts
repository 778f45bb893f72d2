import { Chalk, type ChalkInstance } from 'chalk';
import type { Io } from './io.js';

/** Global options, as every command sees them after commander has parsed them. */
export interface GlobalOptions {
  db?: string;
  json?: boolean;
  quiet?: boolean;
  yes?: boolean;
  color?: boolean;
  actor?: string;
  keyFile?: string;
}

export interface CommandContext {
  io: Io;
  /** The command's full name as typed (`customers edit`), for messages about what it needed. */
  command: string;
  /** Database location: --db, else $CUSTDB_DB, else ./customers.db. */
  dbLocation: string;
  json: boolean;
  quiet: boolean;
  yes: boolean;
  actor: string;
  /** File holding an encrypted database's passphrase: --key-file, else $CUSTDB_KEY_FILE (see database-key.ts). */
  keyFile: string | undefined;
  /** Which of the two named keyFile, for messages. */
  keyFileSource: string;
  /** True when prompts may be shown: stdin and stderr are terminals and --json is off. */
  interactive: boolean;
  /** Colours for stderr/terminal text; level 0 when NO_COLOR, --no-color or not a TTY. */
  paint: ChalkInstance;
}

export function makeContext(io: Io, options: GlobalOptions, command = ''): CommandContext {
  const colorWanted = options.color !== false && io.env.NO_COLOR === undefined && io.env.TERM !== 'dumb';
  const json = options.json === true;
  return {
    io,
    command,
    dbLocation: options.db ?? io.env.CUSTDB_DB ?? 'customers.db',
    json,
    quiet: options.quiet === true,
    yes: options.yes === true,
    actor: options.actor ?? io.user,
    keyFile: options.keyFile ?? (io.env.CUSTDB_KEY_FILE || undefined),
    keyFileSource: options.keyFile !== undefined ? '--key-file' : 'CUSTDB_KEY_FILE',
    interactive: io.stdinIsTTY && io.stderrIsTTY && !json,
    paint: new Chalk({ level: colorWanted && io.stdoutIsTTY ? 1 : 0 }),
  };
}
