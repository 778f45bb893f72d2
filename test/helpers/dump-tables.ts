import Database from 'better-sqlite3-multiple-ciphers';

/** The tables whose content a user would call "my data". */
const DATA_TABLES = ['customers', 'customer_identities', 'customer_tags', 'customer_attributes', 'orders', 'order_items'] as const;

/**
 * A canonical text of the data tables, their rows as JSON lines in sorted order, read with
 * better-sqlite3 (not through custdb). `withoutTimes` leaves out the `…_at`
 * columns, which differ between two runs of the same command.
 */
export function dumpTables(db: string, options: { withoutTimes: boolean }): Record<string, string> {
  const sqlite = new Database(db, { readonly: true, fileMustExist: true });
  try {
    const dump: Record<string, string> = {};
    for (const table of DATA_TABLES) {
      const rows = sqlite.prepare(`SELECT * FROM ${table}`).all() as Record<string, unknown>[];
      const kept = options.withoutTimes ? rows.map((row) => Object.fromEntries(Object.entries(row).filter(([column]) => !column.endsWith('_at')))) : rows;
      // Sorted as text: some tables have no rowid, and storage order is not content.
      dump[table] = kept.map((row) => JSON.stringify(row)).sort().join('\n');
    }
    return dump;
  } finally {
    sqlite.close();
  }
}

/** Tables whose text differs between two dumps, each with its row counts: for a failure message. */
export function describeDifference(a: Record<string, string>, b: Record<string, string>): string {
  return Object.keys(a)
    .filter((table) => a[table] !== b[table])
    .map((table) => `${table} (${rowCount(a[table])} vs ${rowCount(b[table])} rows)`)
    .join(', ');
}

function rowCount(text: string | undefined): number {
  return text === undefined || text === '' ? 0 : text.split('\n').length;
}
