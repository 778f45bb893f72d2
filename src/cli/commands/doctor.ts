import type { Command } from 'commander';
import { checkDatabase } from '../../doctor/check-database.js';
import type { RunAction } from '../program.js';
import { writeJson, writeResult } from '../render/output.js';

export function registerDoctor(program: Command, run: RunAction): void {
  program
    .command('doctor')
    .description('Check the database for damage: page integrity, foreign keys, migrations, file permissions, stored customer metrics. Exits 1 when it finds damage.')
    .option('--fix', 'recompute stored customer metrics that disagree with the orders and interactions (the one finding doctor repairs; recorded in the audit log)')
    .addHelpText(
      'after',
      `
Examples:
  $ custdb doctor
  $ custdb doctor --db backup-copy.db --json
  $ custdb doctor --fix`,
    )
    .action((flags: { fix?: boolean }) =>
      run(async (ctx) => {
        const report = await checkDatabase(ctx.dbLocation, flags.fix ? { fix: { actor: ctx.actor } } : {});
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
                ? paint.red('Stored customer metrics are out of step with the orders (the data itself is readable); "custdb doctor --fix" recomputes them.')
                : paint.red('Damage found. Restore from a backup (custdb restore FILE) or export what is readable.'),
          );
          writeResult(ctx, lines.join('\n'));
        }
        return report.ok ? 0 : 1;
      }),
    );
}
