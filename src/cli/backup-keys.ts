import type { BackupEncryption, BackupKey } from '../backup/age-files.js';
import { readIdentityFile, readRecipientsFile } from '../backup/age-files.js';
import { UsageError } from '../errors.js';
import type { CommandContext } from './context.js';

/** The environment variable a cron job sets to give a backup's passphrase without a terminal. */
export const PASSPHRASE_VARIABLE = 'CUSTDB_BACKUP_PASSPHRASE';

/**
 * A backup's passphrase: $CUSTDB_BACKUP_PASSPHRASE, else asked in a terminal
 * (twice when it is new), else a UsageError naming both ways to give it.
 */
export async function readPassphrase(ctx: CommandContext, isNew: boolean): Promise<string> {
  const given = ctx.io.env[PASSPHRASE_VARIABLE];
  if (given !== undefined && given !== '') return given;
  if (!ctx.interactive) {
    throw new UsageError('--passphrase needs the passphrase, and there is no terminal to ask in.', { hint: `Set ${PASSPHRASE_VARIABLE} in the environment.` });
  }
  const { askPassphrase } = await import('./prompts.js');
  const answer = await askPassphrase(ctx.io, isNew ? 'Passphrase for the backup' : 'Passphrase of the backup', isNew);
  if (answer === undefined || answer === '') throw new UsageError(answer === undefined ? 'The two passphrases differ.' : 'The passphrase is empty.', { hint: 'Run the command again.' });
  return answer;
}

/** Who a backup is encrypted to, from backup's flags; undefined when it is not to be encrypted. */
export async function readBackupEncryption(
  ctx: CommandContext,
  flags: { encrypt?: boolean; recipient?: string[]; recipientsFile?: string; passphrase?: boolean },
): Promise<BackupEncryption | undefined> {
  const recipients = [...(flags.recipient ?? []), ...(flags.recipientsFile === undefined ? [] : readRecipientsFile(flags.recipientsFile))];
  if (flags.passphrase && recipients.length > 0) {
    throw new UsageError('A backup is encrypted either to recipients or with a passphrase, not both.', { hint: 'Drop --passphrase, or the --recipient / --recipients-file options.' });
  }
  if (flags.passphrase) return { passphrase: await readPassphrase(ctx, true) };
  if (recipients.length > 0) return { recipients };
  if (flags.encrypt) {
    throw new UsageError('--encrypt needs someone to encrypt to.', { hint: 'Add --recipient age1… (repeatable), --recipients-file FILE, or --passphrase.' });
  }
  return undefined;
}

/** What opens an encrypted backup, from restore's flags; undefined when none was given. */
export async function readBackupKey(ctx: CommandContext, flags: { identity?: string; passphrase?: boolean }): Promise<BackupKey | undefined> {
  if (flags.identity !== undefined && flags.passphrase) throw new UsageError('Give --identity or --passphrase, not both.', { hint: 'An age backup opens with the one it was made for.' });
  if (flags.identity !== undefined) return readIdentityFile(flags.identity);
  if (flags.passphrase) return { passphrase: await readPassphrase(ctx, false) };
  return undefined;
}
