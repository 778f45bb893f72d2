-- Erasure that sticks (`custdb privacy forget`, `custdb purge`); see schema/sqlite/0010-erasure.sql.
ALTER TABLE suppressions ADD COLUMN erased_on text COLLATE "C";

-- The key of the suppressions' HMACs. A server database has no file beside it that every team member's
-- custdb could read, so the key is a row here, kept from analysts by its privileges (custdb access):
-- owners write it, staff read it (their imports must recognise erased people), analysts cannot read it.
CREATE TABLE suppression_key (
  id          integer PRIMARY KEY CHECK (id = 1),
  key         text COLLATE "C" NOT NULL,
  created_at  text COLLATE "C" NOT NULL
);
