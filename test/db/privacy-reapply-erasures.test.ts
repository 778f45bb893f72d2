import { existsSync, rmSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../src/db/open-store.js';
import type { Store } from '../../src/db/store.js';
import { emptyCustomerValues } from '../../src/model/customer-record.js';
import { suppressionKeyFile, SuppressionKeyMissingError } from '../../src/db/suppressions.js';
import { forgetCustomer } from '../../src/privacy/forget-customer.js';
import { reapplyErasures } from '../../src/privacy/reapply-erasures.js';
import { freshLocation, TEST_DIALECTS } from '../helpers/dialects.js';

const AT = '2026-11-23T09:30:00.000Z';

async function addCustomer(store: Store, values: { email?: string; phone?: string; identity?: [string, string]; name: string }): Promise<number> {
  const row = await store.db
    .insertInto('customers')
    .values({
      ...emptyCustomerValues(),
      first_name: values.name,
      email: values.email ?? null,
      email_norm: values.email ?? null,
      phone: values.phone ?? null,
      phone_e164: values.phone ?? null,
      merged_into: null,
      email_consent_at: null,
      email_consent_source: null,
      sms_consent_at: null,
      sms_consent_source: null,
      created_at: AT,
      updated_at: AT,
      created_batch_id: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  if (values.identity) await store.db.insertInto('customer_identities').values({ customer_id: row.id, source: values.identity[0], external_id: values.identity[1], created_at: AT, batch_id: null }).execute();
  return row.id;
}

describe.each(TEST_DIALECTS)('reapplyErasures (%s)', (dialect) => {
  it('erases again the customers a restore brought back, found by email, phone or source id, and nobody else', async () => {
    const { location } = await freshLocation(dialect, 'custdb-reapply-');
    const { store } = await openStore({ location, create: true, migrations: 'apply' });
    try {
      expect(await reapplyErasures(store)).toBe(0);
      if (store.file !== undefined) expect(existsSync(suppressionKeyFile(store.file))).toBe(false);

      const jane = await addCustomer(store, { name: 'Jane', email: 'jane@example.com', phone: '+442079460123', identity: ['shop', 'S-1'] });
      await forgetCustomer(store, jane, 'test');
      // What a backup taken before the erasure brings back: the same person as three records, one identifier each.
      const byEmail = await addCustomer(store, { name: 'Jane', email: 'jane@example.com' });
      const byPhone = await addCustomer(store, { name: 'J.', phone: '+442079460123' });
      const byId = await addCustomer(store, { name: 'Jane Q', identity: ['shop', 'S-1'] });
      const bob = await addCustomer(store, { name: 'Bob', email: 'bob@example.com', phone: '+442079460999', identity: ['shop', 'S-2'] });

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
