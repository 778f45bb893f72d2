import type { TestProject } from 'vitest/node';
import { readTestDialects } from '../helpers/test-dialects.js';
import { checkServer, findServerBinaries, hidePassword, NEEDED, startThrowawayCluster, type Cluster } from './throwaway-postgres.js';

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
  const shared = sharedCluster();
  shared.users += 1;
  shared.cluster ??= startCluster();
  const cluster = await shared.cluster;
  project.provide('postgresAdminUrl', cluster.url);
  return () => {
    shared.users -= 1;
    if (shared.users === 0) {
      shared.cluster = undefined;
      cluster.stop();
    }
  };
}

/** The cluster of this vitest run and how many projects use it: vitest runs this setup once per project (vitest.config.ts), and one cluster serves them all. */
interface SharedCluster {
  cluster: Promise<Cluster> | undefined;
  users: number;
}

/** Kept on globalThis: each project may load this file as a module of its own, in the one main process. */
function sharedCluster(): SharedCluster {
  const holder = globalThis as { custdbTestCluster?: SharedCluster };
  holder.custdbTestCluster ??= { cluster: undefined, users: 0 };
  return holder.custdbTestCluster;
}

async function startCluster(): Promise<Cluster> {
  const binDir = findServerBinaries();
  if (binDir === undefined) throw new Error(`No PostgreSQL server binaries (initdb, pg_ctl, postgres) found. ${NEEDED}`);
  const started = Date.now();
  const cluster = await startThrowawayCluster(binDir);
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  console.log(`PostgreSQL ${cluster.version} for the tests: throw-away cluster on ${cluster.url} (started in ${seconds} s)`);
  return cluster;
}

