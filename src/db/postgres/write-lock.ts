/**
 * custdb's one write lock on a PostgreSQL database: a transaction-scoped
 * advisory lock, released by COMMIT or ROLLBACK (and by the server when the
 * connection drops), so a killed process never leaves it held. It plays the
 * part of SQLite's single writer: migrations and every Kysely transaction
 * take it first, so two custdb processes write one after the other, as they
 * do on a SQLite file. Waiting for it counts against lock_timeout
 * (BUSY_TIMEOUT_MS), after which the server answers 55P03 (DatabaseBusyError).
 * The key pair is ('cust' in ASCII, 1); advisory locks are per database.
 */
export const TAKE_WRITE_LOCK_SQL = 'SELECT pg_advisory_xact_lock(1668641652, 1)';
