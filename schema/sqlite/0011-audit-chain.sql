-- The audit log as a hash chain (src/audit/record-event.ts, checked by src/audit/verify-audit-chain.ts through
-- custdb doctor). Each entry written from now on carries prev_hash, the hash of the entry before it, and hash,
-- SHA-256 over prev_hash and the entry's own content; so an entry changed or deleted afterwards no longer
-- fits its neighbours. The last entry has no neighbour after it, so the head of the chain (how many chained
-- entries there are and the last one's hash) is kept in audit_head, written in the same transaction as the
-- entry: a log cut short at the end disagrees with it.
--
-- Entries written before this migration are not chained (SQLite has no SHA-256 to do it here, and the
-- migration must give the same result on both dialects): they keep NULL hashes, and audit_head remembers how
-- many there were, so deleting one of them is still noticed. The chain starts at the first entry written after.
ALTER TABLE events ADD COLUMN prev_hash TEXT;
ALTER TABLE events ADD COLUMN hash TEXT;

CREATE TABLE audit_head (
  id                 INTEGER PRIMARY KEY CHECK (id = 1),
  unchained_entries  INTEGER NOT NULL,
  chained_entries    INTEGER NOT NULL,
  head_hash          TEXT
);

INSERT INTO audit_head (id, unchained_entries, chained_entries) SELECT 1, count(*), 0 FROM events;
