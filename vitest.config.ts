import { defineConfig } from 'vitest/config';
import { readTestDialects } from './test/helpers/test-dialects.js';

/** CLI test files that already choose their dialects themselves, so the PostgreSQL run of test/cli leaves them out. */
const DIALECT_EXPLICIT_CLI_FILES = [
  'test/cli/access.test.ts',
  'test/cli/dialect-parity.test.ts',
  'test/cli/export-computed.test.ts',
  'test/cli/import-nul.test.ts',
  'test/cli/query-segments.test.ts',
  'test/cli/privacy-access.test.ts',
];

export default defineConfig({
  test: {
    // Spawned CLI cases and real servers: give them room on a 2-core machine.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // A PostgreSQL server for the store tests: CUSTDB_TEST_POSTGRES_URL's, or a throw-away cluster (see the file).
    globalSetup: ['test/setup/postgres-server.ts'],
    projects: [
      { extends: true, test: { name: 'custdb', include: ['test/**/*.test.ts'] } },
      // The CLI tests once more with every database file a PostgreSQL database (test/helpers/cli-database.ts);
      // CUSTDB_TEST_DIALECTS=sqlite, the way to run without PostgreSQL, leaves this run out.
      ...(readTestDialects(process.env.CUSTDB_TEST_DIALECTS).includes('postgres')
        ? [{ extends: true, test: { name: 'cli-postgres', include: ['test/cli/**/*.test.ts'], exclude: DIALECT_EXPLICIT_CLI_FILES, env: { CUSTDB_TEST_CLI_DIALECT: 'postgres' } } }]
        : []),
    ],
  },
});
