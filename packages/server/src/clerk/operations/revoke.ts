import { object, optional } from '../../validation/schema.js';
import { apiKeyObject } from '../api-key-object.js';
import { revocationReason } from '../fields.js';
import { findApiKey } from '../find-api-key.js';
import { defineClerkOperation } from '../operation.js';
import { clerkApiKeyTarget } from '../../audit/targets/clerk.js';

/** Revokes at once; revoking a revoked key changes nothing (its first reason stays) and answers it again. */
export const revokeApiKey = defineClerkOperation({
  method: 'POST',
  path: '/api_keys/:id/revoke',
  query: object({}),
  body: object({ revocation_reason: optional(revocationReason()) }),
  optionalBody: true,
  audit: { action: 'clerk_api_key.revoke', target: clerkApiKeyTarget },
  handle({ store, workspaceId, now, logger }, { id, body }) {
    return store.transaction(() => {
      const key = findApiKey(store, workspaceId, id);
      if (!key.revoked) {
        store.clerkApiKeys.revoke(key.id, body.revocation_reason ?? null, now);
        logger.info('clerk api key revoked', { id: key.id });
      }
      return apiKeyObject(findApiKey(store, workspaceId, id), now);
    });
  },
});
