import { Option, type Command } from 'commander';
import { describeRole, grantAccess, type GrantAccessOptions } from '../../access/grant-access.js';
import { listAccess } from '../../access/list-access.js';
import { revokeAccess } from '../../access/revoke-access.js';
import type { AccessRole, GrantOutcome, RevokeOutcome } from '../../db/access-control.js';
import { UsageError } from '../../errors.js';
import type { CommandContext } from '../context.js';
import type { RunAction } from '../program.js';
import { writeJson, writeResult } from '../render/output.js';
import { renderTable } from '../render/table.js';
import { withStore } from '../command-helpers.js';

const ROLES: readonly AccessRole[] = ['owner', 'staff', 'analyst'];

export function registerAccess(program: Command, run: RunAction): void {
  const access = program
    .command('access')
    .description(
      'Team access on a PostgreSQL database: give login roles the owner, staff or analyst role, enforced by the server (a SQLite file\'s access is its file permissions).',
    )
    .addHelpText(
      'after',
      `
Roles:
  owner    everything, changing access included
  staff    import, edit and merge customers, and undo those; not erase, purge or change access
  analyst  read and export only; personal fields (email, phone, address lines, postal code, birth date, notes)
           masked unless --unmasked: j***@example.com, +1 ••• ••• 0199, 972••, 1980-••-••, •••

Examples:
  $ custdb access grant ana --role analyst --db postgres://me@db.example.com/shop
  $ custdb access grant sam --role staff --password-file /run/secrets/sam
  $ custdb access list
  $ custdb access revoke ana`,
    );

  access
    .command('grant')
    .description(
      'Give login role NAME a role on the database, creating the login role (with a password) when there is none; granting again changes its role. Needs the owner role.',
    )
    .argument('<name>', 'the login role (PostgreSQL user) of the person')
    .addOption(new Option('--role <role>', 'the custdb role to give').choices(ROLES).makeOptionMandatory())
    .option('--unmasked', 'analysts: show personal fields as they are')
    .option('--password-file <file>', "a new login role's password: the file's first line (for scripts; else $CUSTDB_NEW_PASSWORD, else asked in a terminal)")
    .option('--no-password', 'create the login role without a password (it logs in by peer or certificate authentication)')
    .addHelpText(
      'after',
      `
Examples:
  $ custdb access grant ana --role analyst               asks for ana's password in a terminal
  $ custdb access grant ana --role analyst --unmasked    ana now sees emails, phones and addresses
  $ custdb access grant sam --role staff --no-password   sam logs in by peer or certificate authentication
  $ CUSTDB_NEW_PASSWORD=… custdb access grant sam --role staff --json`,
    )
    .action((name: string, options: { role: AccessRole; unmasked?: boolean; passwordFile?: string; password: boolean }) =>
      run((ctx) =>
        withStore(ctx, async (store) => {
          const outcome = await grantAccess(store, {
            name,
            role: options.role,
            unmasked: options.unmasked === true,
            password: passwordSource(ctx, options),
            askPassword: (role) => askPassword(ctx, role),
            actor: ctx.actor,
          });
          if (ctx.json) writeJson(ctx, { ...outcome, previous: outcome.previous ?? null });
          else writeResult(ctx, describeGrant(outcome));
          return 0;
        }),
      ),
    );

  access
    .command('list')
    .description('List the login roles with access to the database: their role, and whether they see personal fields.')
    .addHelpText('after', '\nExamples:\n  $ custdb access list\n  $ custdb access list --json')
    .action(() =>
      run((ctx) =>
        withStore(ctx, async (store) => {
          const { database, you, roles } = await listAccess(store);
          if (ctx.json) writeJson(ctx, { database, you, roles });
          else if (roles.length === 0) writeResult(ctx, `No login role has a custdb role in ${database} yet: give one with custdb access grant NAME --role owner|staff|analyst.`);
          else
            writeResult(
              ctx,
              renderTable(
                ['login role', 'role', 'personal fields', 'created by custdb'],
                roles.map((r) => [`${r.name}${r.name === you ? ' (you)' : ''}${r.canLogin ? '' : ' (cannot log in)'}`, r.role, r.unmasked ? 'shown' : 'masked', r.createdByCustdb ? 'yes' : 'no']),
                ctx,
                { droppable: ['created by custdb'], wrappable: ['login role'] },
              ),
            );
          return 0;
        }),
      ),
    );

  access
    .command('revoke')
    .description('Take login role NAME\'s access to the database away; the login role is dropped if custdb created it. Needs the owner role.')
    .argument('<name>', 'the login role (PostgreSQL user)')
    .addHelpText('after', '\nExamples:\n  $ custdb access revoke ana\n  $ custdb access revoke ana --json')
    .action((name: string) =>
      run((ctx) =>
        withStore(ctx, async (store) => {
          const outcome = await revokeAccess(store, { name, actor: ctx.actor });
          if (ctx.json) writeJson(ctx, { ...outcome, previous: outcome.previous ?? null, keptBecause: outcome.keptBecause ?? null });
          else writeResult(ctx, describeRevoke(outcome));
          return 0;
        }),
      ),
    );
}

