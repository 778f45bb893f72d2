import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defaultBackupName, findBackups, parseBackupName, planRotation } from '../../../src/backup/backup-names.js';
import { parseBackupMaxAge } from '../../../src/backup/backup-max-age.js';

const AT = new Date('2026-12-05T14:30:07.250Z');

describe('backup names', () => {
  it('names a backup by its UTC day, adding the time when the day is taken, and .age when encrypted', () => {
    expect(defaultBackupName('customers', AT, false, new Set())).toBe('customers-2026-12-05.db');
    expect(defaultBackupName('customers', AT, false, new Set(['customers-2026-12-05.db']))).toBe('customers-2026-12-05-143007.db');
    expect(defaultBackupName('customers', AT, true, new Set(['customers-2026-12-05.db']))).toBe('customers-2026-12-05.db.age');
  });

  it('reads back what it writes, and nothing else', () => {
    expect(parseBackupName('customers', 'customers-2026-12-05-143007.db.age')).toEqual({ file: 'customers-2026-12-05-143007.db.age', sortKey: '2026-12-05143007', takenAt: new Date('2026-12-05T14:30:07Z') });
    for (const other of ['customers.db', 'customers-2026-12-05.db-wal', 'shop-2026-12-05.db', 'customers-2026-13-45.db', 'customers-old-2026-12-05.db', '.customers-2026-12-05.db.1a2b.tmp.db']) {
      expect([other, parseBackupName('customers', other)]).toEqual([other, undefined]);
    }
    fc.assert(
      fc.property(fc.date({ min: new Date('2000-01-01'), max: new Date('2099-12-31'), noInvalidDate: true }), fc.boolean(), fc.boolean(), (date, encrypted, dayTaken) => {
        const taken = new Set(dayTaken ? [defaultBackupName('shop', date, encrypted, new Set())] : []);
        const name = defaultBackupName('shop', date, encrypted, taken);
        const parsed = parseBackupName('shop', name);
        expect(parsed?.takenAt.toISOString().slice(0, dayTaken ? 19 : 10)).toBe(date.toISOString().slice(0, dayTaken ? 19 : 10));
      }),
    );
  });

  it('--keep N keeps the newest N of this database, the first of a day before its later ones', () => {
    const files = ['customers-2026-12-04.db', 'customers-2026-12-05-090000.db', 'customers-2026-12-05.db', 'customers-2026-12-05-180000.db.age', 'shop-2026-12-01.db', 'notes.txt'];
    expect(findBackups('customers', files).map((b) => b.file)).toEqual(['customers-2026-12-05-180000.db.age', 'customers-2026-12-05-090000.db', 'customers-2026-12-05.db', 'customers-2026-12-04.db']);
    expect(planRotation('customers', files, 2)).toEqual(['customers-2026-12-05.db', 'customers-2026-12-04.db']);
    expect(planRotation('customers', files, 10)).toEqual([]);
  });
});

describe('backup-max-age', () => {
  it('takes whole hours, days or weeks and refuses the rest', () => {
    expect(parseBackupMaxAge('36h')).toBe(36 * 3_600_000);
    expect(parseBackupMaxAge(' 7D ')).toBe(7 * 86_400_000);
    expect(parseBackupMaxAge('2w')).toBe(14 * 86_400_000);
    for (const bad of ['7', '0d', '1.5d', 'a week', '7m', '']) expect(() => parseBackupMaxAge(bad)).toThrow(/is not an age such as 7d/);
  });
});
