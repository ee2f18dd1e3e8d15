import { object } from '../../validation/schema.js';
import { findApiKey } from '../find-api-key.js';
import { defineClerkOperation } from '../operation.js';
import { clerkApiKeyTarget } from '../../audit/targets/clerk.js';

export const deleteApiKey = defineClerkOperation({
  method: 'DELETE',
  path: '/api_keys/:id',
  query: object({}),
  audit: { action: 'clerk_api_key.delete', target: clerkApiKeyTarget },
  handle({ store, workspaceId, logger }, { id }) {
    return store.transaction(() => {
      const key = findApiKey(store, workspaceId, id);
      store.clerkApiKeys.delete(key.id);
      logger.info('clerk api key deleted', { id: key.id });
      return { id: key.id, object: 'api_key', deleted: true };
    });
  },
});
