import type { Command } from 'commander';
import { prepareRestore } from '../../backup/restore-backup.js';
import { reapplyErasures } from '../../privacy/reapply-erasures.js';
import { readBackupKey } from '../backup-keys.js';
import { confirmChange } from '../command-helpers.js';
import { databaseKey } from '../database-key.js';
import type { RunAction } from '../program.js';
import { describeRestore, describeRestorePlan } from '../render/backup-report.js';
import { writeJson, writeNote, writeResult } from '../render/output.js';

export function registerRestore(program: Command, run: RunAction): void {
  program
    .command('restore')
    .description(
      'Replace the database with a backup, after checking the backup (integrity, schema version, row counts): shows what will be replaced, asks (or needs --yes), keeps the old database file as <file>.before-restore, and swaps it in at once.',
    )
    .argument('<file>', 'a backup written by "custdb backup" (plain, or age-encrypted)')
    .option('--identity <file>', 'the age identity file (age-keygen output) that opens an encrypted backup')
    .option('--passphrase', 'open an encrypted backup with its passphrase: asked in a terminal, else taken from $CUSTDB_BACKUP_PASSPHRASE')
    .addHelpText(
      'after',
      `
Examples:
  $ custdb restore backups/customers-2026-12-05.db
  $ custdb restore backups/customers-2026-12-05.db.age --identity ~/.config/custdb/backup-key.txt
  $ custdb restore customers-2026-12-05.db --yes --json

Exit codes: 0 restored, 2 nothing replaced (the backup is damaged, cut short, from a newer custdb, or cannot be decrypted; the database is in use; no --yes without a terminal).`,
    )
    .action((file: string, flags: { identity?: string; passphrase?: boolean }) =>
      run(async (ctx) => {
        const key = await readBackupKey(ctx, flags);
        const prepared = await prepareRestore(ctx.dbLocation, file, key, databaseKey(ctx));
        try {
          if (!ctx.json) writeNote(ctx, describeRestorePlan(ctx, prepared.plan, ctx.dbLocation));
          if (!(await confirmChange(ctx, `Replace ${ctx.dbLocation} with this backup?`))) return 1;
          const result = await prepared.apply({ actor: ctx.actor, reapplyErasures: (store) => reapplyErasures(store, ctx.actor) });
          // Every key always there (null when unknown), so a script can rely on the shape.
          const { plan } = prepared;
          if (ctx.json) {
            writeJson(ctx, {
              ...plan,
              takenAt: plan.takenAt ?? null,
              source: plan.source ?? null,
              currentCounts: plan.currentCounts ?? null,
              currentProblem: plan.currentProblem ?? null,
              ...result,
              beforeRestore: result.beforeRestore ?? null,
              keysFile: result.keysFile ?? null,
            });
          }
          else writeResult(ctx, describeRestore(result));
          return 0;
        } finally {
          prepared.dispose();
        }
      }),
    );
}
