import { randomBytes } from 'node:crypto';
import { hashKey } from '../../crypto/hash.js';
import { generateKey } from '../../crypto/random.js';
import { nullable, object, optional, required } from '../../validation/schema.js';
import { apiKeyObject } from '../api-key-object.js';
import {
  apiKeyName,
  apiKeyType,
  claims,
  createdBy,
  description,
  expirationFrom,
  scopes,
  secondsUntilExpiration,
  subject,
} from '../fields.js';
import { findApiKey } from '../find-api-key.js';
import { assertNameFree } from '../name-rule.js';
import { defineClerkOperation } from '../operation.js';
import { clerkApiKeyTarget } from '../../audit/targets/clerk.js';

/** `ak_` + 32 hex characters, as Clerk's ids. */
const newApiKeyId = () => `ak_${randomBytes(16).toString('hex')}`;
/** `ak_` + base58 of 32 random bytes: never the shape of an id (mixed case, longer). */
const newSecret = () => generateKey(32, 'ak');

/**
 * Answers 201 Created. Clerk's published Backend API OpenAPI (github.com/clerk/openapi-specs, `bapi/*.yml`) lists 200
 * for createApiKey, but Clerk's Python SDK (`clerk-backend-api`, `api_keys.py`) accepts only 201 and `@clerk/backend`
 * any 2xx: 201 is the answer both official clients take.
 */
export const createApiKey = defineClerkOperation({
  method: 'POST',
  path: '/api_keys',
  status: 201,
  query: object({}),
  body: object({
    name: required(apiKeyName()),
    subject: required(subject()),
    type: optional(apiKeyType()),
    description: optional(description()),
    claims: optional(claims()),
    scopes: optional(scopes()),
    created_by: optional(nullable(createdBy())),
    seconds_until_expiration: optional(secondsUntilExpiration()),
  }),
  audit: { action: 'clerk_api_key.create', target: clerkApiKeyTarget },
  handle({ store, workspaceId, now, vault, logger }, { body }) {
    return store.transaction(() => {
      assertNameFree(store, workspaceId, body.subject, body.name, now);
      const id = newApiKeyId();
      const secret = newSecret();
      store.clerkApiKeys.insert({
        id,
        workspaceId,
        hash: hashKey(secret),
        encrypted: vault.encrypt(secret, id),
        type: body.type ?? 'api_key',
        subject: body.subject,
        name: body.name,
        description: body.description ?? null,
        claims: body.claims ?? null,
        scopes: body.scopes ?? [],
        createdBy: body.created_by ?? null,
        expiration: expirationFrom(body.seconds_until_expiration ?? null, now),
        createdAt: now,
      });
      logger.info('clerk api key created', { id, subject: body.subject });
      return apiKeyObject(findApiKey(store, workspaceId, id), now, secret);
    });
  },
});
