-- The audit log as a hash chain: schema/sqlite/0011-audit-chain.sql, spelled for PostgreSQL. Entries written
-- before this migration stay unchained (NULL hashes), as on SQLite, and audit_head counts them.
ALTER TABLE events ADD COLUMN prev_hash text COLLATE "C";
ALTER TABLE events ADD COLUMN hash text COLLATE "C";

CREATE TABLE audit_head (
  id                 integer PRIMARY KEY CHECK (id = 1),
  unchained_entries  integer NOT NULL,
  chained_entries    integer NOT NULL,
  head_hash          text COLLATE "C"
);

INSERT INTO audit_head (id, unchained_entries, chained_entries) SELECT 1, count(*), 0 FROM events;
