import { describe, expect, it } from 'vitest';
import { splitClusterByDecisions } from '../../../src/dedupe-run/split-cluster-by-decisions.js';

describe('splitClusterByDecisions', () => {
  const options = { threshold: 0.9, probabilityOf: () => 0.95 };

  it('never puts two customers marked "not the same" in one group', () => {
    const links = [
      { a: 1, b: 2, probability: 0.99 },
      { a: 2, b: 3, probability: 0.97 },
      { a: 1, b: 3, probability: 0.95 },
    ];
    expect(splitClusterByDecisions(links, (x, y) => x === 1 && y === 3, options)).toEqual([[1, 2]]);
    expect(splitClusterByDecisions(links, () => false, options)).toEqual([[1, 2, 3]]);
  });

  it('keeps the rest of a group together when one pair is distinct', () => {
    const links = [
      { a: 1, b: 2, probability: 0.99 },
      { a: 3, b: 4, probability: 0.98 },
      { a: 2, b: 3, probability: 0.95 },
    ];
    expect(splitClusterByDecisions(links, (x, y) => x === 2 && y === 4, options)).toEqual([[1, 2], [3, 4]]);
  });
});
