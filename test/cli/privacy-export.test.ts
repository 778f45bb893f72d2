import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SubjectData } from '../../src/privacy/export-subject-data.js';
import { sqliteOnly } from '../helpers/cli-database.js';
import { cli, janeEverywhere } from '../helpers/privacy-people.js';
import { runCliInProcess } from '../helpers/run-cli-in-process.js';

describe('custdb privacy export', () => {
  it('answers a subject-access request with everything held about the person, field by field as the fixtures hold it', async () => {
    const { cwd, janeId, newsletterId } = await janeEverywhere();
    await cli(cwd, ['segment', 'add', 'bread lovers', '--where', 'orders_count >= 2']);
    await cli(cwd, ['segment', 'add', 'big spenders', '--where', 'total_spent >= 1000']);

    // The merged-away newsletter id finds the whole person.
    const result = await cli(cwd, ['privacy', 'export', String(newsletterId)]);
    const data = JSON.parse(result.stdout) as SubjectData;
    expect(result.stderr).toMatch(new RegExp(`customer ${newsletterId} was merged into customer ${janeId}`));
    expect(result.stderr).toMatch(/Customer \d+: Jane Quexley, jane\.q@oldmail\.example \(with merged records \d+\)\n {2}3 ids from sources, 1 tags, 1 custom fields\n {2}2 orders, 2 interactions, 1 merges, in 1 segments/);

    expect(data.customer_id).toBe(janeId);
    expect(data.records).toEqual([janeId, newsletterId]);
    expect(data.profile).toMatchObject({
      id: janeId, status: 'active', first_name: 'Jane', last_name: 'Quexley', email: 'jane.q@oldmail.example', phone: '+442079460123',
      address_line1: null, address_line2: 'Flat 2, Plover Lane', postal_code: 'NR2 4QX', country: 'GB', birth_date: '1984-07-19',
    });
    expect(data.merged_records).toEqual([expect.objectContaining({ id: newsletterId, status: 'merged', merged_into: janeId, email: 'jane.q@oldmail.example', postal_code: 'NR2 4QX' })]);
    expect(data.identities.map((i) => `${i.source}:${i.external_id}`)).toEqual(['shop:S-1001', 'till:T-77', 'news:N-5']);
    expect(data.consent.email).toEqual({ state: null, at: null, source: null });
    expect(data.tags).toEqual(['quexley-regular']);
    expect(data.custom_fields).toEqual({ loaf: 'rye' });
    expect(data.orders).toEqual([
      expect.objectContaining({ source: 'shop', external_id: 'O-1', ordered_at: '2026-03-01T00:00:00.000Z', currency: 'GBP', total: '42.50', items: [{ sku: null, name: 'Rye loaf', quantity: 5, unit_price: '8.50', total: '42.50' }] }),
      expect.objectContaining({ source: 'shop', external_id: 'O-2', ordered_at: '2026-06-11T00:00:00.000Z', currency: 'GBP', total: '17.00', items: [{ sku: null, name: 'Seeded sourdough', quantity: 2, unit_price: '8.50', total: '17.00' }] }),
    ]);
    expect(data.interactions).toEqual([
      expect.objectContaining({ external_id: 'T-2001', kind: 'complaint', channel: 'email', summary: 'Crushed loaf: Jane Quexley says the loaf to 12 Plover Lane was crushed', outcome: 'Refund issued', staff: 'Sam' }),
      expect.objectContaining({ kind: 'note', summary: 'Jane Quexley prefers collection at NR2 4QX' }),
    ]);
    expect(data.merges).toEqual([expect.objectContaining({ role: 'survivor', survivor_id: janeId, merged_id: newsletterId, undone_at: null })]);
    expect(data.segments).toEqual(['bread lovers']);
    expect(data.import_batches.map((b) => b.file_name)).toEqual(['shop.csv', 'till.csv', 'newsletter.csv', 'orders.csv', 'tickets.csv']);
    // The merge moved the newsletter email onto her record: recorded with its old value.
    expect(data.changes).toContainEqual(expect.objectContaining({ field: 'email', old_value: 'jane.quexley@example.com', new_value: 'jane.q@oldmail.example' }));
    expect(data.audit_entries.map((e) => e.command)).toEqual(['import', 'import', 'import', 'import', 'import', 'dedupe --review', 'customers edit', 'customers tag', 'customers note']);
    // Nobody else's data.
    expect(result.stdout).not.toMatch(/Marlow|Danvers|Patel|S-1002|segment add/);
  });

  sqliteOnly('file permissions')('-o writes the document atomically, readable by its owner only; the summary goes to stdout', async () => {
    const { cwd } = await janeEverywhere();
    const result = await cli(cwd, ['privacy', 'export', 'shop:S-1001', '-o', 'jane.json']);
    expect(result.stdout).toMatch(/Customer \d+: Jane Quexley[\s\S]*Written to jane\.json \(readable by you only\)/);
    const file = path.join(cwd, 'jane.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect((JSON.parse(readFileSync(file, 'utf8')) as SubjectData).profile.first_name).toBe('Jane');
  });

  it('refuses an unknown person (exit 1) and a folder that does not exist (exit 2), writing nothing', async () => {
    const { cwd } = await janeEverywhere();
    const nobody = await runCliInProcess(['privacy', 'export', 'nobody@example.com'], { cwd });
    expect([nobody.code, nobody.stdout, nobody.stderr]).toEqual([1, '', expect.stringMatching(/No customer matches nobody@example\.com/)]);
    const folder = await runCliInProcess(['privacy', 'export', 'shop:S-1001', '-o', 'missing/jane.json'], { cwd });
    expect([folder.code, folder.stderr]).toEqual([2, expect.stringMatching(/Cannot write missing\/jane\.json: its folder does not exist/)]);
    expect(existsSync(path.join(cwd, 'missing'))).toBe(false);
  });
});
