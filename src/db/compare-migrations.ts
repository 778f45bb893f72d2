/** A migration as shipped in schema/<dialect>/: its file name without extension, and its SQL. */
export interface Migration {
  name: string;
  sql: string;
}

export interface MigrationState {
  /** Migrations this build has, in order. */
  known: string[];
  /** Migrations the database records, in the order they were applied. */
  applied: string[];
  /** Known migrations not yet applied, in order: what `init` (or any command) will apply. */
  pending: string[];
  /** Applied migrations this build does not know: the database was made by a newer custdb. */
  unknown: string[];
  /** Known migrations that were skipped while a later one was applied, or applied out of order. */
  outOfOrder: string[];
}

/**
 * Compares the migrations this build ships with those a database records.
 * Pure; never throws. The database is usable by this build only when
 * `unknown` and `outOfOrder` are both empty.
 */
export function compareMigrations(known: readonly string[], applied: readonly string[]): MigrationState {
  const knownSet = new Set(known);
  const appliedSet = new Set(applied);
  const unknown = applied.filter((name) => !knownSet.has(name));
  const appliedKnown = applied.filter((name) => knownSet.has(name));
  const outOfOrder: string[] = [];
  // Applied known migrations must be exactly the first N known ones, in the same order.
  appliedKnown.forEach((name, index) => {
    if (known[index] !== name) outOfOrder.push(name);
  });
  const lastApplied = appliedKnown.length === 0 ? -1 : Math.max(...appliedKnown.map((name) => known.indexOf(name)));
  for (let i = 0; i < lastApplied; i++) {
    const name = known[i]!;
    if (!appliedSet.has(name) && !outOfOrder.includes(name)) outOfOrder.push(name);
  }
  const pending = outOfOrder.length > 0 ? [] : known.filter((name) => !appliedSet.has(name));
  return { known: [...known], applied: [...applied], pending, unknown, outOfOrder };
}
