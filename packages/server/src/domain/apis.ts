import { type ApiAction, requireOnApi } from './permissions/root-key-permissions.js';
import { notFound } from '../api-error.js';
import type { Store } from '../store/store.js';
import type { ApiRecord, RootKeyRecord } from '../store/types.js';

/** The live API `apiId` after checking the root key may do each of `actions` on it (403), else 404. */
export function findApiFor(
  store: Store,
  rootKey: RootKeyRecord,
  apiId: string,
  actions: readonly ApiAction[],
): ApiRecord {
  for (const action of actions) requireOnApi(rootKey, action, apiId);
  const api = store.apis.get(rootKey.workspaceId, apiId);
  if (!api) throw notFound('API_NOT_FOUND', 'The API does not exist or was deleted.');
  return api;
}
