-- What a fit knew of merges: schema/sqlite/0012-fit-merges.sql, spelled for PostgreSQL (read that file for why).
ALTER TABLE model_fits ADD COLUMN max_merge_id bigint NOT NULL DEFAULT 0;
ALTER TABLE model_fits ADD COLUMN undone_merges bigint NOT NULL DEFAULT 0;

UPDATE model_fits SET
  max_merge_id = (SELECT coalesce(max(id), 0) FROM merges),
  undone_merges = (SELECT count(*) FROM merges WHERE undone_at IS NOT NULL);
