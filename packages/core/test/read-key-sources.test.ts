import { describe, expect, it } from 'vitest';
import { readKey } from '../src/reading/read-key.js';

// Where readKey looks, at the edges: a hand-made header record that spells the name twice, and a URL whose path
// looks like a query string.
const KEY = 'sk_live_sources_0001';
const OTHER = 'sk_live_sources_0002';

describe('readKey: header records', () => {
  it('takes the lower-case name, Node’s own form, when a record also holds it in another case', () => {
    expect(readKey({ Authorization: `Bearer ${OTHER}`, authorization: `Bearer ${KEY}` })).toEqual({
      key: KEY,
      source: 'bearer',
    });
    expect(readKey({ 'X-Api-Key': OTHER, 'x-api-key': KEY })).toEqual({ key: KEY, source: { header: 'x-api-key' } });
  });
});

describe('readKey: query sources', () => {
  const sources = [{ query: 'api_key' }] as const;

  it('reads nothing from a URL without a query, even when its path looks like one', () => {
    expect(readKey({}, { sources, url: `/files&api_key=${KEY}` })).toEqual({ failure: 'missing' });
    expect(readKey({}, { sources, url: `api_key=${KEY}` })).toEqual({ failure: 'missing' });
    expect(readKey({}, { sources, url: `https://api.example.com/v1&api_key=${KEY}#api_key=${OTHER}` })).toEqual({
      failure: 'missing',
    });
  });

  it('reads the query, not the fragment after it', () => {
    expect(readKey({}, { sources, url: `/v1?api_key=${KEY}#api_key=${OTHER}` })).toEqual({
      key: KEY,
      source: { query: 'api_key' },
    });
  });
});
