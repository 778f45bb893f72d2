import type { Command } from 'commander';
import { checkDatabase } from '../../doctor/check-database.js';
import type { RunAction } from '../program.js';
import { writeJson, writeResult } from '../render/output.js';

export function registerDoctor(program: Command, run: RunAction): void {
  program
    .command('doctor')
    .description('Check the database for damage: page integrity, foreign keys, migrations, file permissions. Exits 1 when it finds damage.')
    .addHelpText(
      'after',
      `
Examples:
  $ custdb doctor
  $ custdb doctor --db backup-copy.db --json`,
    )
    .action(() =>
      run(async (ctx) => {
        const report = await checkDatabase(ctx.dbLocation);
        if (ctx.json) {
          writeJson(ctx, report);
        } else {
          const { paint } = ctx;
          const lines = [`Checked ${report.path}`];
          lines.push(`  integrity     ${report.checks.integrity}`);
          lines.push(`  foreign keys  ${report.checks.foreignKeys}`);
          lines.push(`  migrations    ${report.checks.migrations}`);
          for (const f of report.findings) {
            lines.push(`${f.severity === 'error' ? paint.red('  problem:') : paint.yellow('  warning:')} [${f.check}] ${f.message}`);
          }
          lines.push(report.ok ? paint.green('No damage found.') : paint.red('Damage found. Restore from a backup (custdb restore FILE) or export what is readable.'));
          writeResult(ctx, lines.join('\n'));
        }
        return report.ok ? 0 : 1;
      }),
    );
}
