import { describe, expect, it } from 'vitest';
import { readKey } from '../src/reading/read-key.js';

// Edges of key reading that the behaviour tests in read-key.test.ts pass over: header names at the ends of the
// upper-case range, names that are a prefix of another, and the joined-header forms of RFC 9110 §5.3.
const KEY = 'sk_live_edge_0001';

describe('readKey: header names', () => {
  it('matches names written all upper-case, Z included', () => {
    expect(readKey({ AUTHORIZATION: `Bearer ${KEY}` })).toEqual({ key: KEY, source: 'bearer' });
    expect(readKey({ 'X-API-KEY': KEY })).toEqual({ key: KEY, source: { header: 'x-api-key' } });
  });

  it('does not take a header whose name is only a prefix or an extension of the configured one', () => {
    expect(readKey({ 'x-api': KEY })).toEqual({ failure: 'missing' });
    expect(readKey({ 'X-Api-Key-2': KEY })).toEqual({ failure: 'missing' });
    expect(readKey({ Authorizatio: `Bearer ${KEY}` })).toEqual({ failure: 'missing' });
  });

  it('does not fold characters next to the letter range', () => {
    // '@' and '[' sit just outside A-Z; folding them as letters would turn them into '`' and '{'.
    expect(readKey({ 'x-api-key': KEY }, { sources: [{ header: '`-key' }] })).toEqual({ failure: 'missing' });
    expect(readKey({ '@-key': KEY }, { sources: [{ header: '`-key' }] })).toEqual({ failure: 'missing' });
    expect(readKey({ '[-key': KEY }, { sources: [{ header: '{-key' }] })).toEqual({ failure: 'missing' });
  });

  it('counts only header names in the raw lines, never a value that spells one', () => {
    const rawHeaders = ['X-Note', 'authorization', 'Authorization', `Bearer ${KEY}`];
    expect(readKey({ authorization: `Bearer ${KEY}` }, { rawHeaders })).toEqual({ key: KEY, source: 'bearer' });
  });
});

describe('readKey: another scheme with a comma', () => {
  it('is another scheme unless a Bearer credential follows the comma', () => {
    expect(readKey({ authorization: 'Basic a, b' })).toEqual({ failure: 'other_scheme' });
    expect(readKey({ authorization: 'Basic a, Bearerx b' })).toEqual({ failure: 'other_scheme' });
    expect(readKey({ authorization: 'Basic a, xBearer b' })).toEqual({ failure: 'other_scheme' });
  });

  it('is ambiguous when a Bearer credential follows, however it is spaced', () => {
    for (const authorization of ['Basic a,Bearer b', 'Basic a,\tbearer b', 'Basic a,  BEARER b', 'Basic a, Bearer']) {
      expect(readKey({ authorization }), authorization).toEqual({ failure: 'ambiguous' });
    }
  });
});

describe('readKey: lengths', () => {
  it('measures the token, not the spaces before it', () => {
    expect(readKey({ authorization: `Bearer    ${'a'.repeat(10)}` }, { maxLength: 10 })).toEqual({
      key: 'a'.repeat(10),
      source: 'bearer',
    });
    expect(readKey({ authorization: `Bearer    ${'a'.repeat(11)}` }, { maxLength: 10 })).toEqual({
      failure: 'too_long',
    });
    expect(readKey({ 'x-api-key': 'a'.repeat(10) }, { maxLength: 10 })).toEqual({
      key: 'a'.repeat(10),
      source: { header: 'x-api-key' },
    });
    expect(readKey({}, { sources: [{ query: 'k' }], url: `/?k=${'a'.repeat(11)}`, maxLength: 10 })).toEqual({
      failure: 'too_long',
    });
  });
});
