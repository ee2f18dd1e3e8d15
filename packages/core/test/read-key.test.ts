import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { B64TOKEN, DEFAULT_KEY_SOURCES, MAX_KEY_LENGTH, readKey, type KeySource } from '../src/reading/read-key.js';

const KEY = 'sk_live_AbC123-._~+/==';

describe('readKey: Authorization Bearer', () => {
  it('reads a bearer token, scheme in any case, token as sent', () => {
    for (const scheme of ['Bearer', 'bearer', 'BEARER', 'bEaReR']) {
      expect(readKey({ authorization: `${scheme} ${KEY}` })).toEqual({ key: KEY, source: 'bearer' });
    }
  });

  it('accepts several spaces after the scheme', () => {
    expect(readKey({ authorization: `Bearer    ${KEY}` })).toEqual({ key: KEY, source: 'bearer' });
  });

  it('treats another scheme as no key', () => {
    expect(readKey({ authorization: 'Basic dXNlcjpwYXNz' })).toEqual({ failure: 'missing' });
    expect(readKey({ authorization: 'Bearerish abc' })).toEqual({ failure: 'missing' });
    expect(readKey({ authorization: '' })).toEqual({ failure: 'missing' });
    // RFC 9110 separates the scheme with spaces only: `Bearer\tabc` is one (unknown) scheme.
    expect(readKey({ authorization: 'Bearer\tabc' })).toEqual({ failure: 'missing' });
  });

  it('uses the other source when the Authorization header holds another scheme', () => {
    expect(readKey({ authorization: 'Basic dXNlcjpwYXNz', 'x-api-key': KEY })).toEqual({ key: KEY, source: { header: 'x-api-key' } });
  });

  it.each([
    ['Bearer', 'nothing after the scheme'],
    ['Bearer ', 'only a space'],
    ['Bearer    ', 'only spaces'],
    ['Bearer a b', 'a space inside'],
    ['Bearer ab=c', 'padding in the middle'],
    ['Bearer a,b', 'a comma'],
    ['Bearer ключ', 'non-ASCII'],
  ])('%j is malformed (%s)', (authorization) => {
    expect(readKey({ authorization })).toEqual({ failure: 'malformed' });
  });

  it('answers too_long past the limit, before checking the charset', () => {
    expect(readKey({ authorization: `Bearer ${'a'.repeat(MAX_KEY_LENGTH)}` })).toEqual({ key: 'a'.repeat(512), source: 'bearer' });
    expect(readKey({ authorization: `Bearer ${'a'.repeat(MAX_KEY_LENGTH + 1)}` })).toEqual({ failure: 'too_long' });
    expect(readKey({ authorization: `Bearer ${'!'.repeat(600)}` })).toEqual({ failure: 'too_long' });
    expect(readKey({ authorization: `Bearer ${'a'.repeat(20)}` }, { maxLength: 10 })).toEqual({ failure: 'too_long' });
  });

  it('finds header names in any case in a plain record', () => {
    expect(readKey({ Authorization: `Bearer ${KEY}` })).toEqual({ key: KEY, source: 'bearer' });
    expect(readKey({ 'X-API-Key': KEY })).toEqual({ key: KEY, source: { header: 'x-api-key' } });
  });

  it('reads a fetch Headers object', () => {
    expect(readKey(new Headers({ Authorization: `Bearer ${KEY}` }))).toEqual({ key: KEY, source: 'bearer' });
    expect(readKey(new Headers({ 'x-api-key': KEY }))).toEqual({ key: KEY, source: { header: 'x-api-key' } });
    expect(readKey(new Headers())).toEqual({ failure: 'missing' });
  });

  it('answers ambiguous for two Authorization values in a record', () => {
    expect(readKey({ authorization: [`Bearer ${KEY}`, `Bearer ${KEY}`] })).toEqual({ failure: 'ambiguous' });
    expect(readKey({ authorization: [`Bearer ${KEY}`] })).toEqual({ key: KEY, source: 'bearer' });
  });
});

