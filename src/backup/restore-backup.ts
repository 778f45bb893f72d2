import { randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { recordEvent } from '../audit/record-event.js';
import { inspectBackupFile, keyOfFile, migrationsToApply, openRestoredCopy, replaceDatabase } from '../db/backup-file.js';
import { nowIso } from '../db/clock.js';
import { countRows } from '../db/copy-tables.js';
import { isPostgresUrl, openStore, type DatabaseKey, type KeySupply } from '../db/open-store.js';
import type { Store } from '../db/store.js';
import { readSuppressionKey, suppressionKeyFile, SuppressionKeyMissingError } from '../db/suppressions.js';
import { CustdbError, InputFileError, SchemaMismatchError, UsageError } from '../errors.js';
import { decryptFile, isAgeFile, type BackupKey } from './age-files.js';

/** What a restore will replace, and with what (shown before it asks). */
export interface RestorePlan {
  /** The backup file as given, and whether it was age-encrypted. */
  file: string;
  encrypted: boolean;
  /** When the backup was taken and from which database, when it says (custdb's own backups do). */
  takenAt: string | undefined;
  source: string | undefined;
  /** Rows of each table in the backup. */
  backupCounts: Record<string, number>;
  /** Rows of each table in the database now; undefined when there is none yet, or it cannot be read (`currentProblem`). */
  currentCounts: Record<string, number> | undefined;
  currentProblem: string | undefined;
  /** Migrations the restored database gets, for a backup from an older custdb. */
  migrationsToApply: string[];
}

export interface RestoreResult {
  location: string;
  /** The replaced database file, kept (SQLite); undefined for a server database or when there was none. */
  beforeRestore: string | undefined;
  /** Suppressions of erased people carried over from the replaced database. */
  suppressionsCarried: number;
  /** People the backup still held who had been erased since, erased again. */
  erasedAgain: number;
  /** The suppression key file put beside the database from the backup's `<backup>.keys`, when the database had none; undefined otherwise. */
  keysFile: string | undefined;
}

/** Erases again the people the carried-over suppressions name, in the restored database before it goes live; returns how many. */
export type ReapplyErasures = (store: Store) => Promise<number>;

export interface PreparedRestore {
  plan: RestorePlan;
  /** Replaces the database with the backup; nothing is replaced when it throws. */
  apply(options: { actor: string; reapplyErasures: ReapplyErasures }): Promise<RestoreResult>;
  /** Removes the decrypted copy, if any; call once done, applied or not. */
  dispose(): void;
}

/**
 * Opens and verifies a backup before anything is replaced: decrypts it when
 * it is an age file (to a private temporary folder), runs SQLite's integrity
 * check, refuses a backup from a newer custdb (SchemaMismatchError) and one
 * whose rows differ from those recorded when it was written, and counts the
 * database it would replace. A damaged, cut-short or foreign file is an
 * InputFileError (exit 2), thrown with the database untouched.
 */
export async function prepareRestore(location: string, file: string, key: BackupKey | undefined, databaseKey: KeySupply): Promise<PreparedRestore> {
  const backup = path.resolve(file);
  const keys = askingOnce(databaseKey);
  const currentKey = await keyOfFile(path.resolve(location), keys);
  // A database a newer custdb wrote is refused first (SchemaMismatchError), as every command does: this build cannot know what it would replace.
  const current = await countCurrent(location, currentKey);
  if (!existsSync(backup) || !statSync(backup).isFile()) throw new InputFileError(`No backup file at ${backup}.`, { hint: 'Give the path of a file "custdb backup" wrote.' });
  const privateDir = mkdtempSync(path.join(tmpdir(), 'custdb-restore-'));
  const dispose = () => rmSync(privateDir, { recursive: true, force: true });
  try {
    const encrypted = await isAgeFile(backup);
    let plain = backup;
    if (encrypted) {
      if (key === undefined) {
        throw new UsageError(`${backup} is encrypted (age).`, { hint: 'Give the identity it was encrypted to with --identity FILE, or --passphrase.' });
      }
      plain = path.join(privateDir, 'backup.db');
      await decryptFile(backup, plain, key);
    }
    // A backup of an encrypted database is encrypted by the same cipher and key (with or without age around it).
    const backupDatabaseKey = await keyOfFile(plain, keys);
    const inspection = inspectBackupFile(plain, backupDatabaseKey);
    const problems = [...inspection.damage];
    if (problems.length === 0 && inspection.recordedCounts !== undefined) {
      for (const [table, rows] of Object.entries(inspection.recordedCounts)) {
        if (inspection.counts[table] !== rows) problems.push(`${table} has ${inspection.counts[table] ?? 'no'} rows, but the backup recorded ${rows}`);
      }
    }
    if (problems.length > 0) {
      throw new InputFileError(`${backup} is not a usable custdb backup: ${problems.slice(0, 3).join('; ').replace(/\.+$/, '')}. Nothing was changed.`, {
        hint: 'Restore another backup (custdb backup writes them to the backups folder beside the database).',
      });
    }
    const pending = migrationsToApply(inspection, backup);
    const plan: RestorePlan = {
      file: backup,
      encrypted,
      takenAt: inspection.takenAt,
      source: inspection.source,
      backupCounts: inspection.counts,
      currentCounts: current.counts === undefined ? undefined : Object.fromEntries(Object.keys(inspection.counts).map((t) => [t, current.counts![t] ?? 0])),
      currentProblem: current.problem,
      migrationsToApply: pending,
    };
    const sources = { plain, privateDir, backupDatabaseKey, backupKey: key, currentKey };
    return { plan, apply: (options) => applyRestore(location, sources, plan, options), dispose };
  } catch (error) {
    dispose();
    throw error;
  }
}

/**
 * The restored copy is built beside the database (so one rename swaps it in),
 * or in the private folder for a server database: migrated, given the current
 * database's suppressions, its erasures re-applied, the restore recorded in
 * its audit log; only then does it replace the database.
 */
async function applyRestore(
  location: string,
  sources: { plain: string; privateDir: string; backupDatabaseKey: DatabaseKey | undefined; backupKey: BackupKey | undefined; currentKey: DatabaseKey | undefined },
  plan: RestorePlan,
  options: { actor: string; reapplyErasures: ReapplyErasures },
): Promise<RestoreResult> {
  const folder = isPostgresUrl(location) ? sources.privateDir : path.dirname(path.resolve(location));
  const restoredFile = path.join(folder, `.${path.basename(location)}.restore-${randomBytes(4).toString('hex')}.db`);
  const restoredKeyFile = suppressionKeyFile(restoredFile);
  try {
    const restored = await openRestoredCopy(sources.plain, restoredFile, sources.backupDatabaseKey);
    let suppressionsCarried = 0;
    let keptBackupKeyFile = false;
    let erasedAgain: number;
    try {
      suppressionsCarried = await carrySuppressions(location, plan, restored, restoredKeyFile, sources.currentKey);
      if (!existsSync(restoredKeyFile)) keptBackupKeyFile = await takeBackupKeyFile(plan.file, restoredKeyFile, sources);
      if (!existsSync(restoredKeyFile)) keptBackupKeyFile = await takeServerBackupKey(restored, restoredKeyFile, isPostgresUrl(location));
      await assertSuppressionKey(restored, restoredKeyFile, location, plan.file);
      erasedAgain = await options.reapplyErasures(restored);
      await restored.transaction((trx) =>
        recordEvent(trx, {
          actor: options.actor,
          command: 'restore',
          summary: `restored the backup ${path.basename(plan.file)}${plan.takenAt === undefined ? '' : ` taken at ${plan.takenAt}`}`,
          details: { file: plan.file, takenAt: plan.takenAt ?? null, source: plan.source ?? null, migrationsApplied: plan.migrationsToApply, suppressionsCarried, erasedAgain },
        }),
      );
    } finally {
      await restored.close();
    }
    const { beforeRestore } = await replaceDatabase(location, restoredFile, { current: sources.currentKey, restored: sources.backupDatabaseKey });
    // The database had no key file of its own: the backup's now serves it, as it served the restored copy.
    const keysFile = keptBackupKeyFile && !isPostgresUrl(location) ? suppressionKeyFile(path.resolve(location)) : undefined;
    if (keysFile !== undefined) copyFileSync(restoredKeyFile, keysFile);
    return { location, beforeRestore, suppressionsCarried, erasedAgain, keysFile };
  } finally {
    for (const suffix of ['', '-wal', '-shm', '-journal', '.keys']) rmSync(`${restoredFile}${suffix}`, { force: true });
  }
}

/**
 * When the replaced database has no suppression key, the one `custdb backup`
 * saved beside the backup (`<backup>.keys`, age-encrypted when the backup is)
 * becomes the restored copy's. Returns whether there was one.
 */
async function takeBackupKeyFile(backup: string, restoredKeyFile: string, sources: { backupKey: BackupKey | undefined }): Promise<boolean> {
  const saved = suppressionKeyFile(backup);
  if (!existsSync(saved)) return false;
  if (await isAgeFile(saved)) {
    if (sources.backupKey === undefined) return false;
    await decryptFile(saved, restoredKeyFile, sources.backupKey);
  } else {
    copyFileSync(saved, restoredKeyFile);
  }
  return true;
}

/**
 * A backup of a PostgreSQL database holds its suppression key as the
 * suppression_key row: it becomes the restored copy's key file, and a file
 * database being restored into does not keep it inside (the key lives apart
 * from the hashes there). Returns whether there was one.
 */
async function takeServerBackupKey(restored: Store, restoredKeyFile: string, intoServer: boolean): Promise<boolean> {
  const row = await restored.db.selectFrom('suppression_key').select('key').where('id', '=', 1).executeTakeFirst();
  if (row === undefined) return false;
  writeFileSync(restoredKeyFile, `${row.key}\n`, { mode: 0o600, flag: 'wx' });
  if (!intoServer) await restored.transaction((trx) => trx.deleteFrom('suppression_key').execute());
  return true;
}

/** Refuses, before anything is replaced, a restore whose erased people's hashes could not be checked for want of their key. */
async function assertSuppressionKey(restored: Store, restoredKeyFile: string, location: string, backup: string): Promise<void> {
  const hashes = await restored.db.selectFrom('suppressions').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  if (Number(hashes.n) === 0 || (await readSuppressionKey(restored, restored.db, { create: false })) !== undefined) return;
  const databaseKeyFile = isPostgresUrl(location) ? 'the suppression_key table' : suppressionKeyFile(path.resolve(location));
  throw new SuppressionKeyMissingError(
    `The backup holds hashes of erased people, but their key is neither in ${databaseKeyFile} nor in ${suppressionKeyFile(backup)}, so the restore could not keep them erased. Nothing was changed.`,
    { hint: `Put the .keys file saved with the database or with the backup at ${suppressionKeyFile(backup)}, then run "custdb restore" again.` },
  );
}

/** The key supply, asking (in a terminal) at most once though a restore opens up to three files with it. */
function askingOnce(supply: KeySupply): KeySupply {
  const { ask } = supply;
  if (ask === undefined) return supply;
  let asked: Promise<DatabaseKey> | undefined;
  return { given: () => supply.given(), ask: (file) => (asked ??= ask(file)) };
}

/**
 * Copies the suppressions of the database being replaced into the restored
 * copy, with the key they are hashed with (written to `restoredKeyFile`, and
 * on a server kept as its suppression_key row): an erasure made after the
 * backup must survive the restore.
 */
async function carrySuppressions(location: string, plan: RestorePlan, restored: Store, restoredKeyFile: string, key: DatabaseKey | undefined): Promise<number> {
  if (plan.currentCounts === undefined) return 0;
  const { store } = await openStore({ location, create: false, migrations: 'check', key: { given: () => key } });
  let rows;
  let suppressionKey: Buffer | undefined;
  try {
    // An empty server database (to be filled by this restore) has no tables yet.
    if (!(await store.tableNames()).includes('suppressions')) return 0;
    rows = await store.db.selectFrom('suppressions').selectAll().execute();
    suppressionKey = await readSuppressionKey(store, store.db, { create: false });
  } finally {
    await store.close();
  }
  if (suppressionKey !== undefined) {
    writeFileSync(restoredKeyFile, `${suppressionKey.toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
    // On SQLite the key stays out of the database (in the file above), apart from the hashes.
    if (isPostgresUrl(location)) {
      await restored.db
        .insertInto('suppression_key')
        .values({ id: 1, key: suppressionKey.toString('hex'), created_at: nowIso() })
        .onConflict((oc) => oc.column('id').doNothing())
        .execute();
    }
  }
  if (rows.length === 0) return 0;
  await restored.transaction(async (trx) => {
    for (let k = 0; k < rows.length; k += 500) {
      await trx.insertInto('suppressions').values(rows.slice(k, k + 500)).onConflict((oc) => oc.column('hash').doNothing()).execute();
    }
  });
  return rows.length;
}

async function countCurrent(location: string, key: DatabaseKey | undefined): Promise<{ counts: Record<string, number> | undefined; problem: string | undefined }> {
  if (!isPostgresUrl(location) && !existsSync(path.resolve(location))) return { counts: undefined, problem: undefined };
  try {
    // The key only when the file is encrypted (keyOfFile): a key given for a plain database is the backup's.
    const { store } = await openStore({ location, create: false, migrations: 'check', key: { given: () => key } });
    try {
      const tables = (await store.tableNames()).filter((t) => t !== 'schema_migrations');
      return { counts: await store.readTransaction((db) => countRows(db, tables)), problem: undefined };
    } finally {
      await store.close();
    }
  } catch (error) {
    // A damaged database is what a restore is for; one from a newer custdb is not this build's to replace.
    if (error instanceof CustdbError && !(error instanceof SchemaMismatchError)) return { counts: undefined, problem: error.message };
    throw error;
  }
}
