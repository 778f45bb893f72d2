import { randomBytes } from 'node:crypto';
import { chmodSync, constants, copyFileSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { fsyncFile, fsyncFolder, inspectBackupFile, stampBackupFile } from '../db/backup-file.js';
import type { Store } from '../db/store.js';
import { suppressionKeyFile } from '../db/suppressions.js';
import { CustdbError, OutputFileError } from '../errors.js';
import { encryptFile, type BackupEncryption } from './age-files.js';
import { defaultBackupName, planRotation } from './backup-names.js';
import { compareBackup } from './compare-backup.js';
import { backupFolderOf, databaseNameOf } from './backup-folder.js';

export interface BackupRequest {
  /** Where to write it; default: a dated name (backup-names.ts) in `dir`. */
  file?: string | undefined;
  /** The folder for a dated name; default: `backups` beside the database file (backupFolderOf). */
  dir?: string | undefined;
  /** After writing, remove older dated backups of this database in the backup's folder so that this many remain. */
  keep?: number | undefined;
  encryption?: BackupEncryption | undefined;
  now?: Date;
  /** Hears each step as it begins, and a long copy's rows. */
  onStep?: (step: 'copy' | 'verify' | 'encrypt', detail?: { table: string; rows: number }) => void;
}

export interface BackupResult {
  file: string;
  bytes: number;
  takenAt: string;
  encrypted: boolean;
  /** Rows of each table in the backup (the source's, at the moment copied). */
  counts: Record<string, number>;
  /** The database's suppression key saved beside the backup as `<backup>.keys` (age-encrypted alike when the backup is); undefined when the database has no key file. */
  keysFile: string | undefined;
  /** Older backups removed by --keep. */
  removed: string[];
}

/**
 * Writes a verified backup of the database: a consistent copy (taken while
 * other commands may be writing) to a temporary name in the target folder,
 * checked (SQLite's integrity check, the source's migrations, every table's
 * row count against the source's in the same snapshot), optionally encrypted
 * with age, flushed to disk and renamed into place, readable by its owner only.
 * A failure leaves no file behind; an existing target is never overwritten.
 */
export async function takeBackup(store: Store, request: BackupRequest = {}): Promise<BackupResult> {
  const now = request.now ?? new Date();
  const takenAt = now.toISOString();
  const encrypted = request.encryption !== undefined;
  const dbName = databaseNameOf(store);
  let target: string;
  if (request.file !== undefined) {
    target = path.resolve(request.file);
  } else {
    const dir = path.resolve(request.dir ?? backupFolderOf(store));
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    target = path.join(dir, defaultBackupName(dbName, now, encrypted, new Set(readdirSync(dir))));
  }
  const folder = path.dirname(target);
  if (existsSync(target)) {
    throw new OutputFileError(`${target} already exists; a backup never overwrites a file.`, { hint: 'Give another file name, or remove the old file first.' });
  }
  if (!existsSync(folder)) throw new OutputFileError(`Cannot write ${target}: its folder does not exist.`, { hint: 'Create the folder, or give --dir to have custdb create it.' });

  const temp = path.join(folder, `.${path.basename(target)}.${randomBytes(4).toString('hex')}.tmp`);
  const plain = `${temp}.db`;
  const sealed = `${temp}.age`;
  const keysTemp = `${temp}.keys`;
  try {
    request.onStep?.('copy');
    const source = await store.writeBackup(plain, (table, rows) => request.onStep?.('copy', { table, rows }));
    stampBackupFile(plain, source.key, { takenAt, source: store.location, counts: source.counts });
    request.onStep?.('verify');
    const problems = compareBackup(inspectBackupFile(plain, source.key), source);
    if (problems.length > 0) {
      throw new CustdbError(`The copy of ${store.location} did not match the database, so no backup was written: ${problems.slice(0, 5).join('; ')}.`, {
        hint: 'Run "custdb doctor" on the database, then try again.',
      });
    }
    let written = plain;
    if (request.encryption !== undefined) {
      request.onStep?.('encrypt');
      await encryptFile(plain, sealed, request.encryption);
      rmSync(plain);
      written = sealed;
    }
    const keysFile = (await saveSuppressionKey(store, keysTemp, request.encryption)) ? suppressionKeyFile(target) : undefined;
    fsyncFile(written);
    renameSync(written, target);
    if (keysFile !== undefined) renameSync(keysTemp, keysFile);
    fsyncFolder(folder);
    const removed = request.keep === undefined ? [] : rotate(folder, dbName, request.keep);
    return { file: target, bytes: statSync(target).size, takenAt, encrypted, counts: source.counts, keysFile, removed };
  } catch (error) {
    if (error instanceof CustdbError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EACCES' || code === 'EROFS' || code === 'ENOSPC') {
      throw new OutputFileError(`Cannot write the backup ${target}: ${code === 'ENOSPC' ? 'the disk is full' : 'permission denied'}.`, { hint: 'Choose a writable folder with --dir or a FILE.', cause: error });
    }
    throw error;
  } finally {
    for (const file of [plain, `${plain}-journal`, sealed, keysTemp]) rmSync(file, { force: true });
  }
}

/**
 * Copies a SQLite database's suppression key (`<db>.keys`, kept apart from the
 * hashes, so not in the copy) to `target`, mode 0600: without it a restore on
 * another machine could not keep erased people erased. With age encryption it
 * is encrypted the same way, since beside an unencrypted database the key lets
 * anyone test guessed emails against its hashes. Returns whether there was one
 * (a server keeps its key in a table, which the copy holds).
 */
async function saveSuppressionKey(store: Store, target: string, encryption: BackupEncryption | undefined): Promise<boolean> {
  if (store.file === undefined) return false;
  const keys = suppressionKeyFile(store.file);
  if (!existsSync(keys)) return false;
  if (encryption !== undefined) await encryptFile(keys, target, encryption);
  else copyFileSync(keys, target, constants.COPYFILE_EXCL);
  chmodSync(target, 0o600);
  fsyncFile(target);
  return true;
}

function rotate(folder: string, dbName: string, keep: number): string[] {
  const removed = planRotation(dbName, readdirSync(folder), keep).map((file) => path.join(folder, file));
  for (const file of removed) for (const each of [file, suppressionKeyFile(file)]) rmSync(each, { force: true });
  return removed;
}
