import { hashKey } from '../crypto/hash.js';
import { generateKey, keyStart } from '../crypto/random.js';
import type { Store } from '../store/store.js';

/** Also the length of `sk_live`, so `keyStart` shows `sk_xxxx_` + 4 characters of either. */
const GENERATED_PREFIX = 'sk_test';
const SECRET_KEY_PATTERN = /^sk_(test|live)_[A-Za-z0-9_-]{16,256}$/;

/** Whether `secretKey` looks like a Clerk instance secret key: `sk_test_` or `sk_live_` and 16..256 of [A-Za-z0-9_-]. */
export const isUsableClerkSecretKey = (secretKey: string): boolean => SECRET_KEY_PATTERN.test(secretKey);

/** Stores a Clerk secret key (the given one, or a new `sk_test_…`) by hash; returns the plaintext (shown once). */
export function issueClerkSecretKey(store: Store, workspaceId: string, now: number, plaintext?: string): string {
  const key = plaintext ?? generateKey(24, GENERATED_PREFIX);
  store.clerkSecretKeys.create(workspaceId, hashKey(key), keyStart(key, GENERATED_PREFIX), now);
  return key;
}

/**
 * Makes sure the workspace has a Clerk secret key: stores the given one when it is new, or generates one when the
 * workspace has none. Answers the generated key only (to be shown once). Idempotent; call it in a transaction.
 */
export function ensureClerkSecretKey(
  store: Store,
  workspaceId: string,
  now: number,
  given?: string,
): string | undefined {
  if (given !== undefined) {
    if (store.clerkSecretKeys.workspaceOf(hashKey(given)) === undefined)
      issueClerkSecretKey(store, workspaceId, now, given);
    return undefined;
  }
  if (store.clerkSecretKeys.countInWorkspace(workspaceId) > 0) return undefined;
  return issueClerkSecretKey(store, workspaceId, now);
}
