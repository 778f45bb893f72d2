import { describe, expect, it } from 'vitest';
import { parseDuration } from '../../../src/normalize/parse-duration.js';

describe('parseDuration', () => {
  it.each([
    ['3y', { amount: 3, unit: 'year', text: '3y' }],
    ['18m', { amount: 18, unit: 'month', text: '18m' }],
    ['90d', { amount: 90, unit: 'day', text: '90d' }],
    [' 18M ', { amount: 18, unit: 'month', text: '18m' }],
    ['2 years', { amount: 2, unit: 'year', text: '2y' }],
    ['1 month', { amount: 1, unit: 'month', text: '1m' }],
    ['30 days', { amount: 30, unit: 'day', text: '30d' }],
  ])('reads %j', (typed, expected) => {
    expect(parseDuration(typed)).toEqual(expected);
  });

  it.each(['', '3', 'y', '0d', '-3y', '3x', '1.5y', '3 weeks', '3y2m', '12345d'])('refuses %j', (typed) => {
    expect(parseDuration(typed)).toBeUndefined();
  });
});
