/**
 * How backups are named and which of them a rotation keeps. Pure: the caller
 * lists the folder and removes the files.
 *
 * A backup of `customers.db` taken on 5 Dec 2026 (UTC) is
 * `customers-2026-12-05.db`; a second one that day gets the time too,
 * `customers-2026-12-05-143000.db`; encrypted ones end in `.age`.
 */

export interface BackupName {
  file: string;
  /** Date and time it was taken, as sortable text: 'YYYY-MM-DD' + ('HHMMSS' or '' for the first of its day). */
  sortKey: string;
  /** When it was taken, to the second (midnight UTC for a name that carries only the day). */
  takenAt: Date;
}

/** The default name of a backup of database `dbName` taken at `now`: the day alone, or day and time when the day's name is in `taken`. */
export function defaultBackupName(dbName: string, now: Date, encrypted: boolean, taken: ReadonlySet<string>): string {
  const iso = now.toISOString();
  const day = iso.slice(0, 10);
  const suffix = encrypted ? '.db.age' : '.db';
  const daily = `${dbName}-${day}${suffix}`;
  if (!taken.has(daily)) return daily;
  return `${dbName}-${day}-${iso.slice(11, 19).replaceAll(':', '')}${suffix}`;
}

/** Reads a file name as a backup of `dbName` (default naming); undefined for any other file. */
export function parseBackupName(dbName: string, file: string): BackupName | undefined {
  if (!file.startsWith(`${dbName}-`)) return undefined;
  const match = /^(\d{4}-\d{2}-\d{2})(?:-(\d{2})(\d{2})(\d{2}))?\.db(?:\.age)?$/.exec(file.slice(dbName.length + 1));
  if (!match) return undefined;
  const [, day, hh = '00', mm = '00', ss = '00'] = match;
  const takenAt = new Date(`${day}T${hh}:${mm}:${ss}Z`);
  if (Number.isNaN(takenAt.getTime())) return undefined;
  return { file, sortKey: `${day}${match[2] === undefined ? '' : `${hh}${mm}${ss}`}`, takenAt };
}

/** The backups of `dbName` among `files`, newest first. */
export function findBackups(dbName: string, files: readonly string[]): BackupName[] {
  return files
    .map((file) => parseBackupName(dbName, file))
    .filter((name): name is BackupName => name !== undefined)
    .sort((a, b) => (a.sortKey < b.sortKey ? 1 : a.sortKey > b.sortKey ? -1 : 0));
}

/** Which backups of `dbName` among `files` a rotation removes so that the newest `keep` remain. */
export function planRotation(dbName: string, files: readonly string[], keep: number): string[] {
  return findBackups(dbName, files)
    .slice(keep)
    .map((name) => name.file);
}
