import { describe, expect, it } from 'vitest';
import { compareMigrations } from '../../../src/db/compare-migrations.js';

describe('compareMigrations', () => {
  const known = ['0001-initial', '0002-metrics', '0003-segments'];

  it('lists everything as pending on an empty database', () => {
    expect(compareMigrations(known, [])).toMatchObject({ pending: known, unknown: [], outOfOrder: [] });
  });

  it('lists only the missing tail as pending on an older database', () => {
    expect(compareMigrations(known, ['0001-initial'])).toMatchObject({ pending: ['0002-metrics', '0003-segments'], unknown: [], outOfOrder: [] });
  });

  it('has nothing pending when all are applied', () => {
    expect(compareMigrations(known, known).pending).toEqual([]);
  });

  it('reports migrations from a newer build as unknown', () => {
    expect(compareMigrations(known, [...known, '0004-future']).unknown).toEqual(['0004-future']);
  });

  it('reports a skipped migration as out of order, and then applies nothing', () => {
    const state = compareMigrations(known, ['0001-initial', '0003-segments']);
    expect(state.outOfOrder).toEqual(['0003-segments', '0002-metrics']);
    expect(state.pending).toEqual([]);
  });

  it('reports migrations applied in a different order', () => {
    expect(compareMigrations(known, ['0002-metrics', '0001-initial']).outOfOrder).toEqual(['0002-metrics', '0001-initial']);
  });
});
