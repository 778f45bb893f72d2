import { PermissionDeniedError, type ActingRole } from '../../errors.js';
import { groupsInOrder, type AccessGroups } from './access-groups.js';
import { readAccessSetting, type Query } from './apply-access-privileges.js';

/** What a set of group memberships makes a role: the first group of groupsInOrder it belongs to decides. */
export function roleFromGroups(groups: AccessGroups, memberOf: readonly string[]): Pick<ActingRole, 'role' | 'unmasked'> {
  const first = groupsInOrder(groups).find((group) => memberOf.includes(group));
  if (first === groups.owner) return { role: 'owner', unmasked: true };
  if (first === groups.staff) return { role: 'staff', unmasked: true };
  if (first === groups.analystUnmasked) return { role: 'analyst', unmasked: true };
  if (first === groups.analyst) return { role: 'analyst', unmasked: false };
  return { role: undefined, unmasked: false };
}

/** Who the connection's login role (session_user) is to custdb in this database, groups reached through other roles included. */
export async function readActingRole(query: Query): Promise<ActingRole> {
  const { groups } = await readAccessSetting(query);
  const [row] = await query<{ user: string; superuser: boolean; groups: string[] }>(
    `SELECT session_user::text AS user, coalesce((SELECT rolsuper FROM pg_catalog.pg_roles WHERE rolname = session_user), false) AS superuser,
        ARRAY(SELECT g.rolname::text FROM pg_catalog.pg_roles g
          WHERE g.rolname = ANY($1::text[]) AND pg_catalog.pg_has_role(session_user, g.oid, 'MEMBER')) AS groups`,
    [groupsInOrder(groups)],
  );
  return { user: row!.user, superuser: row!.superuser, ...roleFromGroups(groups, row!.groups) };
}

/**
 * `error` with who the acting role is, when it is a PermissionDeniedError
 * that does not say yet (and that can be found out on `query`, a connection
 * not inside a failed transaction); any other error unchanged.
 */
export async function withActingRole(error: unknown, query: Query): Promise<unknown> {
  if (!(error instanceof PermissionDeniedError) || error.explained || error.acting !== undefined) return error;
  const acting = await readActingRole(query).catch(() => undefined);
  if (acting === undefined) return error;
  return new PermissionDeniedError(error.message, { hint: error.hint, cause: error.cause, location: error.location, serverMessage: error.serverMessage, user: error.user, acting });
}
