export type TestDialect = 'sqlite' | 'postgres';

const ALL_DIALECTS: readonly TestDialect[] = ['sqlite', 'postgres'];

/**
 * The dialects the store tests run on: both, unless CUSTDB_TEST_DIALECTS names
 * fewer (`sqlite`, `postgres`, or `sqlite,postgres`). Throws on a name it does
 * not know, so a typo cannot quietly skip half the suite.
 */
export function readTestDialects(value: string | undefined): TestDialect[] {
  const names = (value ?? '').split(',').map((name) => name.trim().toLowerCase()).filter((name) => name !== '');
  if (names.length === 0) return [...ALL_DIALECTS];
  const unknown = names.filter((name) => !ALL_DIALECTS.some((dialect) => dialect === name));
  if (unknown.length > 0) {
    throw new Error(`CUSTDB_TEST_DIALECTS=${value} names an unknown dialect (${unknown.join(', ')}): use sqlite, postgres or sqlite,postgres`);
  }
  return ALL_DIALECTS.filter((dialect) => names.includes(dialect));
}
