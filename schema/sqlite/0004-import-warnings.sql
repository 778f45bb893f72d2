-- Every warning an import gave, with the line of the file it is about, for `custdb imports show N --warnings`.
-- Written as the rows are read, inside the import's transaction: a dry run or a refused file keeps none.
-- Kept when the batch is undone: they describe the file, not what it changed.
CREATE TABLE import_warnings (
  id        INTEGER PRIMARY KEY,
  batch_id  INTEGER NOT NULL REFERENCES import_batches (id),
  line      INTEGER NOT NULL,
  field     TEXT NOT NULL,
  message   TEXT NOT NULL
);
CREATE INDEX import_warnings_batch ON import_warnings (batch_id, id);
