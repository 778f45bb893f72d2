import { createHash, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto';

/** PostgreSQL's default iteration count for SCRAM-SHA-256 (scram_iterations). */
const ITERATIONS = 4096;

/**
 * The SCRAM-SHA-256 verifier PostgreSQL stores for `password` (RFC 5802/7677,
 * as libpq's PQencryptPasswordConn makes it): `CREATE ROLE … PASSWORD` given a
 * verifier stores it as it is, so the password itself never reaches the server
 * — nor its statement log — as psql's \password does. The password is
 * normalised to NFKC (SASLprep's normalisation; PostgreSQL uses the raw bytes
 * when preparation fails, and so do logins through libpq and pg).
 *
 * @example scramVerifier('s3cret') // 'SCRAM-SHA-256$4096:…$…:…'
 */
export function scramVerifier(password: string, salt: Buffer = randomBytes(16)): string {
  const salted = pbkdf2Sync(Buffer.from(password.normalize('NFKC'), 'utf8'), salt, ITERATIONS, 32, 'sha256');
  const clientKey = createHmac('sha256', salted).update('Client Key').digest();
  const storedKey = createHash('sha256').update(clientKey).digest();
  const serverKey = createHmac('sha256', salted).update('Server Key').digest();
  return `SCRAM-SHA-256$${ITERATIONS}:${salt.toString('base64')}$${storedKey.toString('base64')}:${serverKey.toString('base64')}`;
}
