import path from 'node:path';
import type { Store } from '../db/store.js';

/** The database's name in backup file names: a file's name without its extension, a server database's name. */
export function databaseNameOf(store: Pick<Store, 'file' | 'location'>): string {
  if (store.file !== undefined) return path.basename(store.file).replace(/\.[^.]*$/, '') || 'customers';
  return decodeURIComponent(new URL(store.location).pathname.slice(1)) || 'customers';
}

/** Where backups go by default: `backups` beside the database file; for a server database, `backups` in the current folder. */
export function backupFolderOf(store: Pick<Store, 'file'>): string {
  return store.file !== undefined ? path.join(path.dirname(store.file), 'backups') : path.resolve('backups');
}
