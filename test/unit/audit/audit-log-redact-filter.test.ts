import { describe, expect, it } from 'vitest';
import { redactFilter } from '../../../src/audit/redact-filter.js';

describe('redactFilter: what the audit log keeps of a segment filter', () => {
  it('hides the values compared with personal fields and keeps the rest as written', () => {
    expect(redactFilter('email = "jane@example.com" and total_spent > 100')).toBe('email = "…" and total_spent > 100');
    expect(redactFilter('first_name in ("Jane", "Jo") or tags contains "vip"')).toBe('first_name in ("…", "…") or tags contains "vip"');
    expect(redactFilter('birth_date = 1980-02-01 and country = "GB"')).toBe('birth_date = "…" and country = "GB"');
    expect(redactFilter('not (phone is empty) and in segment "vip"')).toBe('not (phone is empty) and in segment "vip"');
    // Every field --mask hides is personal here too: a company may be a person's own name.
    expect(redactFilter('company = "Jane Smith Ltd" or external_id = "C-1001"')).toBe('company = "…" or external_id = "…"');
  });

  it('keeps out a filter it cannot read, whole', () => {
    expect(redactFilter('email = "jane@example.com')).toBe('"…"');
  });
});
