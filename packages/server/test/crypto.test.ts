import { describe, expect, it } from 'vitest';
import { BASE58_ALPHABET, encodeBase58, encodeBase58Fixed } from '../src/crypto/base58.js';
import { KeyVault } from '../src/crypto/encryption.js';
import { hashKey } from '../src/crypto/hash.js';
import { generateKey, keyStart, newId, newRequestId } from '../src/crypto/random.js';

describe('base58', () => {
  it('encodes the usual test vectors', () => {
    expect(encodeBase58(new Uint8Array([]))).toBe('');
    expect(encodeBase58(Buffer.from('Hello World!'))).toBe('2NEpo7TZRRrLZSi2U');
    expect(encodeBase58(Buffer.from('The quick brown fox jumps over the lazy dog.'))).toBe(
      'USm3fpXnKG5EUBx2ndxBDMPVciP5hGey2Jh4NDv6gmeo1LkMeiKrLJUUBk6Z',
    );
    expect(encodeBase58(new Uint8Array([0, 0, 0x28, 0x7f, 0xb4, 0xcd]))).toBe('11233QC4');
  });

  it('has an alphabet in ascending ASCII order, so fixed-width encodings sort like numbers', () => {
    expect([...BASE58_ALPHABET].sort().join('')).toBe(BASE58_ALPHABET);
    const numbers = [0n, 1n, 57n, 58n, 1000n, 2n ** 64n, 2n ** 127n];
    const encoded = numbers.map((n) => encodeBase58Fixed(Buffer.from(n.toString(16).padStart(32, '0'), 'hex')));
    expect(new Set(encoded.map((text) => text.length)).size).toBe(1);
    expect([...encoded].sort()).toEqual(encoded);
  });
});

describe('keys and ids', () => {
  it('generates prefixed base58 keys with a start of prefix + 4 characters', () => {
    const key = generateKey(16, 'sk');
    expect(key).toMatch(/^sk_[1-9A-HJ-NP-Za-km-z]{20,22}$/);
    expect(keyStart(key, 'sk')).toBe(key.slice(0, 7));
    expect(keyStart('abcdefgh')).toBe('abcd');
  });

  it('makes ids that sort in creation order', () => {
    const ids = Array.from({ length: 200 }, () => newId('key'));
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(200);
    expect(newRequestId()).toMatch(/^req_[1-9A-HJ-NP-Za-km-z]{16}$/);
  });

  it('hashes keys as base64(sha256)', () => {
    expect(hashKey('abc')).toBe('ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=');
  });
});

describe('KeyVault', () => {
  it('round-trips, and refuses another secret or another row', () => {
    const vault = new KeyVault('server secret');
    const sealed = vault.encrypt('sk_plaintext', 'key_1');
    expect(sealed).not.toContain('sk_plaintext');
    expect(vault.decrypt(sealed, 'key_1')).toBe('sk_plaintext');
    expect(vault.decrypt(sealed, 'key_2')).toBeUndefined();
    expect(new KeyVault('other').decrypt(sealed, 'key_1')).toBeUndefined();
    expect(vault.decrypt('garbage', 'key_1')).toBeUndefined();
  });
});
