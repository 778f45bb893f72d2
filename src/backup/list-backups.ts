import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { findBackups } from './backup-names.js';

export interface BackupOnDisk {
  file: string;
  /** Permission bits (0o600 as written). */
  mode: number;
  /** When it was written (the rename keeps the time its copy was finished). */
  modifiedAt: Date;
}

/** The dated backups of `dbName` in `folder`, newest first; none when the folder does not exist. */
export function listBackups(folder: string, dbName: string): BackupOnDisk[] {
  let files: string[];
  try {
    files = readdirSync(folder);
  } catch {
    return [];
  }
  return findBackups(dbName, files).map((name) => {
    const file = path.join(folder, name.file);
    const stat = statSync(file);
    return { file, mode: stat.mode & 0o777, modifiedAt: stat.mtime };
  });
}
