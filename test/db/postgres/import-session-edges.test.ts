import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { describe, expect, it, onTestFinished } from 'vitest';
import { DatabaseBusyError, InputFileError } from '../../../src/errors.js';
import { openStore } from '../../../src/db/open-store.js';
import { CopyRows } from '../../../src/db/postgres/copy-rows.js';
import { importSessionLimits } from '../../../src/db/postgres/postgres-import-session.js';
import { emptyCustomerValues } from '../../../src/model/customer-record.js';
import { redactUrl } from '../../../src/db/postgres/redact-url.js';
import { TAKE_WRITE_LOCK_SQL } from '../../../src/db/postgres/write-lock.js';
import { importCustomers, type ImportOptions } from '../../../src/import/import-customers.js';
import { freshDatabase, TEST_DIALECTS } from '../../helpers/dialects.js';

async function postgresStore() {
  const database = await freshDatabase('postgres');
  const { store } = await openStore({ location: database.location, create: true, migrations: 'apply' });
  const dir = mkdtempSync(path.join(tmpdir(), 'custdb-pg-import-'));
  onTestFinished(async () => {
    await store.close();
    await database.dispose();
    rmSync(dir, { recursive: true, force: true });
  });
  return { store, url: database.location, dir };
}

function optionsFor(file: string): ImportOptions {
  return { file, update: 'fill', maxRejects: { percent: 10 }, dryRun: false, force: false, actor: 't', maps: [], ignoreUnmapped: false, threads: 0 };
}

async function rejectionOf(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection');
}

describe.runIf(TEST_DIALECTS.includes('postgres'))('a PostgreSQL import', () => {
  it('copies text with backslashes, tabs, carriage returns, newlines and \\N as it came, and NULL as NULL', async () => {
    const database = await freshDatabase('postgres');
    const client = new pg.Client({ connectionString: database.location });
    await client.connect();
    onTestFinished(async () => {
      await client.end();
      await database.dispose();
    });
    const values = ['back\\slash', 'tab\there', 'cr\rhere', 'new\nline', '\\N', '\\\\N\t\\t', 'ünï cødé ✓', '', null];
    await client.query('CREATE TEMP TABLE t (id integer, v text)');
    const rows = new CopyRows('t', ['id', 'v']);
    values.forEach((v, i) => rows.add([i, v]));
    await rows.copyInto(client);
    const { rows: back } = await client.query<{ v: string | null }>('SELECT v FROM t ORDER BY id');
    expect(back.map((r) => r.v)).toEqual(values);
  });

  it('waits for another writer as long as SQLite would, then gives up as busy, holding nothing', async () => {
    const { store, url, dir } = await postgresStore();
    const file = path.join(dir, 'one.csv');
    writeFileSync(file, 'Email\none@example.com\n');
    const holder = new pg.Client({ connectionString: url });
    await holder.connect();
    try {
      await holder.query('BEGIN');
      await holder.query(TAKE_WRITE_LOCK_SQL);
      const busy = await rejectionOf(importCustomers(store, optionsFor(file)));
      expect(busy).toBeInstanceOf(DatabaseBusyError);
      expect(busy.message).toBe(`${redactUrl(url)} is locked by another process (waited 5 s).`);
      await holder.query('ROLLBACK');
    } finally {
      await holder.end();
    }
    // The session's connection went back to the pool usable: the next import runs.
    expect((await importCustomers(store, optionsFor(file))).counts.inserted).toBe(1);
  });
});

describe.runIf(TEST_DIALECTS.includes('postgres'))('a PostgreSQL import session', () => {
  it('reports a write that failed behind its back when it next waits for the table, and keeps nothing', async () => {
    const limits = { ...importSessionLimits };
    importSessionLimits.writeRows = 1;
    onTestFinished(() => void Object.assign(importSessionLimits, limits));
    const { store, url } = await postgresStore();
    const session = await store.beginImport({ kind: 'customers', source: 'csv', fileName: 'f.csv', sha256: 'x', startedAt: 'now', mappingJson: '{}', actor: 't', expectedRows: 10 });
    try {
      // Another program (not custdb: it takes no lock) takes the id the import is about to give.
      const intruder = new pg.Client({ connectionString: url });
      await intruder.connect();
      await intruder.query(`INSERT INTO customers (id, created_at, updated_at) VALUES (1, 'then', 'then')`);
      await intruder.end();
      await session.prepare({ identities: [], emails: ['a@example.com'], phones: [] });
      const id = session.customers.insertCustomer({ ...emptyCustomerValues(), email: 'a@example.com', email_norm: 'a@example.com' }, { batchId: session.batchId, now: 'now', consentSource: 'import:csv' });
      expect(id).toBe(1);
      // The write starts here and goes on while the import does; nothing waits for it yet.
      await session.flush();
      await session.prepare({ identities: [], emails: ['b@example.com'], phones: [] });
      const failed = await rejectionOf(session.finish({ rows: 1, inserted: 1, updated: 0, unchanged: 0, rejected: 0 }, '{}', 'now'));
      expect(failed.message).toMatch(/duplicate key value violates unique constraint "customers_pkey"/);
    } finally {
      await session.close();
    }
    expect(await store.db.selectFrom('import_batches').select('id').execute()).toEqual([]);
    expect(await store.db.selectFrom('customers').select(['id', 'email']).execute()).toEqual([{ id: 1, email: null }]);
  });
});

describe('COPY text', () => {
  it('refuses U+0000, which PostgreSQL cannot store, naming the column and the value', () => {
    const rows = new CopyRows('customers', ['id', 'notes']);
    const refused = (() => {
      try {
        rows.add([1, 'bad\u0000value']);
      } catch (error) {
        return error as Error;
      }
      throw new Error('expected a refusal');
    })();
    expect(refused).toBeInstanceOf(InputFileError);
    expect(refused.message).toBe('A value for customers.notes holds a NUL character (U+0000), which PostgreSQL cannot store: "bad\\u0000value". Nothing was imported.');
  });
});
