import { hash } from 'node:crypto';

/**
 * How keys and root keys are stored and looked up: base64(sha256(key)). `crypto.hash` (Node 20.12 and later) is the
 * one-shot form: no Hash object per call, which made up most of the cost of hashing a key twice per verification.
 */
export function hashKey(key: string): string {
  return hash('sha256', key, 'base64');
}
