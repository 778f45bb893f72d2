import { Option, type Command } from 'commander';
import { readAsOf } from '../../query/read-as-of.js';
import { countFindingsAtLeast, DEFAULT_STALE_AFTER, validateDatabase } from '../../validate/validate-database.js';
import { readDuration, withStore } from '../command-helpers.js';
import type { RunAction } from '../program.js';
import { writeJson, writeResult } from '../render/output.js';
import { renderValidation } from '../render/validation-findings.js';

interface ValidateFlags {
  staleAfter: string;
  failOn: 'warning' | 'error';
  asOf?: string;
}

export function registerValidate(program: Command, run: RunAction): void {
  program
    .command('validate')
    .description(
      'Check the quality of the data: how complete the main fields are, invalid emails, phones, postal codes, dates and countries, ' +
        'customers with no way to contact them or no consent answer, duplicates to review, stale customers, orders whose totals ' +
        'disagree with their items. Each finding has a count, example ids and the command that inspects or fixes it. Changes nothing.',
    )
    .option('--stale-after <span>', 'customers with no order or interaction for this long are stale: years, months or days (3y, 18m, 90d)', DEFAULT_STALE_AFTER.text)
    .addOption(new Option('--fail-on <level>', 'exit 1 when a finding of this severity or worse found something').choices(['warning', 'error']).default('error'))
    .option('--as-of <date>', 'judge future dates and staleness as of this day (YYYY-MM-DD; default today)')
    .addHelpText(
      'after',
      `
Examples:
  $ custdb validate
  $ custdb validate --stale-after 18m --json
  $ custdb validate --fail-on warning -q     (for cron) exit 1 on any warning or error

Exit codes: 0 no finding at the --fail-on level; 1 some; 2 could not run (bad option, no database).`,
    )
    .action((flags: ValidateFlags) =>
      run(async (ctx) => {
        const staleAfter = readDuration('--stale-after', flags.staleAfter);
        const asOf = readAsOf(flags.asOf);
        return withStore(ctx, async (store) => {
          const result = await validateDatabase(store, { asOf, staleAfter });
          const failing = countFindingsAtLeast(result, flags.failOn);
          if (ctx.json) writeJson(ctx, result);
          // --quiet is for cron: nothing when nothing fails.
          else if (!ctx.quiet || failing > 0) writeResult(ctx, renderValidation(result, ctx));
          return failing > 0 ? 1 : 0;
        });
      }),
    );
}

