import type { Command } from 'commander';
import { takeBackup } from '../../backup/take-backup.js';
import { UsageError } from '../../errors.js';
import { readBackupEncryption } from '../backup-keys.js';
import { withStore } from '../command-helpers.js';
import type { RunAction } from '../program.js';
import { describeBackup } from '../render/backup-report.js';
import { formatCount } from '../render/format-count.js';
import { writeJson, writeNote, writeResult } from '../render/output.js';

interface BackupFlags {
  dir?: string;
  keep?: string;
  encrypt?: boolean;
  recipient?: string[];
  recipientsFile?: string;
  passphrase?: boolean;
}

/** Copy progress is noted every this many rows of a table (a server database's copy goes table by table). */
const ROWS_PER_NOTE = 100_000;

export function registerBackup(program: Command, run: RunAction): void {
  program
    .command('backup')
    .description(
      'Write a verified copy of the database, taken while other commands may be writing: by default backups/<name>-YYYY-MM-DD.db beside the database (UTC date; a second backup that day adds -HHMMSS), readable by you only. Optionally encrypted with age.',
    )
    .argument('[file]', 'where to write the backup (default: a dated name in --dir)')
    .option('--dir <folder>', 'folder for the dated backup (default: "backups" beside the database; created if missing)')
    .option('--keep <n>', "after writing, remove this database's older dated backups in the backup's folder so that N remain")
    .option('--encrypt', 'encrypt the backup with age (give --recipient, --recipients-file or --passphrase)')
    .option('--recipient <age1…>', 'an age public key to encrypt to (repeatable)', (value: string, previous: string[] = []) => [...previous, value])
    .option('--recipients-file <file>', 'a file of age public keys, one per line')
    .option('--passphrase', 'encrypt with a passphrase: asked in a terminal, else taken from $CUSTDB_BACKUP_PASSPHRASE')
    .addHelpText(
      'after',
      `
Examples:
  $ custdb backup
  $ custdb backup --keep 14 --json                      (nightly, from cron)
  $ custdb backup /mnt/usb/customers.db
  $ custdb backup --encrypt --recipient age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p
  $ CUSTDB_BACKUP_PASSPHRASE=… custdb backup --encrypt --passphrase --dir /mnt/offsite

Exit codes: 0 written and verified, 2 not written (no file is left behind).`,
    )
    .action((file: string | undefined, flags: BackupFlags) =>
      run((ctx) =>
        withStore(ctx, async (store) => {
          const keep = flags.keep === undefined ? undefined : Number(flags.keep);
          if (keep !== undefined && (!Number.isInteger(keep) || keep < 1)) throw new UsageError(`--keep ${flags.keep} is not a number of backups.`, { hint: 'Use a whole number of at least 1, such as --keep 14.' });
          if (file !== undefined && flags.dir !== undefined) throw new UsageError('Give a FILE or --dir, not both.', { hint: 'FILE names the backup itself; --dir only the folder of a dated name.' });
          const encryption = await readBackupEncryption(ctx, flags);
          // Steps go to a terminal only: a cron log wants the one result line (or JSON document).
          const showSteps = ctx.io.stderrIsTTY && !ctx.quiet && !ctx.json;
          let noted = '';
          const result = await takeBackup(store, {
            file,
            dir: flags.dir,
            keep,
            encryption,
            onStep: (step, detail) => {
              if (!showSteps) return;
              if (detail === undefined) writeNote(ctx, { copy: 'Copying the database…', verify: 'Verifying the copy…', encrypt: 'Encrypting…' }[step]);
              else if (`${detail.table} ${Math.floor(detail.rows / ROWS_PER_NOTE)}` !== noted && detail.rows >= ROWS_PER_NOTE) {
                noted = `${detail.table} ${Math.floor(detail.rows / ROWS_PER_NOTE)}`;
                writeNote(ctx, `  ${detail.table}: ${formatCount(detail.rows)} rows`);
              }
            },
          });
          if (ctx.json) writeJson(ctx, result);
          else if (!ctx.quiet) writeResult(ctx, describeBackup(result));
          return 0;
        }),
      ),
    );
}
