import type { IncomingMessage } from 'node:http';
import { readKey, type KeySource } from '@keyguard/core';

const BEARER_ONLY: readonly KeySource[] = ['bearer'];

/** What the `Authorization` header of a request to the service holds. */
export type BearerReading =
  | { kind: 'token'; token: string }
  | { kind: 'missing' }
  /** Not `Bearer <b64token>` (another scheme, no token, characters outside RFC 6750's b64token, over 512). */
  | { kind: 'malformed' }
  /** Sent more than once: which one counts is not the server's guess to make. */
  | { kind: 'duplicated' };

/**
 * The credential of `Authorization: Bearer <token>` (RFC 6750 §2.1), read with core's `readKey`. Every header line
 * counts (`headersDistinct`): Node's `headers` keeps the first `Authorization` and drops the others, which would
 * hide a duplicate. A header with another scheme holds no bearer credential for `readKey`; for the services it is
 * malformed (Unkey answers a `Basic …` header with 400 malformed).
 */
export function readBearer(request: IncomingMessage): BearerReading {
  const headers = request.headersDistinct;
  const result = readKey(headers, { sources: BEARER_ONLY });
  if ('key' in result) return { kind: 'token', token: result.key };
  switch (result.failure) {
    case 'ambiguous':
      return { kind: 'duplicated' };
    case 'missing':
      return headers.authorization?.some((value) => value.trim() !== '') ? { kind: 'malformed' } : { kind: 'missing' };
    default:
      return { kind: 'malformed' };
  }
}
