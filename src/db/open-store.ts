import type { MigrationState } from './compare-migrations.js';
import { openPostgresStore } from './postgres/open-postgres-store.js';
import { openSqliteStore } from './sqlite/open-sqlite-store.js';
import type { Store } from './store.js';

export interface OpenStoreOptions {
  /** A file path, or a `postgres://` URL. */
  location: string;
  /** Create the database when it does not exist (otherwise a missing one is an error). */
  create: boolean;
  /** 'apply' brings the schema up to date; 'check' only refuses unusable databases (doctor). */
  migrations: 'apply' | 'check';
}

export interface OpenedStore {
  store: Store;
  /** True when this call created the database. */
  created: boolean;
  /** Migration state before anything was applied. */
  before: MigrationState;
  /** Names of the migrations this call applied. */
  applied: string[];
}

/**
 * Opens (and, if asked, creates and migrates) a custdb database: a SQLite
 * file, or a PostgreSQL database named by a `postgres://` URL. Refuses a
 * database it cannot use (missing, foreign, from a newer build) before
 * writing anything to it.
 */
export async function openStore(options: OpenStoreOptions): Promise<OpenedStore> {
  return isPostgresUrl(options.location) ? openPostgresStore(options) : openSqliteStore(options);
}

export function isPostgresUrl(location: string): boolean {
  return /^postgres(ql)?:\/\//i.test(location);
}
