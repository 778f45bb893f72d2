import { existsSync, rmSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../src/db/open-store.js';
import { suppressionKeyFile, SuppressionKeyMissingError } from '../../src/db/suppressions.js';
import { forgetCustomer } from '../../src/privacy/forget-customer.js';
import { reapplyErasures } from '../../src/privacy/reapply-erasures.js';
import { freshLocation, TEST_DIALECTS } from '../helpers/dialects.js';
import { insertCustomer } from '../helpers/insert-customer.js';

describe.each(TEST_DIALECTS)('reapplyErasures (%s)', (dialect) => {
  it('erases again the customers a restore brought back, found by email, phone or source id, and nobody else', async () => {
    const { location } = await freshLocation(dialect, 'custdb-reapply-');
    const { store } = await openStore({ location, create: true, migrations: 'apply' });
    try {
      expect(await reapplyErasures(store)).toBe(0);
      if (store.file !== undefined) expect(existsSync(suppressionKeyFile(store.file))).toBe(false);

      const jane = await insertCustomer(store, { first: 'Jane', email: 'jane@example.com', phone: '+442079460123', identity: ['shop', 'S-1'] });
      await forgetCustomer(store, jane, 'test');
      // What a backup taken before the erasure brings back: the same person as three records, one identifier each.
      const byEmail = await insertCustomer(store, { first: 'Jane', email: 'jane@example.com' });
      const byPhone = await insertCustomer(store, { first: 'J.', phone: '+442079460123' });
      const byId = await insertCustomer(store, { first: 'Jane Q', identity: ['shop', 'S-1'] });
      const bob = await insertCustomer(store, { first: 'Bob', email: 'bob@example.com', phone: '+442079460999', identity: ['shop', 'S-2'] });

      expect(await reapplyErasures(store)).toBe(3);
      const rows = await store.db.selectFrom('customers').select(['id', 'status', 'first_name', 'email']).orderBy('id').execute();
      expect(rows).toEqual([
        { id: jane, status: 'erased', first_name: null, email: null },
        { id: byEmail, status: 'erased', first_name: null, email: null },
        { id: byPhone, status: 'erased', first_name: null, email: null },
        { id: byId, status: 'erased', first_name: null, email: null },
        { id: bob, status: 'active', first_name: 'Bob', email: 'bob@example.com' },
      ]);
      expect(await reapplyErasures(store)).toBe(0);

      if (store.file !== undefined) {
        // Without its key the hashes cannot be tested: refuse rather than let erased people back.
        rmSync(suppressionKeyFile(store.file));
        await expect(reapplyErasures(store)).rejects.toThrow(SuppressionKeyMissingError);
      }
    } finally {
      await store.close();
    }
  });
});
