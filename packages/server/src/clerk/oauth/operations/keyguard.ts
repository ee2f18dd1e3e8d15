import { ApiError } from '../../../api-error.js';
import { array, nullable, number, object, optional, required, string } from '../../../validation/schema.js';
import { defineMachineOperation } from '../../machine-auth/operation.js';
import { oauthAccessTokenObject } from '../access-token-object.js';
import { oauthAccessTokensOf } from '../access-token-repository.js';
import { createOAuthAccessToken } from '../issue-access-token.js';
import { oauthAccessTokenTarget } from '../../../audit/targets/machine-auth.js';

/**
 * keyguard's own `POST /v1/keyguard/oauth_access_tokens` (not Clerk's: Clerk mints access tokens in its OAuth flows
 * only), with the instance secret key, so that a test can get a token to verify. 201 with the token in `token`.
 */
export const createOAuthAccessTokenOperation = defineMachineOperation({
  method: 'POST',
  path: '/keyguard/oauth_access_tokens',
  status: 201,
  accepts: 'instance',
  query: object({}),
  body: object({
    subject: required(string({ min: 6, max: 255, pattern: /^user_[A-Za-z0-9_-]+$/, patternText: 'use a user_… id' })),
    client_id: optional(string({ min: 1, max: 255 })),
    scopes: optional(
      array(string({ min: 1, max: 255, pattern: /^\S+$/, patternText: 'no whitespace in a scope' }), { max: 100 }),
    ),
    seconds_until_expiration: optional(nullable(number({ greaterThan: 0, max: 3_153_600_000 }))),
  }),
  audit: { action: 'clerk_oauth_access_token.create', target: oauthAccessTokenTarget },
  handle({ store, workspaceId, now, logger }, { body }) {
    const { token, secret } = createOAuthAccessToken(store, workspaceId, now, {
      subject: body.subject,
      clientId: body.client_id,
      scopes: body.scopes,
      secondsUntilExpiration: body.seconds_until_expiration,
    });
    logger.info('oauth access token created', { id: token.id, subject: token.subject });
    return { ...oauthAccessTokenObject(token, now), token: secret };
  },
});

/** keyguard's own `POST /v1/keyguard/oauth_access_tokens/{id}/revoke` (Clerk revokes them in its OAuth flows). */
export const revokeOAuthAccessTokenOperation = defineMachineOperation({
  method: 'POST',
  path: '/keyguard/oauth_access_tokens/:id/revoke',
  accepts: 'instance',
  query: object({}),
  body: object({ revocation_reason: optional(nullable(string({ max: 255 }))) }),
  optionalBody: true,
  audit: { action: 'clerk_oauth_access_token.revoke', target: oauthAccessTokenTarget },
  handle({ store, workspaceId, now, logger }, { id, body }) {
    if (!oauthAccessTokensOf(store.db).revoke(workspaceId, id, body.revocation_reason ?? null, now)) {
      throw new ApiError(404, 'KEY_NOT_FOUND', 'No live OAuth access token was found with this id.', {
        clerkCode: 'resource_not_found',
      });
    }
    logger.info('oauth access token revoked', { id });
    return { id, object: 'clerk_idp_oauth_access_token', revoked: true };
  },
});
