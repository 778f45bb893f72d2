import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeWorkdir } from '../helpers/run-cli.js';
import { runCliInProcess } from '../helpers/run-cli-in-process.js';

async function exportInteractions(cwd: string, db = 'customers.db'): Promise<Record<string, unknown>[]> {
  const result = await runCliInProcess(['export', 'interactions', '--format', 'json', '--db', db], { cwd });
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as Record<string, unknown>[];
}

describe('custdb import support_log.csv --as interactions', () => {
  it('imports support requests, complaints and inquiries linked to customers; rows with no customer are rejected', async () => {
    const cwd = makeWorkdir('interactions/support_log.csv', 'customers.csv');
    await runCliInProcess(['import', 'customers.csv', '--default-country', 'US'], { cwd });
    const refused = await runCliInProcess(['import', 'support_log.csv', '--max-rejects', '0', '--json'], { cwd });
    expect(refused.code).toBe(1);
    expect(JSON.parse(refused.stdout)).toMatchObject({ kind: 'interactions', status: 'too-many-rejects', counts: { rejected: 1 } });

    const result = await runCliInProcess(['import', 'support_log.csv', '--max-rejects', '1', '--json'], { cwd });
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ status: 'imported', counts: { rows: 5, inserted: 4, rejected: 1, customersCreated: 3 }, matchedBy: { email: 1 } });
    const rejects = readFileSync(path.join(cwd, 'support_log.rejects.csv'), 'utf8');
    expect(rejects).toMatch(/T-1005,.*,6,"no valid customer id, email or phone/);

    const interactions = await exportInteractions(cwd);
    expect(interactions.map((i) => [i.interaction_id, i.occurred_at, i.channel, i.kind, i.summary, i.outcome, i.staff])).toEqual([
      ['T-1001', '2024-04-02T09:15:00.000Z', 'email', 'support', 'Grinder jammed: Burrs stuck after cleaning; walked her through reassembly.', 'Resolved', 'Sam'],
      ['T-1002', '2024-04-03T14:02:00.000Z', 'phone', 'complaint', 'Late delivery: Parcel arrived 5 days late.', 'Refund issued', 'Priya'],
      ['T-1003', '2024-04-05T11:30:00.000Z', 'in-store', 'inquiry', 'Decaf options?', 'Answered', 'Sam'],
      ['T-1004', '2024-04-06T16:45:00.000Z', 'social', 'feedback', 'Loved the Ethiopian roast', null, null],
    ]);
    // Both of Ada's tickets are hers, and the phone-only one found Grace by her number.
    expect(interactions[0]!.customer_id).toBe(interactions[3]!.customer_id);
    expect(interactions[1]).toMatchObject({ phone: '+442079460958', first_name: 'Grace' });
  });

  it('is idempotent and undoable', async () => {
    const cwd = makeWorkdir('interactions/support_log.csv');
    const first = JSON.parse((await runCliInProcess(['import', 'support_log.csv', '--max-rejects', '1', '--json'], { cwd })).stdout);
    const before = await exportInteractions(cwd);
    const again = JSON.parse((await runCliInProcess(['import', 'support_log.csv', '--max-rejects', '1', '--force', '--json'], { cwd })).stdout);
    expect(again.counts).toMatchObject({ inserted: 0, unchanged: 4, customersCreated: 0 });
    expect(await exportInteractions(cwd)).toEqual(before);
    // The forced batch added nothing, so undoing the first batch is not blocked by it.
    const undo = await runCliInProcess(['imports', 'undo', String(first.batchId), '--yes'], { cwd });
    expect(undo.code, undo.stderr).toBe(0);
    expect(await exportInteractions(cwd)).toEqual([]);
  });

  it('undo removes the interactions and the customers the batch created', async () => {
    const cwd = makeWorkdir('interactions/support_log.csv');
    const first = JSON.parse((await runCliInProcess(['import', 'support_log.csv', '--max-rejects', '1', '--json'], { cwd })).stdout);
    const undo = await runCliInProcess(['imports', 'undo', String(first.batchId), '--yes', '--json'], { cwd });
    expect(undo.code, undo.stderr).toBe(0);
    expect(JSON.parse(undo.stdout)).toMatchObject({ removedInteractions: 4, removedCustomers: 3 });
    expect(await exportInteractions(cwd)).toEqual([]);
  });

  it('--unknown-customers reject keeps interactions of known customers only; an export imports back', async () => {
    const cwd = makeWorkdir('interactions/support_log.csv');
    await runCliInProcess(['import', 'support_log.csv', '--max-rejects', '1'], { cwd });
    await runCliInProcess(['export', 'interactions', '-o', 'out.csv'], { cwd });
    const back = await runCliInProcess(['import', 'out.csv', '--db', 'copy.db', '--json'], { cwd });
    expect(back.code, back.stderr).toBe(0);
    expect(JSON.parse(back.stdout)).toMatchObject({ kind: 'interactions', counts: { inserted: 4 } });
    const strip = (rows: Record<string, unknown>[]) => rows.map(({ customer_id: _id, source: _source, ...rest }) => rest);
    expect(strip(await exportInteractions(cwd, 'copy.db'))).toEqual(strip(await exportInteractions(cwd)));

    const strict = await runCliInProcess(['import', 'support_log.csv', '--db', 'strict.db', '--unknown-customers', 'reject', '--max-rejects', '100%', '--json'], { cwd });
    expect(JSON.parse(strict.stdout).counts).toMatchObject({ inserted: 0, rejected: 5 });
  });
});
