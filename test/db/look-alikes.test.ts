import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../src/db/open-store.js';
import { freshLocation, TEST_DIALECTS, type TestDialect } from '../helpers/dialects.js';
import type { Store } from '../../src/db/store.js';
import { flagLookAlikes } from '../../src/identity/flag-look-alikes.js';
import { importCustomers, type ImportOptions } from '../../src/import/import-customers.js';
import { undoImport } from '../../src/import/undo-import.js';
import { FIXTURES } from '../helpers/run-cli.js';

async function freshStore(dialect: TestDialect): Promise<{ store: Store; dir: string }> {
  const { location, dir } = await freshLocation(dialect, 'custdb-lookalike-');
  const { store } = await openStore({ location, create: true, migrations: 'apply' });
  return { store, dir };
}

function optionsFor(dir: string, fixture: string): ImportOptions {
  return {
    file: path.join(FIXTURES, fixture),
    update: 'fill',
    maxRejects: { percent: 10 },
    dryRun: false,
    force: false,
    actor: 't',
    maps: [],
    ignoreUnmapped: false,
    defaultCountry: 'US',
    rejectsFile: path.join(dir, 'rejects.csv'),
  };
}

async function suspectsOf(store: Store, batchId: number) {
  return store.db
    .selectFrom('duplicate_suspects as s')
    .innerJoin('customers as c', 'c.id', 's.customer_id')
    .select(['s.customer_id', 's.other_id', 's.reason', 'c.first_name', 'c.last_name'])
    .where('s.batch_id', '=', batchId)
    .orderBy('s.customer_id')
    .orderBy('s.other_id')
    .execute();
}

/** customers.csv and the typed-twice file: 58 customers, none of them yet in customers-typed-again.csv's rows. */
async function shopWithCustomers(dialect: TestDialect): Promise<{ store: Store; dir: string }> {
  const { store, dir } = await freshStore(dialect);
  for (const fixture of ['customers.csv', 'dedupe/customers-typed-twice.csv']) {
    const result = await importCustomers(store, optionsFor(dir, fixture));
    expect(result.status).toBe('imported');
  }
  return { store, dir };
}

describe.each(TEST_DIALECTS)('look-alikes flagged at import (real %s)', (dialect) => {
  it('a later import flags the customers that look like ones already there, counts them, and explains each pair', async () => {
    const { store, dir } = await shopWithCustomers(dialect);
    try {
      const result = await importCustomers(store, optionsFor(dir, 'dedupe/customers-typed-again.csv'));
      expect(result.status).toBe('imported');
      // Kate Moore, Tom Smith (gmail.com, where customer 7 typed gmial.com) and Jon Pryce; Amelia Rossi is matched by email.
      expect(result.counts).toMatchObject({ rows: 6, inserted: 5, updated: 1, suspects: 3 });
      const flagged = await suspectsOf(store, result.batchId!);
      expect([...new Set(flagged.map((s) => `${s.first_name} ${s.last_name}`))]).toEqual(['Kate Moore', 'Tom Smith', 'Jon Pryce']);
      for (const s of flagged) expect(s.reason).toMatch(new RegExp(`^looks like customer ${s.other_id}: .+ \\(probability (>0\\.99|0\\.9\\d)\\)$`));
      expect(flagged.find((s) => s.first_name === 'Tom')?.reason).toMatch(/email domain typo/);
      // Sarah Delgado shares her parents' address, but is not taken for either of them.
      expect(flagged.some((s) => s.last_name === 'Delgado')).toBe(false);

      // Undoing the import takes its flags away with its customers.
      expect((await undoImport(store, result.batchId!, 't')).status).toBe('undone');
      expect(await suspectsOf(store, result.batchId!)).toEqual([]);
    } finally {
      await store.close();
    }
  });

  it('--dry-run counts the look-alikes but leaves nothing behind', async () => {
    const { store, dir } = await shopWithCustomers(dialect);
    try {
      const result = await importCustomers(store, { ...optionsFor(dir, 'dedupe/customers-typed-again.csv'), dryRun: true });
      expect(result.status).toBe('dry-run');
      expect(result.counts.suspects).toBe(3);
      const rows = await store.db.selectFrom('duplicate_suspects').select('reason').execute();
      expect(rows.map((r) => r.reason).filter((r) => r.startsWith('looks like'))).toEqual([]);
    } finally {
      await store.close();
    }
  });

  it('reads no existing customer when the database was empty before the batch', async () => {
    const { store, dir } = await freshStore(dialect);
    try {
      const result = await importCustomers(store, optionsFor(dir, 'dedupe/customers-typed-twice.csv'));
      // The typed-twice file holds both spellings of each person: look-alikes within one file are dedupe's job.
      expect(result.counts.suspects).toBe(0);
      expect(await flagLookAlikes(store.db, result.batchId!, new Date().toISOString())).toEqual({ flagged: 0, pairs: 0, existing: 0, candidates: 0 });
    } finally {
      await store.close();
    }
  });
});
