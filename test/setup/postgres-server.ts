import type { TestProject } from 'vitest/node';
import { readTestDialects } from '../helpers/test-dialects.js';
import { checkServer, findServerBinaries, hidePassword, NEEDED, startThrowawayCluster } from './throwaway-postgres.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** URL of a superuser on the PostgreSQL server the tests use; null when CUSTDB_TEST_DIALECTS leaves PostgreSQL out. */
    postgresAdminUrl: string | null;
  }
}

/**
 * vitest globalSetup: gives the test workers a PostgreSQL server (as
 * `inject('postgresAdminUrl')`) — the one CUSTDB_TEST_POSTGRES_URL names, or
 * a throw-away cluster started here and removed when the run ends. Fails the
 * run, never skips, when neither is possible; CUSTDB_TEST_DIALECTS=sqlite is
 * the way to run without PostgreSQL.
 */
export default async function setup(project: TestProject): Promise<(() => void) | undefined> {
  if (!readTestDialects(process.env.CUSTDB_TEST_DIALECTS).includes('postgres')) {
    console.log(`PostgreSQL tests are not run (CUSTDB_TEST_DIALECTS=${process.env.CUSTDB_TEST_DIALECTS}).`);
    project.provide('postgresAdminUrl', null);
    return undefined;
  }
  const given = process.env.CUSTDB_TEST_POSTGRES_URL;
  if (given !== undefined && given !== '') {
    const version = await checkServer(given, `the server CUSTDB_TEST_POSTGRES_URL names (${hidePassword(given)})`);
    console.log(`PostgreSQL ${version} for the tests: ${hidePassword(given)}`);
    project.provide('postgresAdminUrl', given);
    return undefined;
  }
  const binDir = findServerBinaries();
  if (binDir === undefined) throw new Error(`No PostgreSQL server binaries (initdb, pg_ctl, postgres) found. ${NEEDED}`);
  const started = Date.now();
  const cluster = await startThrowawayCluster(binDir);
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  console.log(`PostgreSQL ${cluster.version} for the tests: throw-away cluster on ${cluster.url} (started in ${seconds} s)`);
  project.provide('postgresAdminUrl', cluster.url);
  return () => cluster.stop();
}

