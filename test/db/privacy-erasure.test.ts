import { describe, expect, it } from 'vitest';
import { openStore } from '../../src/db/open-store.js';
import { loadSuppressionList } from '../../src/db/suppressions.js';
import { mergeCluster } from '../../src/merge/merge-cluster.js';
import { undoMerge } from '../../src/merge/undo-merge.js';
import { forgetCustomer } from '../../src/privacy/forget-customer.js';
import { freshLocation, TEST_DIALECTS } from '../helpers/dialects.js';
import { insertCustomer } from '../helpers/insert-customer.js';

describe.each(TEST_DIALECTS)('privacy forget after a merge that was undone (%s)', (dialect) => {
  it('erases only the person forgotten: the other side of the undone merge keeps their values and is not suppressed', async () => {
    const { location } = await freshLocation(dialect, 'custdb-erasure-');
    const { store } = await openStore({ location, create: true, migrations: 'apply' });
    try {
      const ann = await insertCustomer(store, { first: 'Ann', last: 'Smith', email: 'ann.smith@example.com' });
      const bea = await insertCustomer(store, { first: 'Bea', last: 'Smith', email: 'bea.smith@example.com' });
      const [applied] = await mergeCluster(store, [ann, bea], { actor: 'test', probability: 0.9, command: 'dedupe --review' });
      expect((await undoMerge(store, applied!.mergeId, 'test')).status).toBe('undone');

      await forgetCustomer(store, ann, 'test');
      const suppressions = await loadSuppressionList(store);
      const person = (email: string) => ({ email_norm: email, phone_e164: null, externalIds: [] });
      expect(suppressions.erasedOn(person('ann.smith@example.com'))).toBeDefined();
      expect(suppressions.erasedOn(person('bea.smith@example.com'))).toBeUndefined();
      expect(await store.db.selectFrom('customers').select(['id', 'status', 'email']).orderBy('id').execute()).toEqual([
        { id: ann, status: 'erased', email: null },
        { id: bea, status: 'active', email: 'bea.smith@example.com' },
      ]);
      const events = await store.db.selectFrom('events').select(['summary', 'details_json']).execute();
      expect(JSON.stringify(events)).not.toContain('ann.smith@example.com');
    } finally {
      await store.close();
    }
  });
});
