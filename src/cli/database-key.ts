import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { DatabaseKey, KeySupply } from '../db/open-store.js';
import { InputFileError, UsageError } from '../errors.js';
import type { CommandContext } from './context.js';

/**
 * The key of an encrypted database as every command takes it: --key-file,
 * else $CUSTDB_KEY_FILE, else the passphrase in $CUSTDB_KEY, else (in a
 * terminal) a prompt. Nothing is read until a database turns out to need it.
 */
export function databaseKey(ctx: CommandContext): KeySupply {
  const supply: KeySupply = { given: () => givenKey(ctx) };
  if (ctx.interactive) {
    supply.ask = async (file) => {
      const { askDatabaseKey } = await import('./prompts.js');
      return passphraseKey(await askDatabaseKey(ctx.io, file), 'the terminal');
    };
  }
  return supply;
}

/**
 * The key for a database about to be encrypted (`init --encrypt`): given as
 * for any command, else asked for twice in a terminal, so a typing slip
 * cannot lock the owner out of a new file.
 */
export function newDatabaseKey(ctx: CommandContext): KeySupply {
  const supply: KeySupply = { given: () => givenKey(ctx) };
  if (ctx.interactive) supply.ask = async (file) => askNewKey(ctx, file);
  return supply;
}

/**
 * The new key of `rekey`: --new-key-file, else $CUSTDB_NEW_KEY, else asked
 * for twice in a terminal. Throws UsageError when there is none.
 */
export async function readNewKey(ctx: CommandContext, file: string, newKeyFile: string | undefined): Promise<DatabaseKey> {
  if (newKeyFile !== undefined) return readKeyFile(newKeyFile, '--new-key-file');
  const fromEnv = ctx.io.env.CUSTDB_NEW_KEY;
  if (fromEnv !== undefined && fromEnv !== '') return passphraseKey(fromEnv, 'CUSTDB_NEW_KEY');
  if (ctx.interactive) return askNewKey(ctx, file);
  throw new UsageError('rekey needs the new key, and none was given.', {
    hint: 'Give it with --new-key-file FILE or CUSTDB_NEW_KEY (the passphrase), or run rekey in a terminal to type it; --decrypt removes the encryption instead.',
  });
}

function givenKey(ctx: CommandContext): DatabaseKey | undefined {
  if (ctx.keyFile !== undefined) return readKeyFile(ctx.keyFile, ctx.keyFileSource);
  const passphrase = ctx.io.env.CUSTDB_KEY;
  return passphrase === undefined || passphrase === '' ? undefined : passphraseKey(passphrase, 'CUSTDB_KEY');
}

async function askNewKey(ctx: CommandContext, file: string): Promise<DatabaseKey> {
  const { askNewDatabaseKey } = await import('./prompts.js');
  const typed = await askNewDatabaseKey(ctx.io, file);
  if (typed === undefined) throw new UsageError('The two keys typed differ; nothing was changed.', { hint: 'Run the command again and type the same key twice.' });
  return passphraseKey(typed, 'the terminal');
}

function passphraseKey(passphrase: string, source: string): DatabaseKey {
  if (passphrase === '') throw new UsageError(`The key from ${source} is empty.`, { hint: 'Give a passphrase; an empty one would mean no encryption.' });
  return { secret: Buffer.from(passphrase, 'utf8'), source };
}

/** A key file holds the passphrase as bytes; one final line break (an editor's, `echo`'s) is not part of it. */
function readKeyFile(file: string, option: string): DatabaseKey {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new InputFileError(`Cannot read the key file ${file} (${option}): ${code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : String(code)}.`, {
      hint: 'Point it at the file that holds the passphrase.',
      cause: error,
    });
  }
  const end = bytes.at(-1) === 0x0a ? (bytes.at(-2) === 0x0d ? bytes.length - 2 : bytes.length - 1) : bytes.length;
  const source = `key file ${path.resolve(file)}`;
  if (end === 0) throw new UsageError(`The ${source} is empty.`, { hint: 'Put the passphrase in it; an empty one would mean no encryption.' });
  return { secret: bytes.subarray(0, end), source };
}
