import { recordEvent } from '../audit/record-event.js';
import type { RevokeOutcome } from '../db/access-control.js';
import type { Store } from '../db/store.js';
import { NotFoundError, UsageError } from '../errors.js';
import { describeRole } from './grant-access.js';
import { requireAccessControl } from './require-access-control.js';

/**
 * Takes login role `name`'s access to the store's PostgreSQL database away
 * (its group membership, and the masked search_path), and drops the login
 * role when custdb created it and nothing else uses it; recorded in the audit
 * log. A role with no access is left as it is (`previous` undefined). Throws
 * NotFoundError for a role the server does not know, UsageError for a SQLite
 * file or the caller's own role; the server refuses a caller who is not an
 * owner (PermissionDeniedError).
 */
export async function revokeAccess(store: Store, options: { name: string; actor: string }): Promise<RevokeOutcome> {
  const access = requireAccessControl(store);
  const { name } = options;
  const me = await access.whoAmI();
  if (me.user === name) {
    throw new UsageError(`You are connected as ${name}: custdb does not take away the access of the role it is acting as.`, {
      hint: 'Ask another owner to run it, or connect as another owner (--db postgres://OTHER@…).',
    });
  }
  const facts = await access.describeRole(name);
  if (!facts.exists) {
    throw new NotFoundError(`There is no role named ${name} on the server of ${access.database}.`, { hint: 'custdb access list shows who has access.' });
  }
  return access.revoke(name, async (db, outcome) => {
    const was = outcome.previous === undefined ? 'no' : describeRole(outcome.previous.role, outcome.previous.unmasked);
    await recordEvent(db, {
      actor: options.actor,
      command: 'access revoke',
      summary: `revoked ${name}'s access (was ${was})${outcome.dropped ? '; dropped the login role' : ''}`,
      details: { name, previous: outcome.previous ?? null, dropped: outcome.dropped, keptBecause: outcome.keptBecause ?? null },
    });
  });
}
