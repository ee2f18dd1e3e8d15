import { ALL_ROOT_PERMISSIONS } from '../domain/permissions/root-key-permissions.js';
import { ensureClerkSecretKey } from '../clerk/secret-key.js';
import { hashKey } from '../crypto/hash.js';
import { generateKey, keyStart } from '../crypto/random.js';
import type { Store } from '../store/store.js';
import type { Bootstrap } from './options.js';

const ROOT_KEY_PREFIX = 'kgroot';
const ROOT_KEY_PATTERN = /^[A-Za-z0-9\-._~+/]{16,512}$/;

/** Whether `rootKey` can be used as a bearer credential (16..512 characters of the b64token charset, no padding). */
export const isUsableRootKey = (rootKey: string): boolean => ROOT_KEY_PATTERN.test(rootKey);

/** Stores a root key for the workspace with these permissions; returns its id and plaintext (shown once). */
export function issueRootKey(
  store: Store,
  workspaceId: string,
  permissions: readonly string[],
  now: number,
  options: { plaintext?: string; name?: string } = {},
): { id: string; key: string } {
  const { plaintext, name } = options;
  const key = plaintext ?? generateKey(24, ROOT_KEY_PREFIX);
  const start = plaintext ? key.slice(0, 4) : keyStart(key, ROOT_KEY_PREFIX);
  const id = store.rootKeys.create(workspaceId, hashKey(key), start, permissions, now, name);
  return { id, key };
}

/**
 * Creates the workspace on first use, then makes sure a root key exists: the given one (stored by hash with every
 * permission if it is new), or a generated one when the workspace has none; and the same for the Clerk secret key
 * of `/v1/api_keys`. Generated keys are returned (once). Idempotent.
 */
export function bootstrapStore(
  store: Store,
  now: number,
  given: { rootKey?: string; clerkSecretKey?: string } = {},
): Bootstrap {
  return store.transaction(() => {
    const workspace = store.workspaces.first() ?? store.workspaces.create('default', now);
    const clerkSecretKey = ensureClerkSecretKey(store, workspace.id, now, given.clerkSecretKey);
    const result: Bootstrap = { workspaceId: workspace.id, ...(clerkSecretKey ? { clerkSecretKey } : {}) };
    const { rootKey } = given;
    if (rootKey !== undefined) {
      const existing = store.rootKeys.findByHash(hashKey(rootKey));
      if (!existing) issueRootKey(store, workspace.id, ALL_ROOT_PERMISSIONS, now, { plaintext: rootKey });
      else if (existing.workspaceId === workspace.id) store.rootKeys.grant(existing.id, ALL_ROOT_PERMISSIONS);
      return result;
    }
    if (store.rootKeys.countInWorkspace(workspace.id) > 0) return result;
    return { ...result, rootKey: issueRootKey(store, workspace.id, ALL_ROOT_PERMISSIONS, now).key };
  });
}
