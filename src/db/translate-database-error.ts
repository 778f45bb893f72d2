import { translatePostgresError } from './postgres/translate-postgres-error.js';
import { translateSqliteError } from './sqlite/translate-sqlite-error.js';

/**
 * Turns a database driver's error into a CustdbError that says what happened
 * to which database and what to do; errors no dialect recognises are returned
 * unchanged (the CLI then reports them as bugs).
 */
export function translateDatabaseError(error: unknown, location: string): unknown {
  return translatePostgresError(translateSqliteError(error, location), location);
}
