import type { Command } from 'commander';
import { initDatabase } from '../../setup/init-database.js';
import type { RunAction } from '../program.js';
import { writeJson, writeResult } from '../render/output.js';

export function registerInit(program: Command, run: RunAction): void {
  program
    .command('init')
    .description('Create a new customer database, or bring an existing one up to date.')
    .addHelpText(
      'after',
      `
Examples:
  $ custdb init                        create ./customers.db (or update it)
  $ custdb init --db /srv/shop/crm.db  create the database somewhere else
  $ CUSTDB_DB=crm.db custdb init       same, through the environment`,
    )
    .action(() =>
      run(async (ctx) => {
        const result = await initDatabase(ctx.dbLocation, ctx.actor);
        if (ctx.json) {
          writeJson(ctx, result);
        } else if (result.outcome === 'created') {
          writeResult(ctx, `Created ${result.path} (readable by you only, mode ${result.mode}); schema ${result.schemaVersion}.`);
        } else if (result.outcome === 'migrated') {
          writeResult(ctx, `Updated ${result.path}: applied ${result.applied.join(', ')}.`);
        } else {
          writeResult(ctx, `${result.path} is up to date (schema ${result.schemaVersion}).`);
        }
        return 0;
      }),
    );
}
