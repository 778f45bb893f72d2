import type { AccessRole } from '../db/access-control.js';
import { PermissionDeniedError } from '../errors.js';

/** What a command does that the server may refuse, and the least custdb role that may do it. */
interface Need {
  doing: string;
  role: AccessRole;
}

/**
 * Commands that write, by their full name (`customers edit`), with what they
 * need. Anything else only reads (the analyst role). A command that both reads
 * and writes (dedupe lists, and merges with --merge) is refused only for its
 * write, so its entry names the write.
 */
const NEEDS: Readonly<Record<string, Need>> = {
  init: { doing: 'applying migrations', role: 'owner' },
  import: { doing: 'importing', role: 'staff' },
  'imports undo': { doing: 'undoing an import', role: 'staff' },
  'customers add': { doing: 'adding customers', role: 'staff' },
  'customers edit': { doing: 'editing customers', role: 'staff' },
  'customers tag': { doing: 'tagging customers', role: 'staff' },
  'customers untag': { doing: 'untagging customers', role: 'staff' },
  'customers note': { doing: 'adding notes', role: 'staff' },
  dedupe: { doing: 'merging duplicates', role: 'staff' },
  'merges undo': { doing: 'undoing a merge', role: 'staff' },
  'config set': { doing: 'changing settings', role: 'staff' },
  'segment add': { doing: 'saving segments', role: 'staff' },
  'segment edit': { doing: 'changing segments', role: 'staff' },
  'segment rm': { doing: 'removing segments', role: 'staff' },
  doctor: { doing: 'repairing the database', role: 'staff' },
  'privacy forget': { doing: 'erasing a customer', role: 'owner' },
  purge: { doing: 'purging customers', role: 'owner' },
  'access grant': { doing: 'changing access', role: 'owner' },
  'access revoke': { doing: 'changing access', role: 'owner' },
};

const READING: Need = { doing: 'reading customer data', role: 'analyst' };

const WHO_MAY: Readonly<Record<AccessRole, string>> = {
  owner: 'the owner role',
  staff: 'the staff or owner role',
  analyst: 'the analyst, staff or owner role',
};

/**
 * A server's refusal (PermissionDeniedError) said in custdb's terms: which
 * role the connection has, what `command` (its full name, `customers edit`)
 * needed, and who can change that. Any other error comes back unchanged, and
 * so does a refusal already explained. Pure.
 *
 * @example explainRefusal(refusal, 'import').message
 *   // 'postgres://ana@db/shop: your database role (ana) may only read: importing needs the staff or owner role.'
 */
export function explainRefusal(error: unknown, command: string): unknown {
  if (!(error instanceof PermissionDeniedError) || error.explained) return error;
  const need = NEEDS[command] ?? READING;
  const { acting, location, serverMessage } = error;
  const user = acting?.user ?? error.user;
  const who = user === undefined ? 'your database role' : `your database role (${user})`;
  const needs = `${need.doing} needs ${WHO_MAY[need.role]}`;
  const said = `The server said: ${serverMessage}.`;
  const ask = `An owner can change it: custdb access grant ${user ?? 'ROLE'} --role ${need.role}.`;
  const explained = (message: string, hint: string) =>
    new PermissionDeniedError(message, { hint, cause: error.cause ?? error, location, serverMessage, user: error.user, acting, explained: true });

  if (acting === undefined) return explained(`${location}: the server refused ${who}: ${needs}.`, `${said} ${ask}`);
  if (acting.role === undefined) {
    // A role with none is refused at its first read, whatever the command goes on to do.
    const reading = need.role === 'analyst' ? needs : `${READING.doing} (and ${need.doing}) needs ${WHO_MAY[need.role]}`;
    return explained(`${location}: ${who} has no custdb role in this database: ${reading}.`, `${said} ${ask}`);
  }
  if (acting.role === 'owner' || (acting.role === 'staff' && need.role !== 'owner') || (acting.role === 'analyst' && need.role === 'analyst')) {
    // The role should have been allowed: the database's privileges are not what custdb set up.
    return explained(
      `${location}: ${who} is ${acting.role === 'owner' ? 'an owner' : acting.role === 'staff' ? 'staff' : 'an analyst'}, but the server refused it: ${serverMessage}.`,
      roleHint(acting.role, serverMessage, user ?? 'ROLE'),
    );
  }
  if (acting.role === 'analyst') return explained(`${location}: ${who} may only read: ${needs}.`, `${said} ${ask}`);
  return explained(`${location}: ${who} is staff: ${needs}.`, `${said} ${ask}`);
}

function roleHint(role: AccessRole, serverMessage: string, user: string): string {
  if (/create role|createrole/i.test(serverMessage)) {
    return `PostgreSQL lets only roles with CREATEROLE create login roles: a superuser can give it (ALTER ROLE ${user} CREATEROLE), or grant an existing login role instead.`;
  }
  return `The server said: ${serverMessage}. The database's privileges may have been changed outside custdb: granting any role again (custdb access grant …) sets them all again${role === 'owner' ? '' : ', as an owner'}.`;
}