/** --password-file, else --no-password, else $CUSTDB_NEW_PASSWORD, else a prompt in a terminal; undefined: none of them. */
function passwordSource(ctx: CommandContext, options: { passwordFile?: string; password: boolean }): GrantAccessOptions['password'] {
  if (options.passwordFile !== undefined && !options.password) {
    throw new UsageError('--password-file and --no-password contradict each other.', { hint: 'Give one of them.' });
  }
  if (options.passwordFile !== undefined) return { file: options.passwordFile };
  if (!options.password) return 'none';
  const fromEnv = ctx.io.env.CUSTDB_NEW_PASSWORD;
  if (fromEnv !== undefined && fromEnv !== '') return { value: fromEnv };
  return ctx.interactive ? 'ask' : undefined;
}

async function askPassword(ctx: CommandContext, role: string): Promise<string> {
  const { askNewPassword } = await import('../prompts.js');
  const password = await askNewPassword(ctx.io, role);
  if (password === undefined) throw new UsageError('The two passwords differ; nothing changed.', { hint: 'Run it again.' });
  if (password === '') throw new UsageError('The password is empty; nothing changed.', { hint: 'Type one, or use --no-password for a role that logs in by peer or certificate.' });
  return password;
}

const WHAT_ROLES_DO: Readonly<Record<string, string>> = {
  owner: 'everything, changing access included',
  staff: 'import, edit and merge, and undo those',
  'analyst (masked)': 'read and export, with personal fields masked',
  'analyst (unmasked)': 'read and export, personal fields shown',
};

function describeGrant(outcome: GrantOutcome): string {
  const role = describeRole(outcome.role, outcome.unmasked);
  const was = outcome.previous === undefined ? 'no access' : describeRole(outcome.previous.role, outcome.previous.unmasked);
  const lines = [`${outcome.name} is now ${role === 'owner' ? 'an owner' : role === 'staff' ? 'staff' : `an ${role}`} of ${outcome.database}: ${WHAT_ROLES_DO[role]} (was: ${was}).`];
  if (outcome.created) lines.push(`Created the login role ${outcome.name}, ${outcome.passwordSet ? 'with the password given' : 'without a password (it logs in by peer or certificate authentication)'}.`);
  else if (outcome.passwordSet) lines.push(`Changed the password of ${outcome.name}.`);
  return lines.join('\n');
}

function describeRevoke(outcome: RevokeOutcome): string {
  if (outcome.previous === undefined) return `${outcome.name} had no access to ${outcome.database}; nothing changed.`;
  const was = describeRole(outcome.previous.role, outcome.previous.unmasked);
  const role = outcome.dropped
    ? `dropped the login role ${outcome.name}, which custdb had created`
    : outcome.keptBecause === undefined
      ? `kept the login role ${outcome.name} (custdb did not create it)`
      : `kept the login role ${outcome.name}: ${outcome.keptBecause}`;
  return `Revoked ${outcome.name}'s access to ${outcome.database} (was: ${was}); ${role}.`;
}
