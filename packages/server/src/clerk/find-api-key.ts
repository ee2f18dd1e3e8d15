import { ApiError } from '../api-error.js';
import type { Store } from '../store/store.js';
import type { ClerkApiKeyRecord } from '../store/types.js';

const apiKeyNotFound = () =>
  new ApiError(404, 'KEY_NOT_FOUND', 'No API key was found with this id.', { clerkCode: 'resource_not_found' });

/** The workspace's API key with this id, or a 404 (which does not repeat the id). */
export function findApiKey(store: Store, workspaceId: string, id: string): ClerkApiKeyRecord {
  const key = store.clerkApiKeys.get(workspaceId, id);
  if (!key) throw apiKeyNotFound();
  return key;
}
