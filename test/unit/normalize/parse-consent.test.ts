import { describe, expect, it } from 'vitest';
import { parseConsent } from '../../../src/normalize/parse-consent.js';

describe('parseConsent', () => {
  it.each([
    'yes', 'Yes', 'Y', 'true', 'TRUE', '1', 'subscribed', 'SUBSCRIBED', 'opted in', 'Opted-In', 'opt_in',
    'confirmed', 'Email Subscribed', ' yes ',
  ])('%j is granted', (raw) => {
    expect(parseConsent(raw)).toBe('granted');
  });

  it.each([
    'no', 'N', 'false', 'FALSE', '0', 'unsubscribed', 'Unsubscribed', 'cleaned', 'opted out', 'Opted Out',
    'non_subscribed', 'not_subscribed', 'NEVER_SUBSCRIBED', 'Email Unsubscribed', 'do not email',
  ])('%j is denied', (raw) => {
    expect(parseConsent(raw)).toBe('denied');
  });

  it.each(['', '  ', 'pending', 'transactional', 'maybe', 'unknown', 'archived', 'x'])('%j is unknown', (raw) => {
    expect(parseConsent(raw)).toBeNull();
  });
});
