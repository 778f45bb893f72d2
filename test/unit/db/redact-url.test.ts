import { describe, expect, it } from 'vitest';
import { redactUrl } from '../../../src/db/postgres/redact-url.js';

describe('redactUrl', () => {
  it.each([
    ['postgres://ann:s3cret@db.example.com:5433/shop', 'postgres://ann@db.example.com:5433/shop'],
    ['postgresql://ann:s3cr%40t@db.example.com/shop', 'postgresql://ann@db.example.com/shop'],
    // Unencoded '@' and '/' in the password: nothing of it may be left, even though the URL is malformed.
    ['postgres://ann:p@ss/w@rd@db.example.com/shop', 'postgres://ann@db.example.com/shop'],
    ['postgres://ann@db.example.com/shop?password=s3cret', 'postgres://ann@db.example.com/shop'],
    ['postgres://ann@db.example.com/shop?sslmode=require&password=s3cret&application_name=x', 'postgres://ann@db.example.com/shop?sslmode=require&application_name=x'],
    ['postgres://ann@db.example.com/shop?sslpassword=s3cret&sslmode=require', 'postgres://ann@db.example.com/shop?sslmode=require'],
    ['postgres://:s3cret@db.example.com/shop', 'postgres://@db.example.com/shop'],
  ])('%s → %s', (url, expected) => {
    expect(redactUrl(url)).toBe(expected);
    expect(redactUrl(url)).not.toMatch(/s3cr|p@ss|w@rd/);
  });

  it('leaves a URL without a password as it is', () => {
    for (const url of ['postgres://ann@db.example.com/shop', 'postgres://localhost/shop', 'postgres:///shop?host=/run/postgresql', 'not a url']) {
      expect(redactUrl(url)).toBe(url);
    }
  });
});
