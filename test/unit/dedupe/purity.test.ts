import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { blockCandidates } from '../../../src/dedupe/block-candidates.js';
import { buildRecordTable } from '../../../src/dedupe/build-record-table.js';

const DEDUPE_DIR = join(import.meta.dirname, '../../../src/dedupe');

describe('src/dedupe stays pure', () => {
  it('imports nothing but its own modules (no fs, process, database or terminal library)', () => {
    for (const file of readdirSync(DEDUPE_DIR).filter((f) => f.endsWith('.ts'))) {
      const source = readFileSync(join(DEDUPE_DIR, file), 'utf8');
      const imports = [...source.matchAll(/from '([^']+)'/g)].map((m) => m[1] ?? '');
      expect(imports.filter((i) => !i.startsWith('./')), file).toEqual([]);
      expect(source.includes('process.'), file).toBe(false);
    }
  });
});

describe('blockCandidates (property)', () => {
  it('every pair appears once, with left < right, whatever the records', () => {
    const name = fc.constantFrom('ann', 'anne', 'bob', 'robert', 'lee', 'li', '');
    const record = fc.record({
      firstName: name,
      lastName: name,
      email: fc.constantFrom('a@x.com', 'b@x.com', ''),
      birthDate: fc.constantFrom('1980-01-02', '1980-02-01', ''),
      postalCode: fc.constantFrom('1000', '2000', ''),
    });
    fc.assert(
      fc.property(fc.array(record, { maxLength: 40 }), (rows) => {
        const table = buildRecordTable(rows.map((r, k) => ({ id: k + 1, ...r })));
        const pairs = blockCandidates(table, undefined, { maxBlockSize: 8, window: 3 });
        const seen = new Set<string>();
        for (let p = 0; p < pairs.count; p++) {
          const l = pairs.left[p] ?? 0;
          const r = pairs.right[p] ?? 0;
          expect(l).toBeLessThan(r);
          const key = `${l}:${r}`;
          expect(seen.has(key)).toBe(false);
          seen.add(key);
        }
      }),
    );
  });
});
