import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Spawned CLI cases and real servers: give them room on a 2-core machine.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // A PostgreSQL server for the store tests: CUSTDB_TEST_POSTGRES_URL's, or a throw-away cluster (see the file).
    globalSetup: ['test/setup/postgres-server.ts'],
  },
});
