import { makeWorkdir, runCli } from './run-cli.js';

/**
 * One invocation per command that opens the database, used to check that every
 * command refuses a database from a newer custdb. `null` marks commands that
 * never open one.
 */
export const SAMPLE_INVOCATIONS: Record<string, string[] | null> = {
  init: ['init'],
  import: ['import', 'customers.csv'],
  imports: ['imports', 'list'],
  export: ['export', 'customers'],
  config: ['config', 'list'],
  dedupe: ['dedupe'],
  merges: ['merges', 'list'],
  show: ['show', '1'],
  customers: ['customers', 'tag', '1', 'vip'],
  doctor: ['doctor'],
  access: ['access', 'list'],
  query: ['query', '--count'],
  segment: ['segment', 'list'],
  validate: ['validate'],
  report: ['report', 'summary'],
  rekey: ['rekey'],
  privacy: ['privacy', 'export', '1'],
  purge: ['purge', '--inactive-for', '3y', '--dry-run'],
  log: ['log'],
  analytics: ['analytics', 'fit'],
  backup: ['backup', 'b.db'],
  restore: ['restore', 'customers.csv', '--yes'],
  help: null,
};

/** The command names `custdb --help` lists. */
export async function listCommands(): Promise<string[]> {
  const help = await runCli(['--help'], { cwd: makeWorkdir() });
  const section = help.stdout.split(/^Commands:$/m)[1] ?? '';
  return [...section.matchAll(/^ {2}([a-z][a-z-]*)/gm)].map((m) => m[1]!);
}
