import { ApiError } from '../../api-error.js';
import { object } from '../../validation/schema.js';
import { findApiKey } from '../find-api-key.js';
import { defineClerkOperation } from '../operation.js';

/** `{secret}`, opened from the sealed copy. A copy sealed under another server `secret` cannot be opened: 422. */
export const getApiKeySecret = defineClerkOperation({
  method: 'GET',
  path: '/api_keys/:id/secret',
  query: object({}),
  handle({ store, workspaceId, vault }, { id }) {
    const key = findApiKey(store, workspaceId, id);
    const secret = vault.decrypt(key.encrypted, key.id);
    if (secret === undefined) {
      throw new ApiError(
        422,
        'PRECONDITION_FAILED',
        'The secret of this API key was sealed with another server secret and cannot be shown.',
        {
          clerkCode: 'api_key_secret_unavailable',
        },
      );
    }
    return { secret };
  },
});
