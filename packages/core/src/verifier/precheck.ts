import { B64TOKEN, MAX_KEY_LENGTH } from '../reading/read-key.js';

/**
 * Checks a key can be real before any network call: length 1..512, the b64token charset, and the expected
 * prefix when one is configured. A key failing them costs nothing upstream.
 */
export function passesPrecheck(key: string, keyPrefix: string | undefined): boolean {
  if (typeof key !== 'string' || key.length === 0 || key.length > MAX_KEY_LENGTH) return false;
  if (keyPrefix !== undefined && !key.startsWith(keyPrefix)) return false;
  return B64TOKEN.test(key);
}
