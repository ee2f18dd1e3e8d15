import { requireOnApi } from '../../auth/permissions.js';
import { applyRefill } from '../../credits/apply-refill.js';
import { findKeyFor } from '../../keys/find-key.js';
import { keyResponse } from '../../keys/key-response.js';
import { keyId } from '../../validation/rules.js';
import { boolean, object, optional, required } from '../../validation/schema.js';
import { defineEndpoint } from '../endpoint.js';

export const getKey = defineEndpoint({
  operation: 'keys.getKey',
  body: object({ keyId: required(keyId()), decrypt: optional(boolean()) }),
  handle({ store, rootKey, vault, now }, body) {
    return store.transaction(() => {
      const key = applyRefill(store, findKeyFor(store, rootKey, body.keyId, 'read_key'), now);
      if (body.decrypt) requireOnApi(rootKey, 'decrypt_key', key.apiId);
      return { data: keyResponse(store, key, body.decrypt ? { vault } : {}) };
    });
  },
});
