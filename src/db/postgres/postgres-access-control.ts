import { CompiledQuery, type Kysely } from 'kysely';
import pg from 'pg';
import type { ActingRole } from '../../errors.js';
import type { AccessControl, AccessEntry, AccessRole, GrantOutcome, GrantRequest, RevokeOutcome, RoleFacts } from '../access-control.js';
import type { Store } from '../store.js';
import type { Database } from '../tables.js';
import { groupsInOrder, MASKED_SCHEMA, quoteIdent, quoteLiteral, type AccessGroups } from './access-groups.js';
import { readActingRole, roleFromGroups } from './acting-role.js';
import { applyAccessPrivileges, prepareAccessGroups, readAccessSetting, type AccessSetting, type Query } from './apply-access-privileges.js';
import { scramVerifier } from './scram-verifier.js';

/** How custdb marks (COMMENT ON ROLE) a login role it created, so that revoking its access drops it. */
const CREATED_MARK = 'custdb: login role created by custdb access grant';

/**
 * Team access on a PostgreSQL database, as real roles the server enforces:
 *
 * - four group roles per database (NOLOGIN; names carry the database's,
 *   access-groups.ts): owner, staff, analyst (masked), analyst (unmasked),
 *   with the privileges apply-access-privileges.ts gives them;
 * - one login role per person, a member of exactly one of them; a masked
 *   analyst's search_path in this database starts with the masked views
 *   (ALTER ROLE … IN DATABASE … SET search_path), so custdb — and psql —
 *   read them where the tables would be;
 * - an owner's login role is a member WITH ADMIN OPTION (so it can grant
 *   owner to others) and, when custdb creates it, CREATEROLE, which
 *   PostgreSQL needs to create login roles.
 *
 * Every change first acts as the owner group (SET LOCAL ROLE), so the server
 * refuses it (42501) to anyone who is not an owner (or a superuser).
 */
export class PostgresAccessControl implements AccessControl {
  #database: string | undefined;

  constructor(private readonly store: Store) {}

  get database(): string {
    return this.#database ?? new URL(this.store.location.replace('@/', '@localhost/')).pathname.slice(1);
  }

  async whoAmI(): Promise<ActingRole> {
    return readActingRole(queryOn(this.store.db));
  }

  async describeRole(name: string): Promise<RoleFacts> {
    const query = queryOn(this.store.db);
    const setting = await this.#setting(query);
    return describe(query, setting, name);
  }

  async list(): Promise<AccessEntry[]> {
    const query = queryOn(this.store.db);
    const { groups } = await this.#setting(query);
    const rows = await query<{ name: string; can_login: boolean; comment: string | null; groups: string[] }>(
      `SELECT r.rolname::text AS name, r.rolcanlogin AS can_login, pg_catalog.shobj_description(r.oid, 'pg_authid') AS comment,
          array_agg(g.rolname::text) AS groups
        FROM pg_catalog.pg_auth_members m
        JOIN pg_catalog.pg_roles g ON g.oid = m.roleid
        JOIN pg_catalog.pg_roles r ON r.oid = m.member
        WHERE g.rolname = ANY($1::text[]) AND NOT r.rolname = ANY($1::text[])
        GROUP BY r.oid, r.rolname, r.rolcanlogin
        ORDER BY r.rolname`,
      [groupsInOrder(groups)],
    );
    return rows.flatMap((row) => {
      const { role, unmasked } = roleFromGroups(groups, row.groups);
      return role === undefined ? [] : [{ name: row.name, role, unmasked, canLogin: row.can_login, createdByCustdb: isCreatedByCustdb(row.comment) }];
    });
  }

