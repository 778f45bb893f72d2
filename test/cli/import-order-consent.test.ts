import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeWorkdir } from '../helpers/run-cli.js';
import { runCliInProcess } from '../helpers/run-cli-in-process.js';

interface Consent {
  state: 'granted' | 'denied' | null;
  at: string | null;
  source: string | null;
}

async function emailConsent(cwd: string, who: string): Promise<Consent> {
  const result = await runCliInProcess(['show', who, '--json'], { cwd });
  expect(result.code, result.stderr).toBe(0);
  return (JSON.parse(result.stdout) as { consent: { email: Consent } }).consent.email;
}

// fixtures/orders/shopify_orders.csv: "Accepts Marketing" is yes for shivagtx@gmail.com's orders, no for test1@gmail.com's.
describe('custdb import shopify_orders.csv: "Accepts Marketing" is the buyer\'s email consent', () => {
  it('customers created from the orders get email consent as the file says, from this import', async () => {
    const cwd = makeWorkdir('orders/shopify_orders.csv');
    const result = await runCliInProcess(['import', 'shopify_orders.csv'], { cwd });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain('Accepts Marketing → email_consent');
    expect(await emailConsent(cwd, 'shivagtx@gmail.com')).toMatchObject({ state: 'granted', source: 'import:shopify' });
    expect(await emailConsent(cwd, 'test1@gmail.com')).toMatchObject({ state: 'denied', source: 'import:shopify' });
  });

  it('customers already known get it only when theirs is unknown, and imports undo takes it back', async () => {
    const cwd = makeWorkdir('orders/shopify_orders.csv');
    writeFileSync(path.join(cwd, 'known.csv'), 'Email,First Name,Accepts Marketing\ntest1@gmail.com,Ram,\nshivagtx@gmail.com,Rohith,no\n');
    expect((await runCliInProcess(['import', 'known.csv'], { cwd })).code).toBe(0);
    expect((await runCliInProcess(['import', 'shopify_orders.csv'], { cwd })).code).toBe(0);
    expect(await emailConsent(cwd, 'test1@gmail.com')).toMatchObject({ state: 'denied', source: 'import:shopify' });
    // Said no in the customers file: the orders' yes does not overwrite an answer custdb already has.
    expect(await emailConsent(cwd, 'shivagtx@gmail.com')).toMatchObject({ state: 'denied', source: 'import:csv' });

    const undo = await runCliInProcess(['imports', 'undo', '2', '--yes'], { cwd });
    expect(undo.code, undo.stderr).toBe(0);
    expect(await emailConsent(cwd, 'test1@gmail.com')).toEqual({ state: null, at: null, source: null });
  });
});
