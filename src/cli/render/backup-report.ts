import type { BackupResult } from '../../backup/take-backup.js';
import type { RestorePlan, RestoreResult } from '../../backup/restore-backup.js';
import type { CommandContext } from '../context.js';
import { formatCount } from './format-count.js';
import { renderTable } from './table.js';

/** Tables a person reads the size of a database by, first in the comparison; the rest follow by name when they hold rows. */
const MAIN_TABLES = ['customers', 'orders', 'order_items', 'interactions', 'events'];

/** "Wrote …/customers-2026-12-05.db (1.2 MB, 1,204 customers, 3,300 orders), encrypted with age." and what --keep removed. */
export function describeBackup(result: BackupResult): string {
  const rows = ['customers', 'orders', 'interactions']
    .filter((t) => result.counts[t] !== undefined)
    .map((t) => `${formatCount(result.counts[t]!)} ${t}`)
    .join(', ');
  const lines = [`Wrote ${result.file} (${formatBytes(result.bytes)}; ${rows})${result.encrypted ? ', encrypted with age' : ''}; verified against the database.`];
  if (result.keysFile !== undefined) lines.push(`Saved the key of the erased people's hashes as ${result.keysFile}: keep it with the backup.`);
  for (const file of result.removed) lines.push(`Removed the older backup ${file} (--keep).`);
  return lines.join('\n');
}

/** What a restore will replace: the backup's date and origin, and each table's rows now and in the backup. */
export function describeRestorePlan(ctx: CommandContext, plan: RestorePlan, location: string): string {
  const lines = [
    `Backup ${plan.file}${plan.encrypted ? ' (decrypted)' : ''}${plan.takenAt === undefined ? '' : `, taken ${plan.takenAt.slice(0, 19).replace('T', ' ')} UTC`}${plan.source === undefined ? '' : ` from ${plan.source}`}: sound.`,
  ];
  if (plan.currentProblem !== undefined) lines.push(`The database ${location} cannot be read (${plan.currentProblem}); it will be replaced whole.`);
  else if (plan.currentCounts === undefined) lines.push(`There is no database at ${location} yet; the backup will become it.`);
  const tables = [
    ...MAIN_TABLES.filter((t) => plan.backupCounts[t] !== undefined),
    ...Object.keys(plan.backupCounts)
      .filter((t) => !MAIN_TABLES.includes(t) && ((plan.backupCounts[t] ?? 0) > 0 || (plan.currentCounts?.[t] ?? 0) > 0))
      .sort(),
  ];
  lines.push(
    renderTable(
      ['table', 'now', 'backup'],
      tables.map((t) => [t, plan.currentCounts?.[t] === undefined ? '–' : formatCount(plan.currentCounts[t]!), formatCount(plan.backupCounts[t] ?? 0)]),
      ctx,
    ).trimEnd(),
  );
  if (plan.migrationsToApply.length > 0) lines.push(`The backup is from an older custdb; the restored database gets migration(s) ${plan.migrationsToApply.join(', ')}.`);
  return lines.join('\n');
}

export function describeRestore(result: RestoreResult): string {
  const lines = [`Restored ${result.location} from the backup.`];
  if (result.beforeRestore !== undefined) lines.push(`The database it replaced is kept as ${result.beforeRestore}.`);
  if (result.suppressionsCarried > 0) lines.push(`Carried over ${formatCount(result.suppressionsCarried)} suppression(s) of erased people; erased ${formatCount(result.erasedAgain)} person(s) again whom the backup still held.`);
  if (result.keysFile !== undefined) lines.push(`Put the backup's suppression key in place as ${result.keysFile}.`);
  return lines.join('\n');
}

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KiB', 'MiB', 'GiB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}
