import { readFileSync } from 'node:fs';
import { recordEvent } from '../audit/record-event.js';
import type { AccessRole, GrantOutcome } from '../db/access-control.js';
import type { Store } from '../db/store.js';
import { InputFileError, UsageError } from '../errors.js';
import { checkRoleName } from './check-role-name.js';
import { requireAccessControl } from './require-access-control.js';

export interface GrantAccessOptions {
  name: string;
  role: AccessRole;
  /** Analysts only: personal fields shown as they are. */
  unmasked: boolean;
  /**
   * The new login role's password: a value (from CUSTDB_NEW_PASSWORD), a file
   * holding it (its first line), 'none' for a role that logs in by peer or
   * certificate, or 'ask' to call `askPassword` — only when the role is to be
   * created. Undefined: none was given and none can be asked for.
   */
  password: { value: string } | { file: string } | 'none' | 'ask' | undefined;
  askPassword?: (name: string) => Promise<string>;
  actor: string;
}

/**
 * Gives login role `name` a custdb role on the store's PostgreSQL database,
 * creating the login role when there is none (and recording that custdb did),
 * or moving it to another group; recorded in the audit log. The server
 * refuses (PermissionDeniedError) a caller who is not an owner. Throws
 * UsageError for a SQLite file, a name custdb will not use, a superuser or
 * NOLOGIN role, the caller's own role, and a new role with no password and
 * no --no-password. The password is never returned or logged.
 *
 * @example await grantAccess(store, { name: 'ana', role: 'analyst', unmasked: false, password: 'none', actor: 'me' })
 */
export async function grantAccess(store: Store, options: GrantAccessOptions): Promise<GrantOutcome> {
  const access = requireAccessControl(store);
  const { name, role } = options;
  const wrong = checkRoleName(name);
  if (wrong !== undefined) throw new UsageError(`Cannot grant access to "${name}": ${wrong}.`);
  if (options.unmasked && role !== 'analyst') {
    throw new UsageError(`--unmasked is for analysts: the ${role} role sees personal fields as they are.`, { hint: `Leave out --unmasked, or grant --role analyst --unmasked.` });
  }
  const me = await access.whoAmI();
  if (me.user === name) {
    throw new UsageError(`You are connected as ${name}: custdb does not change the access of the role it is acting as.`, {
      hint: `Ask another owner to run it, or connect as another owner (--db postgres://OTHER@…).`,
    });
  }
  const facts = await access.describeRole(name);
  if (facts.superuser) {
    throw new UsageError(`${name} is a PostgreSQL superuser: the server lets it do everything, whatever custdb grants.`, {
      hint: 'Grant a role that is not a superuser, or remove SUPERUSER from it first (ALTER ROLE … NOSUPERUSER, as a superuser).',
    });
  }
  if (facts.exists && !facts.canLogin) {
    throw new UsageError(`${name} is a role that cannot log in (NOLOGIN): custdb gives access to login roles, one per person.`, {
      hint: `Grant each member's own login role, or let ${name} log in first (ALTER ROLE ${name} LOGIN).`,
    });
  }
  const password = await resolvePassword(options, facts.exists);
  return access.grant({ name, role, unmasked: role === 'analyst' && options.unmasked, password }, async (db, outcome) => {
    await recordEvent(db, {
      actor: options.actor,
      command: 'access grant',
      summary: `granted ${name} the ${describeRole(outcome.role, outcome.unmasked)} role${outcome.created ? ' (created the login role)' : ''}`,
      details: {
        name,
        role: outcome.role,
        unmasked: outcome.unmasked,
        created: outcome.created,
        previous: outcome.previous ?? null,
        passwordSet: outcome.passwordSet,
      },
    });
  });
}

/** "analyst (masked)", "staff": how messages and the audit log name a role. */
export function describeRole(role: AccessRole, unmasked: boolean): string {
  return role === 'analyst' ? `analyst (${unmasked ? 'unmasked' : 'masked'})` : role;
}

/** The password to set: a string, or null for none (a new role without one, an existing role's left alone). */
async function resolvePassword(options: GrantAccessOptions, exists: boolean): Promise<string | null> {
  const source = options.password;
  if (source === 'none') return null;
  if (source !== undefined && source !== 'ask') {
    const value = 'value' in source ? source.value : readPasswordFile(source.file);
    if (value === '') throw new UsageError(`The password${'file' in source ? ` in ${source.file}` : ''} is empty.`, { hint: 'Give a password, or --no-password for a role that logs in by peer or certificate.' });
    return value;
  }
  // An existing role keeps its password unless one is given.
  if (exists) return null;
  if (source === 'ask' && options.askPassword !== undefined) return options.askPassword(options.name);
  throw new UsageError(`custdb access grant ${options.name} creates the login role ${options.name}, which needs a password, and there is no terminal to ask for one in.`, {
    hint: 'Give it with --password-file FILE (its first line) or CUSTDB_NEW_PASSWORD, or use --no-password for a role that logs in by peer or certificate authentication.',
  });
}

/** The first line of `file`, without its line end: a password file as `echo secret > file` writes it. */
function readPasswordFile(file: string): string {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const reason = error instanceof Error && 'code' in error && error.code === 'ENOENT' ? 'no such file' : error instanceof Error ? error.message : String(error);
    throw new InputFileError(`Cannot read the password file ${file}: ${reason}.`, { cause: error });
  }
  return text.split(/\r?\n/, 1)[0] ?? '';
}
