import { createReadStream, createWriteStream, readFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { Decrypter, Encrypter } from 'age-encryption';
import { InputFileError, UsageError } from '../errors.js';

/** Who can open an encrypted backup: age recipients (public keys, `age1…`), or a passphrase. */
export type BackupEncryption = { recipients: string[] } | { passphrase: string };

/** What opens an encrypted backup: age identities (secret keys, `AGE-SECRET-KEY-1…`), or the passphrase. */
export type BackupKey = { identities: string[]; identityFile: string } | { passphrase: string };

/** Every age file begins with this line, whatever its recipients. */
const AGE_HEADER = 'age-encryption.org/v1\n';

/** True when `file` is in the age format (by its first bytes, not its name). */
export async function isAgeFile(file: string): Promise<boolean> {
  const handle = await open(file, 'r');
  try {
    const start = Buffer.alloc(AGE_HEADER.length);
    const { bytesRead } = await handle.read(start, 0, start.length, 0);
    return start.subarray(0, bytesRead).toString('latin1') === AGE_HEADER;
  } finally {
    await handle.close();
  }
}

/**
 * Encrypts `plain` into `target` (created readable by its owner only; it must
 * not exist) in the age format, streaming, so `age -d` opens it too.
 */
export async function encryptFile(plain: string, target: string, encryption: BackupEncryption): Promise<void> {
  const encrypter = new Encrypter();
  try {
    if ('passphrase' in encryption) encrypter.setPassphrase(encryption.passphrase);
    else for (const recipient of encryption.recipients) encrypter.addRecipient(recipient);
  } catch (error) {
    throw new UsageError(`Not an age recipient: ${(error as Error).message}.`, { hint: 'A recipient is a public key starting "age1…", as age-keygen prints it.', cause: error });
  }
  const input = createReadStream(plain);
  const encrypted = await encrypter.encrypt(Readable.toWeb(input) as ReadableStream<Uint8Array>);
  await pipeline(Readable.fromWeb(encrypted as WebReadableStream<Uint8Array>), createWriteStream(target, { flags: 'wx', mode: 0o600 }));
}

/**
 * Decrypts the age file `encrypted` into `target` (created 0600). A key that
 * does not open it, or a file cut short or altered, is an InputFileError
 * (exit 2); `target` may then hold part of the plain text, so the caller
 * removes it.
 */
export async function decryptFile(encrypted: string, target: string, key: BackupKey): Promise<void> {
  const decrypter = new Decrypter();
  try {
    if ('passphrase' in key) decrypter.addPassphrase(key.passphrase);
    else for (const identity of key.identities) decrypter.addIdentity(identity);
  } catch (error) {
    throw new UsageError(`${'identityFile' in key ? key.identityFile : 'The identity'} holds no usable age identity: ${(error as Error).message}.`, {
      hint: 'Pass the file age-keygen wrote (lines starting "AGE-SECRET-KEY-1").',
      cause: error,
    });
  }
  const input = createReadStream(encrypted);
  try {
    const plain = await decrypter.decrypt(Readable.toWeb(input) as ReadableStream<Uint8Array>);
    await pipeline(Readable.fromWeb(plain as WebReadableStream<Uint8Array>), createWriteStream(target, { flags: 'wx', mode: 0o600 }));
  } catch (error) {
    // A key that does not match fails before the file is read through: release it.
    input.destroy();
    const reason = (error as Error).message;
    const wrongKey = /no identity matched|incorrect passphrase|passphrase|identity/i.test(reason);
    throw new InputFileError(
      wrongKey ? `${encrypted} cannot be decrypted with the ${'passphrase' in key ? 'passphrase given' : `identity in ${key.identityFile}`} (${reason}). Nothing was changed.` : `${encrypted} is damaged or cut short (${reason}). Nothing was changed.`,
      { hint: wrongKey ? 'Use the identity file or passphrase the backup was made for.' : 'Restore another backup.', cause: error },
    );
  }
}

/** The age recipients a recipients file lists (one `age1…` per line; blank lines and `#` comments skipped). */
export function readRecipientsFile(file: string): string[] {
  return keyLines(file, 'recipients file');
}

/** The identities an age identity file holds (`AGE-SECRET-KEY-1…` lines; `#` comments skipped). */
export function readIdentityFile(file: string): BackupKey {
  return { identities: keyLines(file, 'identity file'), identityFile: file };
}

function keyLines(file: string, what: string): string[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new InputFileError(`Cannot read the ${what} ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}.`, {
      hint: `Check the path given for the ${what}.`,
      cause: error,
    });
  }
  const lines = text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
  if (lines.length === 0) throw new InputFileError(`The ${what} ${file} holds no keys.`, { hint: 'Make a key pair with "age-keygen -o key.txt".' });
  return lines;
}
