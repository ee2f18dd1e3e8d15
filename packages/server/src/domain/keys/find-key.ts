import { type ApiAction, requireOnApi, requireOnSomeApi } from '../permissions/root-key-permissions.js';
import { notFound } from '../../api-error.js';
import type { Store } from '../../store/store.js';
import type { KeyRecord, RootKeyRecord } from '../../store/types.js';

/**
 * The live key `keyId` of the root key's workspace, after checking that the root key may do `action` on its API:
 * 403 when it may do it on no API at all, 404 when the key does not exist, 403 when its API is not covered.
 */
export function findKeyFor(store: Store, rootKey: RootKeyRecord, keyId: string, action: ApiAction): KeyRecord {
  requireOnSomeApi(rootKey, action);
  const key = store.keys.get(rootKey.workspaceId, keyId);
  if (!key) throw notFound('KEY_NOT_FOUND', 'The key does not exist or was deleted.');
  requireOnApi(rootKey, action, key.apiId);
  return key;
}
