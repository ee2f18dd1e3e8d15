import { badRequest } from '../../api-error.js';
import { json, object, optional } from '../../validation/schema.js';
import { apiKeyObject, isValid } from '../api-key-object.js';
import { claims, description, expirationFrom, scopes, secondsUntilExpiration, subject } from '../fields.js';
import { findApiKey } from '../find-api-key.js';
import { assertNameFree } from '../name-rule.js';
import { defineClerkOperation } from '../operation.js';
import { clerkApiKeyTarget } from '../../audit/targets/clerk.js';

/** Partial update: an omitted field stays; `seconds_until_expiration` counts from now (null: never expires). */
export const updateApiKey = defineClerkOperation({
  method: 'PATCH',
  path: '/api_keys/:id',
  query: object({}),
  body: object({
    claims: optional(claims()),
    scopes: optional(scopes()),
    description: optional(description()),
    subject: optional(subject()),
    seconds_until_expiration: optional(secondsUntilExpiration()),
    // Read only to answer with a precise message: a key's name is fixed at creation.
    name: optional(json()),
  }),
  optionalBody: true,
  audit: { action: 'clerk_api_key.update', target: clerkApiKeyTarget },
  handle({ store, workspaceId, now, logger }, { id, body }) {
    if (body.name !== undefined) {
      throw badRequest('The name of an API key cannot be changed after creation.', [
        {
          location: 'body.name',
          message: 'cannot be changed after creation',
          fix: 'create a new key with the new name',
          clerkCode: 'form_param_unknown',
        },
      ]);
    }
    return store.transaction(() => {
      const key = findApiKey(store, workspaceId, id);
      const expiration =
        body.seconds_until_expiration === undefined ? undefined : expirationFrom(body.seconds_until_expiration, now);
      const next = {
        ...key,
        subject: body.subject ?? key.subject,
        expiration: expiration === undefined ? key.expiration : expiration,
      };
      if ((body.subject !== undefined || expiration !== undefined) && isValid(next, now)) {
        assertNameFree(store, workspaceId, next.subject, key.name, now, key.id);
      }
      store.clerkApiKeys.update(
        key.id,
        { subject: body.subject, description: body.description, claims: body.claims, scopes: body.scopes, expiration },
        now,
      );
      logger.info('clerk api key updated', { id: key.id });
      return apiKeyObject(findApiKey(store, workspaceId, id), now);
    });
  },
});
