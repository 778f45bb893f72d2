import type { BackupInspection, BackupSource } from '../db/backup-file.js';

/**
 * What differs between a backup file and what it should hold: damage the
 * file reports, other migrations, a table with other rows than expected.
 * Pure; an empty list means the file holds what was copied.
 *
 * @example
 * compareBackup(inspectBackupFile(file), { migrations, counts }) // ['customers: 998 rows, expected 1000']
 */
export function compareBackup(inspection: BackupInspection, expected: BackupSource): string[] {
  if (inspection.damage.length > 0) return inspection.damage;
  const problems: string[] = [];
  if (inspection.migrations.join(',') !== expected.migrations.join(',')) {
    problems.push(`schema: migrations ${inspection.migrations.join(', ')}, expected ${expected.migrations.join(', ')}`);
  }
  const tables = new Set([...Object.keys(inspection.counts), ...Object.keys(expected.counts)]);
  for (const table of [...tables].sort()) {
    const found = inspection.counts[table];
    const wanted = expected.counts[table];
    if (found !== wanted) problems.push(`${table}: ${found ?? 'no table'} rows, expected ${wanted ?? 'no table'}`);
  }
  return problems;
}
