/**
 * The few SQL expressions spelled differently per dialect (date arithmetic),
 * and where each dialect's migrations are, for the dialect-neutral SQL of
 * src/db. Everything else a dialect does its own way (connection set-up,
 * bulk writes, snapshots, integrity checks) lives in its folder under src/db/.
 */
export interface Dialect {
  readonly name: 'sqlite' | 'postgres';
  /** Folder under schema/ holding this dialect's migrations. */
  readonly schemaFolder: string;
  /** SQL for whole days between an ISO timestamp/date column and now. */
  daysSince(columnSql: string): string;
}

export const sqliteDialect: Dialect = {
  name: 'sqlite',
  schemaFolder: 'sqlite',
  daysSince: (columnSql) => `CAST(julianday('now') - julianday(${columnSql}) AS INTEGER)`,
};