  async grant(request: GrantRequest, record: (db: Kysely<Database>, outcome: GrantOutcome) => Promise<void>): Promise<GrantOutcome> {
    return this.store.transaction(async (trx) => {
      const query = queryOn(trx);
      const setting = await this.#setting(query);
      const { groups, database } = setting;
      await prepareAccessGroups(query, setting);
      await actAsOwnerGroup(query, groups);
      await applyAccessPrivileges(query, setting);
      await query('RESET ROLE');

      const facts = await describe(query, setting, request.name);
      const name = quoteIdent(request.name);
      const owner = request.role === 'owner';
      const password = request.password === null ? '' : ` PASSWORD ${quoteLiteral(scramVerifier(request.password))}`;
      if (!facts.exists) {
        await query(`CREATE ROLE ${name} LOGIN${owner ? ' CREATEROLE' : ''}${password}`);
        await query(`COMMENT ON ROLE ${name} IS ${quoteLiteral(`${CREATED_MARK} for database ${database}`)}`);
      } else {
        if (password !== '') await query(`ALTER ROLE ${name}${password}`);
        // Attributes are changed only on roles custdb made: a role it found keeps what its administrator gave it.
        if (facts.createdByCustdb) {
          await query(`ALTER ROLE ${name} ${owner ? 'CREATEROLE' : 'NOCREATEROLE'}`);
        }
      }

      const target = groupFor(groups, request.role, request.unmasked);
      for (const group of await directGroups(query, groups, request.name)) {
        if (group !== target) await query(`REVOKE ${quoteIdent(group)} FROM ${name}`);
      }
      await query(`GRANT ${quoteIdent(target)} TO ${name}${owner ? ' WITH ADMIN OPTION' : ''}`);

      const masked = request.role === 'analyst' && !request.unmasked;
      if (masked) {
        await query(`ALTER ROLE ${name} IN DATABASE ${quoteIdent(database)} SET search_path = ${quoteIdent(MASKED_SCHEMA)}, ${quoteIdent(setting.schema)}`);
      } else if (facts.entry !== undefined && facts.entry.role === 'analyst' && !facts.entry.unmasked) {
        await query(`ALTER ROLE ${name} IN DATABASE ${quoteIdent(database)} RESET search_path`);
      }

      const outcome: GrantOutcome = {
        database,
        name: request.name,
        role: request.role,
        unmasked: request.role !== 'analyst' || request.unmasked,
        created: !facts.exists,
        previous: facts.entry === undefined ? undefined : { role: facts.entry.role, unmasked: facts.entry.unmasked },
        passwordSet: password !== '',
      };
      await record(trx, outcome);
      return outcome;
    });
  }

  async revoke(name: string, record: (db: Kysely<Database>, outcome: RevokeOutcome) => Promise<void>): Promise<RevokeOutcome> {
    return this.store.transaction(async (trx) => {
      const query = queryOn(trx);
      const setting = await this.#setting(query);
      const { groups, database } = setting;
      const facts = await describe(query, setting, name);
      const nothing: RevokeOutcome = { database, name, previous: undefined, dropped: false, keptBecause: undefined };
      if (!setting.set || facts.entry === undefined) return nothing;
      await actAsOwnerGroup(query, groups);
      await query('RESET ROLE');

      const quoted = quoteIdent(name);
      for (const group of await directGroups(query, groups, name)) await query(`REVOKE ${quoteIdent(group)} FROM ${quoted}`);
      if (facts.entry.role === 'analyst' && !facts.entry.unmasked) await query(`ALTER ROLE ${quoted} IN DATABASE ${quoteIdent(database)} RESET search_path`);

      let dropped = false;
      let keptBecause: string | undefined;
      if (facts.entry.createdByCustdb) {
        const [others] = await query<{ groups: string[] }>(
          `SELECT ARRAY(SELECT g.rolname::text FROM pg_catalog.pg_auth_members m JOIN pg_catalog.pg_roles g ON g.oid = m.roleid
              JOIN pg_catalog.pg_roles r ON r.oid = m.member WHERE r.rolname = $1 ORDER BY g.rolname) AS groups`,
          [name],
        );
        if (others !== undefined && others.groups.length > 0) {
          keptBecause = `it is still a member of ${others.groups.join(', ')}`;
        } else {
          // The role may own something or hold privileges elsewhere on the server: then it is kept, and the revoke still stands.
          await query('SAVEPOINT custdb_drop_role');
          try {
            await query(`DROP ROLE ${quoted}`);
            await query('RELEASE SAVEPOINT custdb_drop_role');
            dropped = true;
          } catch (error) {
            await query('ROLLBACK TO SAVEPOINT custdb_drop_role');
            if (!(error instanceof pg.DatabaseError)) throw error;
            keptBecause = `the server would not drop it: ${error.message}${error.detail ? ` (${error.detail.split('\n')[0]})` : ''}`;
          }
        }
        if (!dropped && facts.entry.role === 'owner') await query(`ALTER ROLE ${quoted} NOCREATEROLE`);
      }

      const outcome: RevokeOutcome = { database, name, previous: { role: facts.entry.role, unmasked: facts.entry.unmasked }, dropped, keptBecause };
      await record(trx, outcome);
      return outcome;
    });
  }

