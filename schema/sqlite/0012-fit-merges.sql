-- What a fit knew of merges (the fits themselves: 0009-customer-predictions.sql). A merge, or its undo, moves
-- orders from one customer to another without adding or changing an order, so the orders' state a fit keeps
-- cannot tell that the histories it was fitted on have changed. Each fit now also keeps the highest merge id
-- and how many merges had been undone: a later read counts the merges made or undone since.
--
-- Fits made before this migration are taken to have seen the merges there are now: nothing says otherwise,
-- and calling every old fit stale would be noise.
ALTER TABLE model_fits ADD COLUMN max_merge_id INTEGER NOT NULL DEFAULT 0;
ALTER TABLE model_fits ADD COLUMN undone_merges INTEGER NOT NULL DEFAULT 0;

UPDATE model_fits SET
  max_merge_id = (SELECT coalesce(max(id), 0) FROM merges),
  undone_merges = (SELECT count(*) FROM merges WHERE undone_at IS NOT NULL);
