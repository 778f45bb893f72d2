import { describe, expect, it } from 'vitest';
import { consentStatedAt, replacesConsent } from '../../../src/privacy/consent-statement.js';

const FILE_DATE = '2026-12-01T09:00:00.000Z';
const row = (attributes: Record<string, string>, signup_date: string | null = null) => ({ attributes, values: { signup_date } as never });

describe('consentStatedAt', () => {
  it('dates a Mailchimp row by its own times, any other row by the file', () => {
    expect(consentStatedAt(row({ mailchimp_status: 'unsubscribed', unsubscribed_at: '2024-02-02 08:00:00' }), FILE_DATE)).toBe('2024-02-02T08:00:00.000Z');
    expect(consentStatedAt(row({ mailchimp_status: 'cleaned', cleaned_at: '2022-07-07 07:07' }), FILE_DATE)).toBe('2022-07-07T07:07:00.000Z');
    expect(consentStatedAt(row({ mailchimp_status: 'subscribed' }, '2021-05-01'), FILE_DATE)).toBe('2021-05-01T00:00:00.000Z');
    expect(consentStatedAt(row({ mailchimp_status: 'unsubscribed', unsubscribed_at: 'last spring' }), FILE_DATE)).toBe(FILE_DATE);
    expect(consentStatedAt(row({ unsubscribed_at: '2024-02-02 08:00:00' }, '2021-05-01'), FILE_DATE)).toBe(FILE_DATE);
  });
});

describe('replacesConsent: the newer statement wins', () => {
  const at = (state: 'granted' | 'denied' | null, time: string | null) => ({ state, at: time });
  it.each([
    ['nothing stored', at(null, null), at('granted', '2020-01-01T00:00:00.000Z'), true],
    ['a newer withdrawal', at('granted', '2021-05-01T00:00:00.000Z'), at('denied', '2024-02-02T08:00:00.000Z'), true],
    ['an older grant after a withdrawal', at('denied', '2024-02-02T08:00:00.000Z'), at('granted', '2021-05-01T00:00:00.000Z'), false],
    ['a newer grant after a withdrawal', at('denied', '2024-02-02T08:00:00.000Z'), at('granted', '2025-06-01T00:00:00.000Z'), true],
    ['a grant at the same instant as a withdrawal', at('denied', '2024-02-02T08:00:00.000Z'), at('granted', '2024-02-02T08:00:00.000Z'), false],
    ['a withdrawal at the same instant as a grant', at('granted', '2024-02-02T08:00:00.000Z'), at('denied', '2024-02-02T08:00:00.000Z'), true],
    ['a stored answer nobody dated', at('granted', null), at('denied', '2020-01-01T00:00:00.000Z'), true],
    ['the same answer again', at('denied', '2020-01-01T00:00:00.000Z'), at('denied', '2025-01-01T00:00:00.000Z'), false],
    ['no answer in the row', at('denied', '2020-01-01T00:00:00.000Z'), at(null, '2025-01-01T00:00:00.000Z'), false],
  ])('%s', (_name, stored, incoming, expected) => {
    expect(replacesConsent(stored, incoming)).toBe(expected);
  });
});
