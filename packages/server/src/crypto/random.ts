import { randomBytes, randomFillSync } from 'node:crypto';
import { BASE58_ALPHABET, encodeBase58, encodeBase58Fixed } from './base58.js';

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

const pool = Buffer.alloc(4096);
let poolOffset = pool.length;

/** A random byte from a pool filled 4 KiB at a time: one request id must not cost a call into the CSPRNG. */
function randomByte(): number {
  if (poolOffset === pool.length) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  return pool[poolOffset++] as number;
}

/** `req_` + 16 random base58 characters (uniform: bytes of 232 and above, 4 × 58, are drawn again). */
export function newRequestId(): string {
  let id = 'req_';
  while (id.length < 20) {
    const byte = randomByte();
    if (byte < 232) id += BASE58_ALPHABET[byte % 58];
  }
  return id;
}
