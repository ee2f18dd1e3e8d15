import { ApiError, badRequest } from '../../../api-error.js';
import { hashKey } from '../../../crypto/hash.js';
import { verificationAnswered } from '../../../observability/verification-outcomes.js';
import { object, optional, string } from '../../../validation/schema.js';
import { defineMachineOperation } from '../../machine-auth/operation.js';
import { oauthAccessTokenObject } from '../access-token-object.js';
import { oauthAccessTokensOf } from '../access-token-repository.js';

const tokenText = () => string({ min: 1, max: 4096 });

/**
 * `POST /oauth_applications/access_tokens/verify` with the instance secret key: the token when valid; one 404 for
 * unknown, revoked and expired. `secret` is the deprecated name of `access_token` (Clerk's OpenAPI), still read.
 */
export const verifyOAuthAccessTokenOperation = defineMachineOperation({
  method: 'POST',
  path: '/oauth_applications/access_tokens/verify',
  accepts: 'instance',
  query: object({}),
  body: object({ access_token: optional(tokenText()), secret: optional(tokenText()) }),
  handle({ store, workspaceId, now }, { body }) {
    const presented = body.access_token ?? body.secret;
    if (presented === undefined) {
      throw badRequest('Send the access token to verify.', [
        { location: 'body.access_token', message: 'is required', fix: 'send {"access_token": "oat_…"}' },
      ]);
    }
    const token = oauthAccessTokensOf(store.db).findByHash(workspaceId, hashKey(presented));
    const answer = token && oauthAccessTokenObject(token, now);
    if (!answer || answer.revoked || answer.expired) {
      verificationAnswered(store, 'clerk', 'NOT_FOUND');
      throw new ApiError(404, 'KEY_NOT_FOUND', 'The OAuth access token is unknown, revoked or expired.', {
        clerkCode: 'resource_not_found',
      });
    }
    verificationAnswered(store, 'clerk', 'VALID');
    return answer;
  },
});
