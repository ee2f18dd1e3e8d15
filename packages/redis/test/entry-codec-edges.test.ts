import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { ProviderAnswer } from '@keyguard/core';
import { EntryCodec } from '../src/keys/entry.js';

// A shared entry as Redis holds it (src/keys/entry.ts): `<mac>.<json>`, the MAC over the name and the JSON with the
// fleet's secret. Everything a reader cannot trust is refused; what the READ script parses (`r`, then `k`) leads.
const SECRET = 'entry-codec-edges-secret-0123456789abcdef';
const codec = new EntryCodec(SECRET);
const NAME = codec.name('digest-1');
const ANSWER = { valid: true, keyId: 'key_1', key: { id: 'key_1' } } as unknown as ProviderAnswer;

/** A value signed as the codec signs (for payloads the codec itself would never write). */
function signed(name: string, json: string, secret = SECRET): string {
  const mac = createHmac('sha256', secret)
    .update('keyguard-entry\0')
    .update(name)
    .update('\0')
    .update(json)
    .digest('base64url');
  return `${mac}.${json}`;
}

describe('EntryCodec names', () => {
  it('names a digest with the secret: stable, different per digest and per secret, never the digest', () => {
    expect(codec.name('digest-1')).toBe(NAME);
    expect(codec.name('digest-2')).not.toBe(NAME);
    expect(new EntryCodec(`${SECRET}x`).name('digest-1')).not.toBe(NAME);
    expect(NAME).toBe(createHmac('sha256', SECRET).update('keyguard-name\0digest-1').digest('base64url'));
  });
});

describe('EntryCodec encode', () => {
  it('puts r, then k, first in the JSON, then the time, the expiry and the answer', () => {
    const value = codec.encode(NAME, ANSWER, 1_000, 5_000, 4_000);
    const json = value.slice(value.indexOf('.') + 1);
    expect(json.startsWith('{"r":4000,"k":"key_1",')).toBe(true);
    expect(JSON.parse(json)).toEqual({ r: 4_000, k: 'key_1', t: 5_000, x: 6_000, a: ANSWER });
    expect(value).toBe(signed(NAME, json));
  });

  it('takes the key id from key.id first, then keyId, and leaves k out without either', () => {
    const keyOnly = { valid: true, key: { id: 'key_a' }, keyId: 'key_b' } as unknown as ProviderAnswer;
    const idOnly = { valid: true, keyId: 'key_b' } as unknown as ProviderAnswer;
    const none = { valid: false, code: 'NOT_FOUND' } as unknown as ProviderAnswer;
    const payload = (answer: ProviderAnswer | undefined) => {
      const value = codec.encode(NAME, answer, 10, 0, 0);
      return JSON.parse(value.slice(value.indexOf('.') + 1)) as Record<string, unknown>;
    };
    expect(payload(keyOnly).k).toBe('key_a');
    expect(payload(idOnly).k).toBe('key_b');
    expect('k' in payload(none)).toBe(false);
    expect(payload(undefined)).toEqual({ r: 0, t: 0, x: 10 });
  });
});

describe('EntryCodec decode', () => {
  it('answers what was encoded, obtainedAt never later than the reader’s now', () => {
    const value = codec.encode(NAME, ANSWER, 1_000, 5_000, 4_000);
    expect(codec.decode(NAME, value, 5_500)).toEqual({
      kind: 'answer',
      answer: ANSWER,
      obtainedAt: 5_000,
      askedAt: 4_000,
    });
    // The reader's clock behind the writer's: the answer is not taken for younger than it can be.
    expect(codec.decode(NAME, value, 4_500)).toMatchObject({ obtainedAt: 4_500 });
  });

  it('is a metered mark without an answer', () => {
    expect(codec.decode(NAME, codec.encode(NAME, undefined, 1_000, 0, 0), 10)).toEqual({ kind: 'metered' });
  });

  it('refuses an entry at and past its signed expiry, and serves it one ms before', () => {
    const value = codec.encode(NAME, ANSWER, 1_000, 5_000, 4_000);
    expect(codec.decode(NAME, value, 5_999)).toBeDefined();
    expect(codec.decode(NAME, value, 6_000)).toBeUndefined();
    expect(codec.decode(NAME, value, 6_001)).toBeUndefined();
  });

  it('refuses another name, another secret, a changed byte, and values that are no entry', () => {
    const value = codec.encode(NAME, ANSWER, 1_000, 5_000, 4_000);
    expect(codec.decode(codec.name('digest-2'), value, 5_000)).toBeUndefined();
    expect(new EntryCodec(`${SECRET}x`).decode(NAME, value, 5_000)).toBeUndefined();
    expect(codec.decode(NAME, value.replace('"valid":true', '"valid":fals'), 5_000)).toBeUndefined();
    expect(codec.decode(NAME, `x${value}`, 5_000)).toBeUndefined();
    expect(codec.decode(NAME, value.slice(1), 5_000)).toBeUndefined();
    for (const junk of ['', '.', `.${value}`, 'no-dot-at-all', value.slice(0, value.indexOf('.'))])
      expect(codec.decode(NAME, junk, 5_000)).toBeUndefined();
  });

  it('refuses a signed payload that is not JSON, or lacks a numeric expiry or ask time', () => {
    expect(codec.decode(NAME, signed(NAME, '{not json'), 0)).toBeUndefined();
    expect(codec.decode(NAME, signed(NAME, '{"r":1,"t":0}'), 0)).toBeUndefined();
    expect(codec.decode(NAME, signed(NAME, '{"r":1,"t":0,"x":"99"}'), 0)).toBeUndefined();
    expect(codec.decode(NAME, signed(NAME, '{"t":0,"x":99}'), 0)).toBeUndefined();
    expect(codec.decode(NAME, signed(NAME, '{"r":"1","t":0,"x":99}'), 0)).toBeUndefined();
    expect(codec.decode(NAME, signed(NAME, '{"r":1,"t":0,"x":99}'), 0)).toEqual({ kind: 'metered' });
  });

  it('finds the MAC before the first dot only: a dot inside the JSON is part of it', () => {
    const answer = { valid: true, keyId: 'key.with.dots', meta: { note: 'a.b' } } as unknown as ProviderAnswer;
    const value = codec.encode(NAME, answer, 1_000, 0, 0);
    expect(codec.decode(NAME, value, 1)).toMatchObject({ kind: 'answer', answer });
  });
});
