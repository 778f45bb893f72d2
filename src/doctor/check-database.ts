import { existsSync, statSync } from 'node:fs';
import { backupFolderOf, databaseNameOf } from '../backup/backup-folder.js';
import { parseBackupMaxAge } from '../backup/backup-max-age.js';
import { listBackups } from '../backup/list-backups.js';
import { recordEvent } from '../audit/record-event.js';
import { verifyAuditChain } from '../audit/verify-audit-chain.js';
import { findCustomerMetricsDrift, rebuildCustomerMetrics } from '../db/customer-metrics.js';
import { openStore, type KeySupply } from '../db/open-store.js';
import type { Store } from '../db/store.js';
import { getSetting } from '../setup/settings.js';
import { DatabaseOpenError } from '../errors.js';

export interface DoctorFinding {
  severity: 'error' | 'warning';
  check: 'open' | 'integrity' | 'foreign-keys' | 'migrations' | 'permissions' | 'metrics' | 'audit-log' | 'backups';
  message: string;
}

export interface DoctorReport {
  path: string;
  ok: boolean;
  checks: {
    integrity: 'ok' | 'damaged' | 'not-run';
    foreignKeys: 'ok' | 'violations' | 'not-run';
    migrations: 'current' | 'pending' | 'not-run';
    /**
     * Stored customer metrics against a grouping of the orders and interactions: 'stale' when they
     * disagree, 'recomputed' when they did and `fix` recomputed them.
     */
    metrics: 'ok' | 'stale' | 'recomputed' | 'not-run';
    /** The audit log's hash chain: 'tampered' when an entry was changed, deleted or added, or the log cut short. */
    auditLog: 'ok' | 'tampered' | 'not-run';
    /** The dated backups of this database in its backups folder (custdb backup's default): how many, and the newest (what doctor's damage advice restores). */
    backups: { count: number; newestAt: string | null; newestFile: string | null } | 'not-run';
  };
  findings: DoctorFinding[];
  /** The cipher the file is encrypted with (`chacha20`); null for a file that is not encrypted, or a server. */
  cipher: string | null;
}

export interface DoctorOptions {
  /** Recompute stale stored metrics (the one finding doctor repairs), recording who did it. */
  fix?: { actor: string };
  /** The key of an encrypted file. */
  key?: KeySupply;
}

/**
 * Checks a database without changing it: SQLite's page-level integrity check,
 * foreign keys, migration state, file permissions, and whether the stored
 * customer metrics agree with the orders and interactions, and whether the
 * audit log is as custdb wrote it. Damage is returned as
 * findings (ok: false), never thrown; a missing file still throws.
 */
