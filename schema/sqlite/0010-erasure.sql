-- Erasure that sticks (`custdb privacy forget`, `custdb purge`).
--
-- suppressions.erased_on: the day the person was erased ('YYYY-MM-DD'), which an import names when it
-- rejects a row of theirs ("erased on 2026-12-05"). NULL for rows written before this migration.
ALTER TABLE suppressions ADD COLUMN erased_on TEXT;

-- The key of the suppressions' HMACs. Kept apart from the hashes, so that whoever holds the hashes alone
-- cannot test guesses against them. On SQLite the key lives in a file beside the database (<file>.keys,
-- mode 0600, src/db/suppressions.ts): a copy of the database file alone does not carry it, and this
-- table stays empty. It exists so that both dialects have the same tables; PostgreSQL keeps its key here.
CREATE TABLE suppression_key (
  id          INTEGER PRIMARY KEY CHECK (id = 1),
  key         TEXT NOT NULL,
  created_at  TEXT NOT NULL
);
