import { describe, expect, it } from 'vitest';
import { makeWorkdir } from '../helpers/run-cli.js';
import { runCliInProcess } from '../helpers/run-cli-in-process.js';

async function fullExport(cwd: string): Promise<unknown[]> {
  const result = await runCliInProcess(['export', 'customers', '--format', 'json'], { cwd });
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as unknown[];
}

describe('custdb merges', () => {
  it('lists merges, undoes one exactly, refuses one a later merge depends on, and says why', async () => {
    const cwd = makeWorkdir('dedupe/customers-typed-twice.csv');
    await runCliInProcess(['init'], { cwd });
    expect((await runCliInProcess(['import', 'customers-typed-twice.csv', '--default-country', 'US'], { cwd })).code).toBe(0);
    expect((await runCliInProcess(['merges', 'list'], { cwd })).stdout).toMatch(/No merges yet/);
    const before = await fullExport(cwd);

    const merged = JSON.parse((await runCliInProcess(['dedupe', '--merge', '--yes', '--json'], { cwd })).stdout) as {
      merges: { survivorId: number; mergedIds: number[]; mergeIds: number[] }[];
    };
    expect((await fullExport(cwd)).length).toBe(before.length - 10);
    const triple = merged.merges.find((m) => m.mergedIds.length === 2)!;
    expect(triple).toBeDefined();

    const list = await runCliInProcess(['merges', 'list'], { cwd });
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/merge .* kept .* merged .* sure/);
    const listed = JSON.parse((await runCliInProcess(['merges', 'list', '--json'], { cwd })).stdout) as { merges: { id: number; status: string }[] };
    expect(listed.merges).toHaveLength(10);
    expect(listed.merges.every((m) => m.status === 'merged')).toBe(true);

    // The survivor of the triple was merged again after its first merge: refuse, name the later merge.
    const [firstOfTriple, secondOfTriple] = triple.mergeIds as [number, number];
    const refused = await runCliInProcess(['merges', 'undo', String(firstOfTriple), '--yes'], { cwd });
    expect(refused.code).toBe(1);
    expect(refused.stdout).toMatch(new RegExp(`Cannot undo merge ${firstOfTriple}: later changes depend on it\\. Nothing changed\\.\\n  - merge ${secondOfTriple} came later`));

    const noYes = await runCliInProcess(['merges', 'undo', String(secondOfTriple)], { cwd });
    expect([noYes.code, noYes.stderr]).toEqual([2, expect.stringMatching(/Add --yes to confirm/)]);

    // Undo everything, newest first: the customers come back exactly as imported.
    for (const id of listed.merges.map((m) => m.id)) {
      const undo = await runCliInProcess(['merges', 'undo', String(id), '--yes'], { cwd });
      expect(undo.code, undo.stdout + undo.stderr).toBe(0);
      expect(undo.stdout).toMatch(new RegExp(`Undid merge ${id}: customers \\d+ and \\d+ are separate again`));
    }
    expect(await fullExport(cwd)).toEqual(before);
    const again = await runCliInProcess(['merges', 'undo', String(firstOfTriple), '--yes'], { cwd });
    expect([again.code, again.stdout]).toEqual([0, expect.stringMatching(/already undone; nothing changed/)]);
    const missing = await runCliInProcess(['merges', 'undo', '999', '--yes'], { cwd });
    expect([missing.code, missing.stderr]).toEqual([2, expect.stringMatching(/There is no merge 999/)]);
    const notNumber = await runCliInProcess(['merges', 'undo', 'last', '--yes', '--json'], { cwd });
    expect(notNumber.code).toBe(2);
    expect(JSON.parse(notNumber.stdout).error.kind).toBe('UsageError');
  });
});
