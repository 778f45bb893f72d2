import type { Command } from 'commander';
import { checkDatabase } from '../../doctor/check-database.js';
import type { RunAction } from '../program.js';
import { writeJson, writeResult } from '../render/output.js';

export function registerDoctor(program: Command, run: RunAction): void {
  program
    .command('doctor')
    .description('Check the database for damage: page integrity, foreign keys, migrations, file permissions, stored customer metrics. Exits 1 when it finds damage.')
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
          lines.push(`  metrics       ${report.checks.metrics}`);
          for (const f of report.findings) {
            lines.push(`${f.severity === 'error' ? paint.red('  problem:') : paint.yellow('  warning:')} [${f.check}] ${f.message}`);
          }
          const onlyMetrics = report.findings.every((f) => f.severity !== 'error' || f.check === 'metrics');
          lines.push(
            report.ok
              ? paint.green('No damage found.')
              : onlyMetrics
                ? paint.red('Stored customer metrics are out of step with the orders (the data itself is readable).')
                : paint.red('Damage found. Restore from a backup (custdb restore FILE) or export what is readable.'),
          );
          writeResult(ctx, lines.join('\n'));
        }
        return report.ok ? 0 : 1;
      }),
    );
}
