import { describe, expect, it } from 'vitest';
import { checkRoleName } from '../../../src/access/check-role-name.js';
import { explainRefusal } from '../../../src/access/explain-refusal.js';
import { PermissionDeniedError, UsageError, type ActingRole } from '../../../src/errors.js';

const LOCATION = 'postgres://ana@db.example.com/shop';

function refusal(acting: ActingRole | undefined, serverMessage = 'permission denied for view import_batches'): PermissionDeniedError {
  return new PermissionDeniedError(`${LOCATION}: the server refused your database role (ana) (${serverMessage}).`, { location: LOCATION, serverMessage, user: 'ana', acting });
}

const analyst: ActingRole = { user: 'ana', role: 'analyst', unmasked: false, superuser: false };

describe('explainRefusal', () => {
  it('an analyst importing: may only read, importing needs the staff or owner role', () => {
    const error = explainRefusal(refusal(analyst), 'import') as PermissionDeniedError;
    expect(error.message).toBe(`${LOCATION}: your database role (ana) may only read: importing needs the staff or owner role.`);
    expect(error.hint).toBe('The server said: permission denied for view import_batches. An owner can change it: custdb access grant ana --role staff.');
    expect(error.explained).toBe(true);
  });

  it('staff changing access: changing access needs the owner role', () => {
    const error = explainRefusal(refusal({ ...analyst, user: 'sam', role: 'staff', unmasked: true }, 'permission denied to set role "custdb_shop_owner"'), 'access grant') as PermissionDeniedError;
    expect(error.message).toBe(`${LOCATION}: your database role (sam) is staff: changing access needs the owner role.`);
  });

  it('a role with no custdb role, or one the server cannot be asked about, is told what the command needs', () => {
    expect((explainRefusal(refusal({ ...analyst, role: undefined }), 'export customers') as Error).message).toBe(
      `${LOCATION}: your database role (ana) has no custdb role in this database: reading customer data needs the analyst, staff or owner role.`,
    );
    expect((explainRefusal(refusal(undefined), 'customers edit') as Error).message).toBe(`${LOCATION}: the server refused your database role (ana): editing customers needs the staff or owner role.`);
  });

  it('an owner refused is told what the server said, and about CREATEROLE when that is it', () => {
    const error = explainRefusal(refusal({ ...analyst, role: 'owner', unmasked: true }, 'permission denied to create role'), 'access grant') as PermissionDeniedError;
    expect(error.message).toBe(`${LOCATION}: your database role (ana) is an owner, but the server refused it: permission denied to create role.`);
    expect(error.hint).toMatch(/CREATEROLE/);
  });

  it('leaves other errors, and refusals already explained, as they are', () => {
    const usage = new UsageError('no');
    expect(explainRefusal(usage, 'import')).toBe(usage);
    const done = new PermissionDeniedError('said', { location: LOCATION, serverMessage: 'x', explained: true });
    expect(explainRefusal(done, 'import')).toBe(done);
  });
});

describe('checkRoleName', () => {
  it.each(['ana', 'Ana_2', 'j.smith', 'ana@shop', 'sam-ops'])('accepts %s', (name) => {
    expect(checkRoleName(name)).toBeUndefined();
  });

  it.each([
    ['', /empty/],
    ['pg_monitor', /reserved by PostgreSQL/],
    ['public', /reserved word/],
    ['custdb_shop_staff', /custdb's own group roles/],
    ['a b', /only letters, digits/],
    ['1ana', /starts with a letter/],
    ['a'.repeat(64), /63 bytes/],
  ])('refuses %j', (name, reason) => {
    expect(checkRoleName(name)).toMatch(reason);
  });
});