  async #setting(query: Query): Promise<AccessSetting> {
    const setting = await readAccessSetting(query);
    this.#database = setting.database;
    return setting;
  }
}

/**
 * Acts as the owner group for the rest of the transaction: the server refuses
 * (42501) a role that is not a member of it — the check that only owners
 * change access — and what is created meanwhile belongs to the group.
 */
async function actAsOwnerGroup(query: Query, groups: AccessGroups): Promise<void> {
  await query(`SET LOCAL ROLE ${quoteIdent(groups.owner)}`);
}

function groupFor(groups: AccessGroups, role: AccessRole, unmasked: boolean): string {
  if (role === 'owner') return groups.owner;
  if (role === 'staff') return groups.staff;
  return unmasked ? groups.analystUnmasked : groups.analyst;
}

/** The custdb groups of this database that `name` is a direct member of. */
async function directGroups(query: Query, groups: AccessGroups, name: string): Promise<string[]> {
  const rows = await query<{ rolname: string }>(
    `SELECT g.rolname::text AS rolname FROM pg_catalog.pg_auth_members m
      JOIN pg_catalog.pg_roles g ON g.oid = m.roleid JOIN pg_catalog.pg_roles r ON r.oid = m.member
      WHERE r.rolname = $1 AND g.rolname = ANY($2::text[])`,
    [name, groupsInOrder(groups)],
  );
  return rows.map((r) => r.rolname);
}

async function describe(query: Query, setting: AccessSetting, name: string): Promise<RoleFacts> {
  const [row] = await query<{ superuser: boolean; can_login: boolean; comment: string | null }>(
    `SELECT rolsuper AS superuser, rolcanlogin AS can_login, pg_catalog.shobj_description(oid, 'pg_authid') AS comment FROM pg_catalog.pg_roles WHERE rolname = $1`,
    [name],
  );
  if (row === undefined) return { exists: false, superuser: false, canLogin: false, createdByCustdb: false, entry: undefined };
  const { role, unmasked } = roleFromGroups(setting.groups, await directGroups(query, setting.groups, name));
  const createdByCustdb = isCreatedByCustdb(row.comment);
  return {
    exists: true,
    superuser: row.superuser,
    canLogin: row.can_login,
    createdByCustdb,
    entry: role === undefined ? undefined : { name, role, unmasked, canLogin: row.can_login, createdByCustdb },
  };
}

function isCreatedByCustdb(comment: string | null): boolean {
  return comment?.startsWith(CREATED_MARK) === true;
}

/** A Query on a Kysely connection: the store's pool, or a transaction's one connection. */
export function queryOn(db: Kysely<Database>): Query {
  return async <Row extends object>(text: string, values: readonly unknown[] = []) =>
    (await db.executeQuery<Row>(CompiledQuery.raw(text, [...values]))).rows as Row[];
}
