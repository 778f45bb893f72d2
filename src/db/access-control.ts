import type { Kysely } from 'kysely';
import type { ActingRole } from '../errors.js';
import { PostgresAccessControl } from './postgres/postgres-access-control.js';
import type { Store } from './store.js';
import type { Database } from './tables.js';

export type { ActingRole };

/** The three things a team member can be to a custdb database. */
export type AccessRole = 'owner' | 'staff' | 'analyst';

/** One login role with access to the database, as `custdb access list` shows it. */
export interface AccessEntry {
  name: string;
  role: AccessRole;
  /** False for an analyst whose personal fields are masked; owners and staff see everything. */
  unmasked: boolean;
  canLogin: boolean;
  /** custdb created the login role (and drops it when its access is revoked). */
  createdByCustdb: boolean;
}

export interface GrantRequest {
  name: string;
  role: AccessRole;
  /** For an analyst: show personal fields as they are. Ignored for owner and staff, who see them anyway. */
  unmasked: boolean;
  /**
   * The password of the login role: set when given (a new role gets it; an
   * existing one has it changed); null creates a new role without one (peer or
   * certificate authentication) and leaves an existing role's alone.
   */
  password: string | null;
}

export interface GrantOutcome {
  /** The database (its name on the server). */
  database: string;
  name: string;
  role: AccessRole;
  unmasked: boolean;
  /** This call created the login role. */
  created: boolean;
  /** What the role was before (undefined: it had no access). */
  previous: { role: AccessRole; unmasked: boolean } | undefined;
  /** The role's password was set by this call. */
  passwordSet: boolean;
}

export interface RevokeOutcome {
  database: string;
  name: string;
  /** What the role was (undefined: it had no access, and nothing changed). */
  previous: { role: AccessRole; unmasked: boolean } | undefined;
  /** The login role was dropped (custdb had created it, and nothing else uses it). */
  dropped: boolean;
  /** Why a login role custdb created was kept; undefined when dropped or not custdb's. */
  keptBecause: string | undefined;
}

/** A login role as the server knows it, before any access is changed. */
export interface RoleFacts {
  exists: boolean;
  superuser: boolean;
  canLogin: boolean;
  /** custdb created it (`custdb access grant`), so custdb may change its attributes and drop it. */
  createdByCustdb: boolean;
  /** Its access to this database, when it has some. */
  entry: AccessEntry | undefined;
}

/**
 * Team access to one database, enforced by the server: login roles that are
 * members of the database's owner, staff or analyst group (see
 * src/db/postgres/postgres-access-control.ts for what each group may do).
 * Every change runs in one transaction under custdb's write lock, with
 * `record` writing its audit event in the same transaction. A role that may
 * not change access gets a PermissionDeniedError from the server.
 */
export interface AccessControl {
  /** The database's name on the server. */
  readonly database: string;
  /** Who this connection is to custdb. */
  whoAmI(): Promise<ActingRole>;
  describeRole(name: string): Promise<RoleFacts>;
  /** Every login role with access, by name. */
  list(): Promise<AccessEntry[]>;
  grant(request: GrantRequest, record: (db: Kysely<Database>, outcome: GrantOutcome) => Promise<void>): Promise<GrantOutcome>;
  revoke(name: string, record: (db: Kysely<Database>, outcome: RevokeOutcome) => Promise<void>): Promise<RevokeOutcome>;
}

/**
 * The store's team access, for a dialect that has database roles
 * (PostgreSQL); undefined for a SQLite file, whose access is its file
 * permissions.
 */
export function accessControl(store: Store): AccessControl | undefined {
  return store.dialect.name === 'postgres' ? new PostgresAccessControl(store) : undefined;
}
