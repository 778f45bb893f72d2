import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DateEvidence, DECISION_WINDOW } from '../../../src/import/date-evidence.js';
import { detectDateOrder, type DateOrderGuess } from '../../../src/normalize/parse-date.js';

type Batch = { cells: string[] }[];

/** The decision as a scan keeping every value makes it: after each batch, judge all values so far; stop on a conflict or a decision on enough values. */
function scanValues(batches: readonly Batch[], columns: readonly number[]): { guess: DateOrderGuess; values: number; settled: boolean } {
  const values: string[] = [];
  let guess = detectDateOrder([]);
  for (const batch of batches) {
    for (const record of batch) for (const index of columns) {
      const cell = record.cells[index]?.trim();
      if (cell) values.push(cell);
    }
    guess = detectDateOrder(values);
    if (/conflict/i.test(guess.evidence) || (guess.order !== null && values.length >= DECISION_WINDOW)) return { guess, values: values.length, settled: true };
  }
  return { guess, values: values.length, settled: false };
}

const cell = fc.oneof(
  fc.constantFrom('', ' ', 'n/a', '2024-03-07', '20240307', '7 Mar 2024', '13/03/2024', '03/13/2024', '01/02/2024', '02/01/24', '5.6.2023', '07/07/2024', '31.12.1999', '12/31/1999'),
  fc.tuple(fc.integer({ min: 0, max: 35 }), fc.integer({ min: 0, max: 35 })).map(([a, b]) => `${a}/${b}/2020`),
);

describe('DateEvidence: the day/month decision from counts, replayed for columns chosen later', () => {
  it('concludes what scanning the chosen columns’ values in file order concludes, and stops at the same batch', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.array(cell, { minLength: 4, maxLength: 4 }), { minLength: 1, maxLength: 300, size: 'max' }), { minLength: 0, maxLength: 8 }),
        fc.subarray([0, 1, 2, 3], { minLength: 1 }),
        (rows, columns) => {
          const batches: Batch[] = rows.map((batch) => batch.map((cells) => ({ cells })));
          const evidence = new DateEvidence([0, 1, 2, 3]);
          for (const batch of batches) evidence.addBatch(batch);
          evidence.complete = true;
          const scan = evidence.scan(columns);
          scan.advance();
          const expected = scanValues(batches, columns);
          expect(scan.guess).toEqual(expected.guess);
          expect(scan.values).toBe(expected.values);
          expect(scan.settled).toBe(expected.settled);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('takes the first value row by row, a row’s columns in the order asked for', () => {
    const evidence = new DateEvidence([0, 1]);
    evidence.addBatch([{ cells: ['', '14/02/2024'] }, { cells: ['13/01/2024', '15/03/2024'] }]);
    const forward = evidence.scan([0, 1]);
    forward.advance();
    expect(forward.guess.evidence).toBe('"14/02/2024" can only be day-month-year (3 such, none month-first)');
    const sameRow = new DateEvidence([0, 1]);
    sameRow.addBatch([{ cells: ['13/01/2024', '14/02/2024'] }]);
    const reversed = sameRow.scan([1, 0]);
    reversed.advance();
    expect(reversed.guess.evidence).toMatch(/^"14\/02\/2024"/);
  });

  it('is not finished while the file goes on and the values leave the order open', () => {
    const evidence = new DateEvidence([0]);
    evidence.addBatch([{ cells: ['01/02/2024'] }]);
    const scan = evidence.scan([0]);
    scan.advance();
    expect(scan.finished).toBe(false);
    evidence.complete = true;
    expect(scan.finished).toBe(true);
    expect(scan.guess.order).toBeNull();
  });
});
