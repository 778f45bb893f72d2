-- The audit log records the database role that acted, beside the actor (OS user or --actor, which anyone
-- can type): schema/sqlite/0005-event-db-role.sql, spelled for PostgreSQL, where the server fills it.
--
-- session_user, not current_user: session_user is the login role the connection authenticated as, and
-- stays so for the whole session; current_user changes with SET ROLE (which any member of a group may do,
-- and custdb's migrator does, acting as the database's owner group) and inside SECURITY DEFINER functions,
-- so it would name a group rather than the person. Only a superuser can change session_user.
--
-- The value comes from the column default, never from custdb: the staff group may insert into events but
-- not into this column (src/db/postgres/apply-access-privileges.ts grants INSERT on the others), so a
-- staff member cannot write another role's name. Events written before this migration keep NULL: nobody
-- knows which role wrote them.
ALTER TABLE events ADD COLUMN db_role text COLLATE "C";
ALTER TABLE events ALTER COLUMN db_role SET DEFAULT session_user;
