-- A saved segment's purpose, beside its definition: schema/sqlite/0006-segment-description.sql, spelled
-- for PostgreSQL.
ALTER TABLE segments ADD COLUMN description text COLLATE "C";