export async function checkDatabase(location: string, options: DoctorOptions = {}): Promise<DoctorReport> {
  const findings: DoctorFinding[] = [];
  const checks: DoctorReport['checks'] = { integrity: 'not-run', foreignKeys: 'not-run', migrations: 'not-run', metrics: 'not-run', auditLog: 'not-run', backups: 'not-run' };
  let opened: Awaited<ReturnType<typeof openStore>>;
  try {
    opened = await openStore({ location, create: false, migrations: 'check', ...(options.key === undefined ? {} : { key: options.key }) });
  } catch (error) {
    // A file too damaged to open is exactly what doctor is for; a missing one is a usage error.
    if (error instanceof DatabaseOpenError && /damaged|not a SQLite database/.test(error.message)) {
      findings.push({ severity: 'error', check: 'open', message: error.message });
      checks.integrity = 'damaged';
      return { path: location, ok: false, checks, findings, cipher: null };
    }
    throw error;
  }
  const { store, before } = opened;
  try {
    const integrity = await store.checkIntegrity();
    checks.integrity = integrity.damage.length === 0 ? 'ok' : 'damaged';
    for (const line of integrity.damage.slice(0, 20)) findings.push({ severity: 'error', check: 'integrity', message: line });
    if (integrity.damage.length > 20) findings.push({ severity: 'error', check: 'integrity', message: `… and ${integrity.damage.length - 20} more problems` });

    checks.foreignKeys = integrity.danglingReferences.length === 0 ? 'ok' : 'violations';
    for (const v of integrity.danglingReferences.slice(0, 20)) {
      findings.push({ severity: 'error', check: 'foreign-keys', message: `${v.table} row ${v.row} points at a missing ${v.parent} row` });
    }

    // Regrouping a damaged file says nothing; before the migration that adds them there are no stored metrics.
    const hasStoredMetrics = (await store.tableNames()).includes('customer_metrics');
    if (checks.integrity === 'ok' && hasStoredMetrics) {
      const drift = await findCustomerMetricsDrift(store, 5);
      checks.metrics = drift.count === 0 ? 'ok' : 'stale';
      const who = `${drift.count} customer(s) (${drift.sample.join(', ')}${drift.count > drift.sample.length ? ', …' : ''})`;
      if (drift.count > 0 && options.fix && before.pending.length === 0) {
        const fix = options.fix;
        // The recomputation and its audit entry commit together.
        await store.transaction(async (trx) => {
          await rebuildCustomerMetrics(trx);
          await recordEvent(trx, {
            actor: fix.actor,
            command: 'doctor --fix',
            summary: `recomputed the stored metrics of every customer: ${drift.count} disagreed with their orders and interactions`,
            details: { staleCustomers: drift.count, sample: drift.sample },
          });
        });
        checks.metrics = (await findCustomerMetricsDrift(store, 5)).count === 0 ? 'recomputed' : 'stale';
      }
      if (checks.metrics === 'recomputed') {
        findings.push({ severity: 'warning', check: 'metrics', message: `the stored metrics of ${who} disagreed with their orders and interactions; recomputed them from the orders and interactions` });
      } else if (drift.count > 0) {
        findings.push({
          severity: 'error',
          check: 'metrics',
          message: `the stored metrics of ${who} disagree with their orders and interactions (orders or interactions changed outside custdb, or a bug worth reporting); "custdb doctor --fix" recomputes them${options.fix && before.pending.length > 0 ? ' once "custdb init" has applied the pending migrations' : ''}`,
        });
      }
    }

    if (checks.integrity === 'ok') checks.auditLog = await checkAuditLog(store, findings);

    checks.migrations = before.pending.length === 0 ? 'current' : 'pending';
    if (before.pending.length > 0) {
      findings.push({
        severity: 'warning',
        check: 'migrations',
        message: `${before.pending.length} migration(s) not yet applied (${before.pending.join(', ')}); run "custdb init" to apply them`,
      });
    }

    const mode = store.file === undefined ? 0 : statSync(store.file).mode & 0o777;
    if ((mode & 0o077) !== 0) {
      findings.push({
        severity: 'warning',
        check: 'permissions',
        message: `the file is readable by others (mode ${mode.toString(8).padStart(4, '0')}); run "chmod 600 ${store.location}"`,
      });
    }
    // The write-ahead log and its index hold recent rows too, so they need the database's own protection.
    for (const companion of store.file === undefined ? [] : [`${store.file}-wal`, `${store.file}-shm`]) {
      if (!existsSync(companion)) continue;
      const companionMode = statSync(companion).mode & 0o777;
      if ((companionMode & 0o077) !== 0) findings.push(openToOthers(companion, companionMode, 'holds recent changes to the database'));
    }
    checks.backups = await checkBackups(store, findings);
  } finally {
    await store.close();
  }
  return { path: store.location, ok: !findings.some((f) => f.severity === 'error'), checks, findings, cipher: store.cipher ?? null };
}

/** The audit chain's check (before 0011-audit-chain there is no chain to check). */
async function checkAuditLog(store: Store, findings: DoctorFinding[]): Promise<DoctorReport['checks']['auditLog']> {
  if (!(await store.tableNames()).includes('audit_head')) return 'not-run';
  const chain = await verifyAuditChain(store);
  for (const problem of chain.problems) findings.push({ severity: 'error', check: 'audit-log', message: problem });
  return chain.problems.length === 0 ? 'ok' : 'tampered';
}

/**
 * The dated backups beside the database: any that others may read is a
 * warning; with `backup-max-age` set, so is having none, or a newest one older
 * than that.
 */
async function checkBackups(store: Store, findings: DoctorFinding[]): Promise<Exclude<DoctorReport['checks']['backups'], 'not-run'>> {
  const folder = backupFolderOf(store);
  const backups = listBackups(folder, databaseNameOf(store));
  for (const backup of backups) {
    if ((backup.mode & 0o077) !== 0) findings.push(openToOthers(backup.file, backup.mode, 'is a copy of the database'));
  }
  const newest = backups[0];
  const maxAge = (await store.tableNames()).includes('settings') ? await getSetting(store, 'backup-max-age') : undefined;
  if (maxAge !== undefined) {
    if (newest === undefined) {
      findings.push({ severity: 'warning', check: 'backups', message: `there is no backup in ${folder} (backup-max-age is ${maxAge}); run "custdb backup"` });
    } else if (Date.now() - newest.modifiedAt.getTime() > parseBackupMaxAge(maxAge)) {
      findings.push({
        severity: 'warning',
        check: 'backups',
        message: `the newest backup, ${newest.file}, was written ${newest.modifiedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC, longer ago than backup-max-age (${maxAge}); run "custdb backup"`,
      });
    }
  }
  return { count: backups.length, newestAt: newest?.modifiedAt.toISOString() ?? null, newestFile: newest?.file ?? null };
}

function openToOthers(file: string, mode: number, why: string): DoctorFinding {
  return { severity: 'warning', check: 'permissions', message: `${file} ${why} and is readable by others (mode ${mode.toString(8).padStart(4, '0')}); run "chmod 600 ${file}"` };
}
