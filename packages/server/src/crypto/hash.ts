import { createHash } from 'node:crypto';

/** How keys and root keys are stored and looked up: base64(sha256(key)). */
export function hashKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('base64');
}
