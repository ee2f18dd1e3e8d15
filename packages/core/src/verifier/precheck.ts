import { B64TOKEN, MAX_KEY_LENGTH } from '../reading/read-key.js';

/**
 * Checks a key can be real before any network call: length 1..`maxLength` (512 unless the provider says), the
 * b64token charset, and the expected prefix when one is configured. A key failing them costs nothing upstream.
 */
export function passesPrecheck(key: string, keyPrefix: string | undefined, maxLength = MAX_KEY_LENGTH): boolean {
  if (typeof key !== 'string' || key.length === 0 || key.length > maxLength) return false;
  if (keyPrefix !== undefined && !key.startsWith(keyPrefix)) return false;
  return B64TOKEN.test(key);
}