describe('readKey: custom headers', () => {
  it('reads the raw value', () => {
    expect(readKey({ 'x-api-key': KEY })).toEqual({ key: KEY, source: { header: 'x-api-key' } });
  });

  it('is malformed when empty or outside the charset', () => {
    expect(readKey({ 'x-api-key': '' })).toEqual({ failure: 'malformed' });
    expect(readKey({ 'x-api-key': 'Bearer abc' })).toEqual({ failure: 'malformed' });
    expect(readKey({ 'x-api-key': 'a;b' })).toEqual({ failure: 'malformed' });
  });

  it('is ambiguous with more than one value', () => {
    expect(readKey({ 'x-api-key': [KEY, 'other'] })).toEqual({ failure: 'ambiguous' });
    expect(readKey({ 'x-api-key': [KEY] })).toEqual({ key: KEY, source: { header: 'x-api-key' } });
  });

  it('is too_long past the limit', () => {
    expect(readKey({ 'x-api-key': 'k'.repeat(513) })).toEqual({ failure: 'too_long' });
  });

  it('reads a configured header name given in any case', () => {
    const sources: KeySource[] = [{ header: 'X-Custom-Key' }];
    expect(readKey({ 'x-custom-key': KEY }, { sources })).toEqual({ key: KEY, source: sources[0] });
  });
});

describe('readKey: query parameters', () => {
  const sources: KeySource[] = [{ query: 'api_key' }];

  it('reads from a relative or absolute URL', () => {
    expect(readKey({}, { sources, url: `/things?x=1&api_key=${encodeURIComponent(KEY)}` })).toEqual({ key: KEY, source: sources[0] });
    expect(readKey({}, { sources, url: `https://example.com/a?api_key=abc#frag` })).toEqual({ key: 'abc', source: sources[0] });
  });

  it('has no key without a URL, a query or the parameter', () => {
    expect(readKey({}, { sources })).toEqual({ failure: 'missing' });
    expect(readKey({}, { sources, url: '/things' })).toEqual({ failure: 'missing' });
    expect(readKey({}, { sources, url: '/things?other=1' })).toEqual({ failure: 'missing' });
  });

  it('is ambiguous when repeated and malformed when empty', () => {
    expect(readKey({}, { sources, url: '/t?api_key=a&api_key=a' })).toEqual({ failure: 'ambiguous' });
    expect(readKey({}, { sources, url: '/t?api_key=' })).toEqual({ failure: 'malformed' });
  });

  it('is not read unless configured', () => {
    expect(readKey({}, { url: `/t?api_key=${KEY}` })).toEqual({ failure: 'missing' });
  });
});

describe('readKey: several sources', () => {
  it('defaults to bearer then x-api-key', () => {
    expect(DEFAULT_KEY_SOURCES).toEqual(['bearer', { header: 'x-api-key' }]);
  });

  it('is ambiguous when a key is in two places, even the same key', () => {
    expect(readKey({ authorization: `Bearer ${KEY}`, 'x-api-key': KEY })).toEqual({ failure: 'ambiguous' });
    expect(readKey({ authorization: `Bearer ${KEY}` }, { sources: ['bearer', { query: 'k' }], url: '/?k=other' })).toEqual({ failure: 'ambiguous' });
  });

  it('is ambiguous when one of the two credentials is malformed', () => {
    expect(readKey({ authorization: 'Bearer', 'x-api-key': KEY })).toEqual({ failure: 'ambiguous' });
  });

  it('honours the configured sources only', () => {
    expect(readKey({ authorization: `Bearer ${KEY}` }, { sources: [{ header: 'x-api-key' }] })).toEqual({ failure: 'missing' });
    expect(readKey({ 'x-api-key': KEY }, { sources: ['bearer'] })).toEqual({ failure: 'missing' });
  });

  it('answers missing with no credentials at all', () => {
    expect(readKey({})).toEqual({ failure: 'missing' });
    expect(readKey({ 'content-type': 'text/plain', cookie: undefined })).toEqual({ failure: 'missing' });
  });
});

describe('readKey properties', () => {
  const token = fc.stringMatching(/^[A-Za-z0-9\-._~+/]{1,40}={0,2}$/);

  it('reads back any b64token sent as a bearer credential or x-api-key', () => {
    fc.assert(
      fc.property(token, fc.integer({ min: 1, max: 4 }), (key, spaces) => {
        expect(B64TOKEN.test(key)).toBe(true);
        expect(readKey({ authorization: `Bearer${' '.repeat(spaces)}${key}` })).toEqual({ key, source: 'bearer' });
        expect(readKey({ 'x-api-key': key })).toEqual({ key, source: { header: 'x-api-key' } });
      }),
    );
  });

  it('never throws and never answers a key outside the charset or the limit', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 600 }), fc.string({ maxLength: 30 }), (authorization, apiKey) => {
        const result = readKey({ authorization, 'x-api-key': apiKey }, { sources: ['bearer', { header: 'x-api-key' }, { query: 'k' }], url: `/?k=${apiKey}` });
        if ('key' in result) {
          expect(B64TOKEN.test(result.key)).toBe(true);
          expect(result.key.length).toBeLessThanOrEqual(MAX_KEY_LENGTH);
        }
      }),
    );
  });
});
