import type { Command } from 'commander';
import { isPostgresUrl } from '../../db/open-store.js';
import { checkDatabase } from '../../doctor/check-database.js';
import { databaseKey } from '../database-key.js';
import type { RunAction } from '../program.js';
import { writeJson, writeResult } from '../render/output.js';

export function registerDoctor(program: Command, run: RunAction): void {
  program
    .command('doctor')
    .description('Check the database for damage: page integrity, foreign keys, migrations, file permissions, stored customer metrics, the audit log\'s hash chain. Exits 1 when it finds damage.')
    .option('--fix', 'recompute stored customer metrics that disagree with the orders and interactions (the one finding doctor repairs; recorded in the audit log)')
    .addHelpText(
      'after',
      `
Examples:
  $ custdb doctor
  $ custdb doctor --db backup-copy.db --json
  $ custdb doctor --fix
  $ custdb doctor -q              (for cron) silent when all is well; prints findings and exits 1 on damage`,
    )
    .action((flags: { fix?: boolean }) =>
      run(async (ctx) => {
        const report = await checkDatabase(ctx.dbLocation, { key: databaseKey(ctx), ...(flags.fix ? { fix: { actor: ctx.actor } } : {}) });
        if (ctx.json) {
          writeJson(ctx, report);
        } else {
          const { paint } = ctx;
          // --quiet is for cron: nothing when all is well, else which file, the findings and what to do about them.
          if (ctx.quiet && report.findings.length === 0) return 0;
          const lines = [`Checked ${report.path}`];
          if (!ctx.quiet) {
            lines.push(`  integrity     ${report.checks.integrity}`);
            lines.push(`  foreign keys  ${report.checks.foreignKeys}`);
            lines.push(`  migrations    ${report.checks.migrations}`);
            lines.push(`  metrics       ${report.checks.metrics}`);
            if (report.cipher !== null) lines.push(`  encrypted     yes (${report.cipher})`);
            lines.push(`  audit log     ${report.checks.auditLog}`);
            const { backups } = report.checks;
            if (backups !== 'not-run') {
              lines.push(`  backups       ${backups.newestAt === null ? 'none' : `${backups.count}, newest written ${backups.newestAt.slice(0, 16).replace('T', ' ')} UTC`}`);
            }
          }
          for (const f of report.findings) {
            lines.push(`${f.severity === 'error' ? paint.red('  problem:') : paint.yellow('  warning:')} [${f.check}] ${f.message}`);
          }
          const onlyMetrics = report.findings.every((f) => f.severity !== 'error' || f.check === 'metrics');
          if (report.ok) {
            if (!ctx.quiet) lines.push(paint.green('No damage found.'));
          } else if (report.findings.every((f) => f.severity !== 'error' || f.check === 'audit-log')) {
            lines.push(paint.red('The audit log was edited outside custdb (the data itself is readable). Compare it with a backup to see what was changed.'));
          } else if (onlyMetrics) {
            lines.push(paint.red('Stored customer metrics are out of step with the orders (the data itself is readable); "custdb doctor --fix" recomputes them.'));
          } else {
            // The newest dated backup is named when there is one; restore checks it before replacing anything.
            const newest = report.checks.backups === 'not-run' ? null : report.checks.backups.newestFile;
            const restore = newest === null ? 'Restore a backup with "custdb restore FILE"' : `Restore the newest backup with "custdb restore ${newest}"`;
            lines.push(
              paint.red(
                `Damage found. ${restore}${isPostgresUrl(report.path) ? '' : ` (it keeps the damaged file as ${report.path}.before-restore)`}, or rescue what is readable with ` +
                  `sqlite3 "${report.path}" .recover | sqlite3 rescued.db and check it with "custdb doctor --db rescued.db".`,
              ),
            );
          }
          writeResult(ctx, lines.join('\n'));
        }
        return report.ok ? 0 : 1;
      }),
    );
}
