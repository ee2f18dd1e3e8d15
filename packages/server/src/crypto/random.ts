import { randomBytes } from 'node:crypto';
import { encodeBase58, encodeBase58Fixed } from './base58.js';

/** `prefix_` + base58 of `byteLength` random bytes (or just the base58 text without a prefix). */
export function generateKey(byteLength: number, prefix?: string): string {
  const body = encodeBase58(randomBytes(byteLength));
  return prefix ? `${prefix}_${body}` : body;
}

/** What is shown of a key after creation: the prefix and separator plus the first 4 characters of the random part. */
export function keyStart(key: string, prefix?: string): string {
  return key.slice(0, (prefix ? prefix.length + 1 : 0) + 4);
}

let lastMillis = 0;
let sequence = 0;

/**
 * A time-ordered id: `prefix_` + fixed-width base58 of 6 bytes of unix ms, 2 bytes of a per-millisecond sequence
 * and 8 random bytes. Ids made later (in this process) sort after earlier ones, so listing by id is creation order.
 */
export function newId(prefix: string, now = Date.now()): string {
  if (now <= lastMillis) {
    sequence++;
    if (sequence > 0xffff) {
      lastMillis++;
      sequence = 0;
    }
  } else {
    lastMillis = now;
    sequence = 0;
  }
  const bytes = Buffer.alloc(16);
  bytes.writeUIntBE(lastMillis, 0, 6);
  bytes.writeUInt16BE(sequence, 6);
  randomBytes(8).copy(bytes, 8);
  return `${prefix}_${encodeBase58Fixed(bytes)}`;
}

/** `req_` + 16 random base58 characters. */
export function newRequestId(): string {
  return `req_${encodeBase58(randomBytes(12)).slice(0, 16)}`;
}
