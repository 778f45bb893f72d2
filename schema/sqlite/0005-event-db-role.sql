-- The audit log records the database role that acted, beside the actor (OS user or --actor). A SQLite file
-- has no roles: who may write it is decided by its file permissions, so the column stays NULL here. It
-- exists so that both dialects have the same columns (schema/postgres/0005-event-db-role.sql fills it).
ALTER TABLE events ADD COLUMN db_role TEXT;
