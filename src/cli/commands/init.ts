import type { Command } from 'commander';
import { initDatabase, type InitResult } from '../../setup/init-database.js';
import { databaseKey, newDatabaseKey } from '../database-key.js';
import type { RunAction } from '../program.js';
import { writeJson, writeResult } from '../render/output.js';

export function registerInit(program: Command, run: RunAction): void {
  program
    .command('init')
    .description('Create a new customer database, or bring an existing one up to date.')
    .option('--encrypt', 'create the database file encrypted (key from CUSTDB_KEY, --key-file, or typed twice in a terminal)')
    .addHelpText(
      'after',
      `
Examples:
  $ custdb init                        create ./customers.db (or update it)
  $ custdb init --db /srv/shop/crm.db  create the database somewhere else
  $ CUSTDB_DB=crm.db custdb init       same, through the environment
  $ custdb init -q                     in a setup script: prints nothing unless it fails
  $ custdb init --encrypt              create it encrypted; asks for the key (twice) in a terminal
  $ custdb init --encrypt --key-file ~/.config/custdb/key
                                       the key from a file; every later command needs it too`,
    )
    .action((flags: { encrypt?: boolean }) =>
      run(async (ctx) => {
        const encrypt = flags.encrypt === true;
        const result = await initDatabase(ctx.dbLocation, ctx.actor, { encrypt, key: encrypt ? newDatabaseKey(ctx) : databaseKey(ctx) });
        if (ctx.json) writeJson(ctx, result);
        // A setup script or cron job runs "init -q" to make sure the database is there and current; success needs no words.
        else if (!ctx.quiet) writeResult(ctx, describeInit(result));
        return 0;
      }),
    );
}

function describeInit(result: InitResult): string {
  const encrypted = result.cipher === null ? '' : `, encrypted with ${result.cipher}`;
  if (result.outcome === 'created') {
    return result.mode === null
      ? `Created custdb's tables in ${result.path}; schema ${result.schemaVersion}.`
      : `Created ${result.path} (readable by you only, mode ${result.mode}${encrypted}); schema ${result.schemaVersion}.`;
  }
  if (result.outcome === 'migrated') return `Updated ${result.path}${encrypted}: applied ${result.applied.join(', ')}.`;
  return `${result.path} is up to date (schema ${result.schemaVersion}${encrypted}).`;
}
