/** Names PostgreSQL keeps for itself, or that mean something else where a role name goes. */
const RESERVED = new Set(['public', 'none', 'current_user', 'current_role', 'session_user', 'user']);

/**
 * Why `name` cannot be a custdb login role, or undefined when it can: 1 to 63
 * bytes (PostgreSQL cuts longer names), letters, digits and `_ . @ -` only (a
 * name that needs no care in a URL's user part, a shell or pg_hba.conf), not
 * a name reserved by PostgreSQL (pg_…, public), and not one of custdb's own
 * group roles (custdb_<database>_owner …). Never throws.
 *
 * @example checkRoleName('ana') // undefined
 * @example checkRoleName('pg_monitor') // 'names starting with pg_ are reserved by PostgreSQL'
 */
export function checkRoleName(name: string): string | undefined {
  if (name === '') return 'it is empty';
  if (Buffer.byteLength(name, 'utf8') > 63) return 'it is longer than 63 bytes, where PostgreSQL cuts role names';
  if (!/^[A-Za-z_][A-Za-z0-9_.@-]*$/.test(name)) return 'a role name here starts with a letter or _ and holds only letters, digits and _ . @ -';
  if (/^pg_/i.test(name)) return 'names starting with pg_ are reserved by PostgreSQL';
  if (RESERVED.has(name.toLowerCase())) return `${name} is a reserved word where PostgreSQL expects a role`;
  if (/^custdb_.*_(owner|staff|analyst|analyst_unmasked)$/.test(name)) return "it is the form of custdb's own group roles (custdb_<database>_<role>)";
  return undefined;
}
