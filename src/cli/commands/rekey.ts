import type { Command } from 'commander';
import { UsageError } from '../../errors.js';
import { changeDatabaseKey, type ChangeKeyResult } from '../../setup/change-database-key.js';
import { confirmChange } from '../command-helpers.js';
import { databaseKey, readNewKey } from '../database-key.js';
import type { RunAction } from '../program.js';
import { writeJson, writeResult } from '../render/output.js';

export function registerRekey(program: Command, run: RunAction): void {
  program
    .command('rekey')
    .description(
      'Change the key of an encrypted database file, encrypt a file that is not, or (--decrypt) remove the encryption. All or nothing: if it fails, the old key still opens the file. Other custdb commands must not be using the file meanwhile.',
    )
    .option('--new-key-file <file>', 'file holding the new passphrase (default: $CUSTDB_NEW_KEY, else typed twice in a terminal)')
    .option('--decrypt', 'store the file unencrypted from now on (asks first; needs --yes when not in a terminal)')
    .addHelpText(
      'after',
      `
The current key is given as for every command (CUSTDB_KEY, --key-file, CUSTDB_KEY_FILE or typed);
a file that is not encrypted needs none.

Examples:
  $ custdb rekey                                       type the current key, then the new one twice
  $ CUSTDB_KEY=old CUSTDB_NEW_KEY=new custdb rekey      in a script
  $ custdb rekey --key-file old.key --new-key-file new.key
  $ CUSTDB_NEW_KEY=… custdb rekey --db plain.db         encrypt a database that is not encrypted yet
  $ custdb rekey --decrypt --yes                       store it unencrypted again`,
    )
    .action((flags: { newKeyFile?: string; decrypt?: boolean }) =>
      run(async (ctx) => {
        if (flags.decrypt === true && flags.newKeyFile !== undefined) {
          throw new UsageError('--decrypt removes the key, and --new-key-file gives a new one: choose one.', { hint: 'Drop one of the two.' });
        }
        if (flags.decrypt === true && !(await confirmChange(ctx, `Store ${ctx.dbLocation} unencrypted, readable by anyone who gets the file?`))) return 1;
        const readNext = flags.decrypt === true ? undefined : () => readNewKey(ctx, ctx.dbLocation, flags.newKeyFile);
        const result = await changeDatabaseKey(ctx.dbLocation, { current: databaseKey(ctx), readNext, actor: ctx.actor });
        if (ctx.json) writeJson(ctx, result);
        else if (!ctx.quiet) writeResult(ctx, describeRekey(result));
        return 0;
      }),
    );
}

function describeRekey(result: ChangeKeyResult): string {
  if (result.outcome === 'decrypted') return `Decrypted ${result.path}: it is stored unencrypted now, and opens without a key.`;
  const verb = result.outcome === 'encrypted' ? 'Encrypted' : 'Changed the key of';
  return `${verb} ${result.path} (${result.cipher}): from now on it opens only with the new key.`;
}
