import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { B64TOKEN, DEFAULT_KEY_SOURCES, MAX_KEY_LENGTH, readKey } from '../src/reading/read-key.js';
import type { KeySource } from '../src/reading/types.js';

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

  it('treats another scheme, or a key without a scheme, as no key, and says so', () => {
    expect(readKey({ authorization: 'Basic dXNlcjpwYXNz' })).toEqual({ failure: 'other_scheme' });
    expect(readKey({ authorization: 'Bearerish abc' })).toEqual({ failure: 'other_scheme' });
    expect(readKey({ authorization: KEY })).toEqual({ failure: 'other_scheme' });
    // RFC 9110 separates the scheme with spaces only: `Bearer\tabc` is one (unknown) scheme.
    expect(readKey({ authorization: 'Bearer\tabc' })).toEqual({ failure: 'other_scheme' });
    // Digest-style auth-params hold commas: still one credential of another scheme, not a doubled header.
    expect(readKey({ authorization: 'Digest username="a", realm="b", nonce="c"' })).toEqual({
      failure: 'other_scheme',
    });
    expect(readKey({ authorization: '' })).toEqual({ failure: 'missing' });
  });

  it('uses the other source when the Authorization header holds another scheme', () => {
    expect(readKey({ authorization: 'Basic dXNlcjpwYXNz', 'x-api-key': KEY })).toEqual({
      key: KEY,
      source: { header: 'x-api-key' },
    });
  });

  it.each([
    ['Bearer', 'nothing after the scheme'],
    ['Bearer ', 'only a space'],
    ['Bearer    ', 'only spaces'],
    ['Bearer a b', 'a space inside'],
    ['Bearer ab=c', 'padding in the middle'],
    ['Bearer ключ', 'non-ASCII'],
  ])('%j is malformed (%s)', (authorization) => {
    expect(readKey({ authorization })).toEqual({ failure: 'malformed' });
  });

  it('answers too_long past the limit, before checking the charset', () => {
    expect(readKey({ authorization: `Bearer ${'a'.repeat(MAX_KEY_LENGTH)}` })).toEqual({
      key: 'a'.repeat(512),
      source: 'bearer',
    });
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

describe('readKey: a credential header sent twice', () => {
  const OTHER = 'sk_other_key_1';

  it('is ambiguous from the raw header lines, whichever line Node kept, whatever the schemes', () => {
    // Node keeps only the first Authorization line in `headers`: the raw lines show the second.
    for (const [first, second] of [
      [`Bearer ${KEY}`, `Bearer ${OTHER}`],
      [`Bearer ${OTHER}`, `Bearer ${KEY}`],
      [`Bearer ${KEY}`, `Bearer ${KEY}`],
      ['Basic dXNlcjpwYXNz', `Bearer ${KEY}`],
      ['Basic dXNlcjpwYXNz', 'Basic dXNlcjpwYXNz'],
    ]) {
      expect(
        readKey(
          { authorization: first },
          { rawHeaders: ['Host', 'x', 'Authorization', first!, 'authorization', second!] },
        ),
      ).toEqual({ failure: 'ambiguous' });
    }
    expect(readKey({ 'x-api-key': KEY }, { rawHeaders: ['X-API-Key', KEY, 'x-api-key', KEY] })).toEqual({
      failure: 'ambiguous',
    });
  });

  it('reads a key sent once as usual when the raw lines are given', () => {
    const rawHeaders = ['Host', 'x', 'Authorization', `Bearer ${KEY}`, 'Accept', '*/*'];
    expect(readKey({ authorization: `Bearer ${KEY}` }, { rawHeaders })).toEqual({ key: KEY, source: 'bearer' });
    expect(readKey({ 'x-api-key': KEY }, { rawHeaders: ['x-api-key', KEY] })).toEqual({
      key: KEY,
      source: { header: 'x-api-key' },
    });
    // A repeated header that is not a source does not matter.
    expect(
      readKey(
        { authorization: `Bearer ${KEY}` },
        { rawHeaders: ['Accept', 'a', 'Accept', 'b', 'Authorization', `Bearer ${KEY}`] },
      ),
    ).toEqual({ key: KEY, source: 'bearer' });
  });

  it('is ambiguous when the lines were joined with a comma (fetch Headers, Node for x-api-key, proxies)', () => {
    const joined = new Headers();
    joined.append('authorization', `Bearer ${OTHER}`);
    joined.append('authorization', `Bearer ${KEY}`);
    expect(joined.get('authorization')).toBe(`Bearer ${OTHER}, Bearer ${KEY}`);
    expect(readKey(joined)).toEqual({ failure: 'ambiguous' });
    const doubledApiKey = new Headers();
    doubledApiKey.append('x-api-key', KEY);
    doubledApiKey.append('x-api-key', OTHER);
    expect(readKey(doubledApiKey)).toEqual({ failure: 'ambiguous' });
    expect(readKey({ 'x-api-key': `${KEY}, ${OTHER}` })).toEqual({ failure: 'ambiguous' });
    expect(readKey({ authorization: `Basic dXNlcjpwYXNz, Bearer ${KEY}` })).toEqual({ failure: 'ambiguous' });
    expect(readKey({ authorization: `Bearer ${KEY}, Basic dXNlcjpwYXNz` })).toEqual({ failure: 'ambiguous' });
    expect(readKey({ authorization: 'Bearer a,b' })).toEqual({ failure: 'ambiguous' });
  });
});

describe('readKey: custom headers', () => {
  it('reads the raw value', () => {
    expect(readKey({ 'x-api-key': KEY })).toEqual({ key: KEY, source: { header: 'x-api-key' } });
  });

  it('is malformed when empty or outside the charset', () => {
    expect(readKey({ 'x-api-key': '' })).toEqual({ failure: 'malformed' });
    expect(readKey({ 'x-api-key': 'a b' })).toEqual({ failure: 'malformed' });
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
    expect(readKey({}, { sources, url: `/things?x=1&api_key=${encodeURIComponent(KEY)}` })).toEqual({
      key: KEY,
      source: sources[0],
    });
    expect(readKey({}, { sources, url: `https://example.com/a?api_key=abc#frag` })).toEqual({
      key: 'abc',
      source: sources[0],
    });
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
    expect(
      readKey({ authorization: `Bearer ${KEY}` }, { sources: ['bearer', { query: 'k' }], url: '/?k=other' }),
    ).toEqual({ failure: 'ambiguous' });
  });

  it('is ambiguous when one of the two credentials is malformed', () => {
    expect(readKey({ authorization: 'Bearer', 'x-api-key': KEY })).toEqual({ failure: 'ambiguous' });
  });

  it('honours the configured sources only', () => {
    expect(readKey({ authorization: `Bearer ${KEY}` }, { sources: [{ header: 'x-api-key' }] })).toEqual({
      failure: 'missing',
    });
    expect(readKey({ 'x-api-key': KEY }, { sources: ['bearer'] })).toEqual({ failure: 'missing' });
  });

  it('uses the other source when the Authorization header holds another scheme, and says other_scheme with none', () => {
    expect(readKey({ authorization: 'Basic dXNlcjpwYXNz', 'x-api-key': KEY })).toEqual({
      key: KEY,
      source: { header: 'x-api-key' },
    });
    expect(readKey({ authorization: 'Basic dXNlcjpwYXNz', 'x-api-key': 'a b' })).toEqual({ failure: 'malformed' });
    expect(readKey({ authorization: 'Basic dXNlcjpwYXNz' }, { sources: [{ header: 'x-api-key' }] })).toEqual({
      failure: 'missing',
    });
  });

  it('answers missing with no credentials at all', () => {
    expect(readKey({})).toEqual({ failure: 'missing' });
    expect(readKey({ 'content-type': 'text/plain', cookie: undefined })).toEqual({ failure: 'missing' });
  });
});

describe('readKey properties', () => {
  const token = fc.stringMatching(/^[A-Za-z0-9\-._~+/]{1,40}={0,2}$/);
  /** Any text, often close to a key: b64token characters mixed with the ones that break it. */
  const anyValue = fc.oneof(
    fc.string({ maxLength: 40 }),
    fc.stringMatching(/^[A-Za-z0-9\-._~+/= ,;%&#"\u00e9]{0,40}$/),
    fc.stringMatching(/^[A-Za-z0-9]{505,520}$/),
  );
  const QUERY: KeySource[] = [{ query: 'k' }];

  /** What reading `value` from one source must answer: the key exactly when it is a b64token within the limit. */
  function expectedReading(value: string, source: KeySource) {
    if (value.length > 0 && value.length <= MAX_KEY_LENGTH && B64TOKEN.test(value)) return { key: value, source };
    return { failure: expect.stringMatching(/^(malformed|too_long|ambiguous)$/) };
  }

  it('reads back any b64token sent as a bearer credential, x-api-key or query parameter', () => {
    fc.assert(
      fc.property(token, fc.integer({ min: 1, max: 4 }), (key, spaces) => {
        expect(B64TOKEN.test(key)).toBe(true);
        expect(readKey({ authorization: `Bearer${' '.repeat(spaces)}${key}` })).toEqual({ key, source: 'bearer' });
        expect(readKey({ 'x-api-key': key })).toEqual({ key, source: { header: 'x-api-key' } });
        expect(readKey({}, { sources: QUERY, url: `/?k=${encodeURIComponent(key)}` })).toEqual({
          key,
          source: QUERY[0],
        });
      }),
    );
  });

  // One source at a time: a value sent in two places would only ever be `ambiguous`, and nothing else be checked.
  it('answers a key from x-api-key exactly when the value is a b64token within the limit', () => {
    fc.assert(
      fc.property(anyValue, (value) => {
        expect(readKey({ 'x-api-key': value })).toEqual(expectedReading(value, { header: 'x-api-key' }));
      }),
    );
  });

  it('answers a key from a query parameter exactly when its decoded value is a b64token within the limit', () => {
    fc.assert(
      fc.property(anyValue, (value) => {
        expect(readKey({}, { sources: QUERY, url: `/path?a=1&k=${encodeURIComponent(value)}` })).toEqual(
          expectedReading(value, QUERY[0]!),
        );
      }),
    );
  });

  it('answers a key from a Bearer credential exactly when the token is a b64token within the limit', () => {
    fc.assert(
      fc.property(anyValue, (value) => {
        const result = readKey({ authorization: `Bearer ${value}` });
        const token = value.replace(/^ +/, '');
        if (token.length > 0 && token.length <= MAX_KEY_LENGTH && B64TOKEN.test(token))
          expect(result).toEqual({ key: token, source: 'bearer' });
        else expect(result).toHaveProperty('failure');
      }),
    );
  });

  it('never throws and never answers a key outside the charset or the limit, whatever the headers and query', () => {
    fc.assert(
      fc.property(
        fc.option(fc.string({ maxLength: 600 })),
        fc.option(anyValue),
        fc.option(fc.string({ maxLength: 30 })),
        (authorization, apiKey, query) => {
          const headers: Record<string, string> = {};
          if (authorization !== null) headers.authorization = authorization;
          if (apiKey !== null) headers['x-api-key'] = apiKey;
          const url = query === null ? '/' : `/?k=${query}`;
          const result = readKey(headers, { sources: ['bearer', { header: 'x-api-key' }, { query: 'k' }], url });
          if ('key' in result) {
            expect(B64TOKEN.test(result.key)).toBe(true);
            expect(result.key.length).toBeLessThanOrEqual(MAX_KEY_LENGTH);
          }
        },
      ),
    );
  });
});
