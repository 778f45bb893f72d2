import { accessControl, type AccessControl } from '../db/access-control.js';
import type { Store } from '../db/store.js';
import { UsageError } from '../errors.js';

/**
 * The store's team access; throws UsageError (exit 2) for a SQLite file,
 * whose access is its file permissions, naming how to keep it private.
 */
export function requireAccessControl(store: Store): AccessControl {
  const access = accessControl(store);
  if (access !== undefined) return access;
  const file = store.file ?? store.location;
  throw new UsageError(`${file} is a SQLite file: who may read or change it is decided by its file permissions, not by database roles.`, {
    hint: `Keep it readable by you only (chmod 600 ${file}, as custdb init makes it); to give a team owner, staff and analyst roles, keep the data in PostgreSQL (--db postgres://…).`,
  });
}
