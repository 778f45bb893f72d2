import { createHash } from 'node:crypto';

/** The part of an audit entry its hash covers: everything custdb writes into it. */
export interface ChainedContent {
  at: string;
  actor: string;
  command: string;
  summary: string;
  details_json: string;
}

/**
 * The entry's link in the audit chain: SHA-256 (hex) over the previous entry's hash and the entry's content,
 * as one JSON array so that no two different entries serialise alike. The id is left out (it is given by the
 * database on insert); the order is kept by prev_hash instead. db_role is left out too: PostgreSQL fills it
 * after custdb has computed the hash.
 */
export function hashEvent(prevHash: string | null, entry: ChainedContent): string {
  const canonical = JSON.stringify([prevHash, entry.at, entry.actor, entry.command, entry.summary, entry.details_json]);
  return createHash('sha256').update(canonical, 'utf8').digest('hex');
}
