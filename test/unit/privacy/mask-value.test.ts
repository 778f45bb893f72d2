import { describe, expect, it } from 'vitest';
import { maskRow, maskValue } from '../../../src/privacy/mask.js';

describe('maskValue: what --mask shows', () => {
  it.each([
    ['email', 'jane.obrien@example.com', 'j***@example.com'],
    ['email', 'not-an-email', '***'],
    ['phone', '+447700900123', '+44 •••• ••0123'],
    ['phone_e164', '+14155552671', '+1 •••• ••2671'],
    ['phone', '+31201234567', '+31 •••• •4567'],
    ['phone', '(415) 555-2671', '•••• ••2671'],
    ['phone', '12 34', '•••'],
    ['first_name', 'Jane', 'J***'],
    ['last_name', "O'Brien", 'O***'],
    ['full_name', 'mary ann van der Berg', 'm*** a*** v*** d*** B***'],
    ['company', 'McDonald & Sons', 'M*** &*** S***'],
    ['full_name', 'Émile Zola', 'É*** Z***'],
    ['address_line1', '12 Market St', '•••'],
    ['notes', 'Prefers oat milk', '•••'],
    ['postal_code', '94103', '941••'],
    ['postal_code', 'SW1A 1AA', 'SW1• •••'],
    ['postal_code', '1016 GV', '101• ••'],
    ['birth_date', '1985-03-13', '1985'],
  ])('%s %s → %s', (field, value, masked) => {
    expect(maskValue(field, value)).toBe(masked);
  });

  it('keeps ids, numbers, categories, empty values and NULL as they are', () => {
    expect(maskValue('id', 42)).toBe(42);
    expect(maskValue('total_spent', 12.5)).toBe(12.5);
    expect(maskValue('city', 'London')).toBe('London');
    expect(maskValue('attr.favourite_roast', 'dark')).toBe('dark');
    expect(maskValue('email', '')).toBe('');
    expect(maskValue('email', null)).toBeNull();
  });

  it('is deterministic, and never shows more than the rule keeps (fast check of many inputs)', () => {
    for (let k = 0; k < 200; k++) {
      const local = `person${k}.surname${k * 7}`;
      const email = `${local}@shop${k % 5}.example`;
      expect(maskValue('email', email)).toBe(maskValue('email', email));
      expect(maskValue('email', email)).not.toContain(local.slice(1));
      const phone = `+4477009${String(k).padStart(5, '0')}`;
      expect(maskValue('phone', phone)).not.toContain(phone.slice(3, -4));
    }
  });

  it('maskRow masks the personal columns of a row and leaves the rest', () => {
    expect(maskRow({ id: 1, email: 'ann@example.com', tags: ['vip'], birth_date: '1990-02-01', orders_count: 3 })).toEqual({
      id: 1,
      email: 'a***@example.com',
      tags: ['vip'],
      birth_date: '1990',
      orders_count: 3,
    });
  });
});
