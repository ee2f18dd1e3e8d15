import { hashKey } from '../../crypto/hash.js';
import { ApiError } from '../../api-error.js';
import { object, required } from '../../validation/schema.js';
import { apiKeyObject, isValid } from '../api-key-object.js';
import { secret } from '../fields.js';
import { verificationAnswered } from '../../observability/verification-outcomes.js';
import { defineClerkOperation } from '../operation.js';

/** The APIKey (without its secret) for a valid secret, noting the use; one 404 for unknown, revoked and expired. */
export const verifyApiKey = defineClerkOperation({
  method: 'POST',
  path: '/api_keys/verify',
  query: object({}),
  body: object({ secret: required(secret()) }),
  handle({ store, workspaceId, now }, { body }) {
    return store.transaction(() => {
      const key = store.clerkApiKeys.findByHash(workspaceId, hashKey(body.secret));
      if (!key || !isValid(key, now)) {
        verificationAnswered(store, 'clerk', 'NOT_FOUND');
        throw new ApiError(404, 'KEY_NOT_FOUND', 'The API key is unknown, revoked or expired.', {
          clerkCode: 'resource_not_found',
        });
      }
      store.clerkApiKeys.touchLastUsed(key.id, now);
      verificationAnswered(store, 'clerk', 'VALID', { keyId: key.id });
      return apiKeyObject({ ...key, lastUsedAt: now }, now);
    });
  },
});
