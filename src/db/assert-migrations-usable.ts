import { SchemaMismatchError } from '../errors.js';
import type { MigrationState } from './compare-migrations.js';

/**
 * Throws SchemaMismatchError when a database cannot be used by this build: it
 * records migrations this build does not know (a newer custdb wrote it), or
 * its history skips or reorders ours. `location` names the database in the
 * message (a file path, or a server URL without its password). Every dialect
 * calls this before writing anything.
 */
export function assertMigrationsUsable(state: MigrationState, location: string): void {
  if (state.unknown.length > 0) {
    throw new SchemaMismatchError(
      `${location} was updated by a newer custdb (it has migration ${state.unknown.join(', ')}, which this build does not know). Nothing was changed.`,
      { hint: 'Upgrade custdb to the version that wrote this database.' },
    );
  }
  if (state.outOfOrder.length > 0) {
    throw new SchemaMismatchError(
      `${location} has a broken migration history: ${state.outOfOrder.join(', ')} missing or applied out of order. Nothing was changed.`,
      { hint: 'Restore the database from a backup, or run "custdb doctor" for details.' },
    );
  }
}
