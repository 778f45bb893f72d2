import type { AccessEntry } from '../db/access-control.js';
import type { Store } from '../db/store.js';
import { requireAccessControl } from './require-access-control.js';

export interface AccessList {
  /** The database's name on the server. */
  database: string;
  /** The login role this command ran as. */
  you: string;
  /** Every login role with a custdb role here, by name. */
  roles: AccessEntry[];
}

/** Who has access to the store's PostgreSQL database, and as what; reads the server's catalog only. Throws UsageError for a SQLite file. */
export async function listAccess(store: Store): Promise<AccessList> {
  const access = requireAccessControl(store);
  const [me, roles] = [await access.whoAmI(), await access.list()];
  return { database: access.database, you: me.user, roles };
}
