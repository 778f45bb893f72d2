import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeWorkdir } from '../helpers/run-cli.js';
import { runCliInProcess } from '../helpers/run-cli-in-process.js';

/*
 * Spend in a second currency. The CDNOW sample in USD, and the same with a large EUR order added for every
 * tenth repeat buyer on a day they already bought on: the purchase occasions are the same in both, so
 * BG/NBD must be too, and Gamma-Gamma, which averages spend in the main currency only, must not move.
 */
const AS_OF = '1997-09-30';

interface Fit {
  bgnbd: { params: Record<string, number> };
  gammaGamma: { params: Record<string, number> };
  currency: string;
  spendLeftOut: number;
}

function sampleRows(): string[][] {
  const file = readFileSync(path.join(makeWorkdir('orders/cdnow_sample.csv'), 'cdnow_sample.csv'), 'utf8');
  return file.trim().split('\n').slice(1).map((line) => line.split(','));
}

async function fitted(rows: string[][]): Promise<{ fit: Fit; text: string; values: Map<string, number> }> {
  const cwd = makeWorkdir();
  writeFileSync(path.join(cwd, 'orders.csv'), ['customer_id,order_date,quantity,amount,currency', ...rows.map((row) => row.join(','))].join('\n') + '\n');
  const imported = await runCliInProcess(['import', 'orders.csv', '--as', 'orders', '--source', 'cdnow'], { cwd });
  expect(imported.code, imported.stderr).toBe(0);
  const json = await runCliInProcess(['analytics', 'fit', '--as-of', AS_OF, '--json'], { cwd });
  expect(json.code, json.stderr).toBe(0);
  const text = await runCliInProcess(['analytics', 'fit', '--as-of', AS_OF], { cwd });
  expect(text.code, text.stderr).toBe(0);
  const queried = await runCliInProcess(['query', '--where', 'predicted_value_12m is not empty', '--fields', 'external_id,predicted_value_12m', '--format', 'json'], { cwd });
  const values = new Map((JSON.parse(queried.stdout) as { external_id: string; predicted_value_12m: number }[]).map((row) => [row.external_id, row.predicted_value_12m]));
  return { fit: JSON.parse(json.stdout) as Fit, text: text.stdout, values };
}

describe('custdb analytics fit on orders in two currencies', () => {
  it('averages spend in the main currency only, says how many buyers spent in others, and fits purchases on every order', async () => {
    const usd = sampleRows().map((row) => [...row, 'USD']);
    // Each customer's purchase days, in order, to put the EUR orders on a repeat day before the as-of day.
    const days = new Map<string, string[]>();
    for (const [id, day] of usd) days.set(id!, [...new Set([...(days.get(id!) ?? []), day!])]);
    const repeatBuyers = [...days].filter(([, list]) => list.filter((day) => day <= AS_OF.replaceAll('-', '')).length >= 2);
    const inEuros = repeatBuyers.filter((_, k) => k % 10 === 0);
    const mixed = [...usd, ...inEuros.map(([id, list]) => [id, list[1]!, '1', '5000.00', 'EUR'])];

    const plain = await fitted(usd);
    const withEuros = await fitted(mixed);
    expect(plain.fit.currency).toBe('USD');
    expect(plain.fit.spendLeftOut).toBe(0);
    expect(withEuros.fit.currency).toBe('USD');
    expect(withEuros.fit.spendLeftOut).toBe(inEuros.length);
    for (const model of ['bgnbd', 'gammaGamma'] as const) {
      for (const [name, value] of Object.entries(plain.fit[model].params)) expect(withEuros.fit[model].params[name]).toBeCloseTo(value, 6);
    }
    expect(withEuros.text).toContain(`Spend and values in USD, the main currency; ${inEuros.length} repeat buyers also spent in other currencies, left out of their average spend.`);
    expect(plain.text).toContain('Spend and values in USD, the main currency.');
    // Every customer's value is in dollars: the euro orders move none of them.
    expect(withEuros.values.size).toBe(plain.values.size);
    for (const [id, value] of plain.values) expect(withEuros.values.get(id)).toBeCloseTo(value, 6);
  }, 180_000);
});
