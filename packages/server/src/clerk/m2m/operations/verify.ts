import { ApiError } from '../../../api-error.js';
import { hashKey } from '../../../crypto/hash.js';
import { verificationAnswered } from '../../../observability/verification-outcomes.js';
import { object, required } from '../../../validation/schema.js';
import type { MachineCaller } from '../../machine-auth/caller.js';
import { defineMachineOperation } from '../../machine-auth/operation.js';
import { tokenText } from '../fields.js';
import { looksLikeJwt } from '../jwt.js';
import { isTokenExpired, m2mTokenObject, type M2MTokenObject } from '../token-object.js';
import { m2mTokensOf } from '../token-store.js';
import { verifyM2MJwt } from '../verify-jwt-token.js';

/** A machine secret key verifies only tokens granted to its machine; the instance secret key any of the instance. */
const grantedTo = (caller: MachineCaller, scopes: readonly string[]): boolean =>
  caller.kind === 'instance' || scopes.includes(caller.machine.id);

/**
 * The token (without its secret) when it is valid and granted to the caller, noting the use of an opaque one. One
 * 404 for unknown, revoked, expired and not granted: the answer does not tell them apart. JWTs are checked here too
 * (signature with the workspace's keys, expiry), though `@clerk/backend` verifies them itself without a request.
 */
export const verifyM2MTokenOperation = defineMachineOperation({
  method: 'POST',
  path: '/m2m_tokens/verify',
  accepts: 'either',
  query: object({}),
  body: object({ token: required(tokenText()) }),
  handle({ store, workspaceId, now, caller }, { body }) {
    return store.transaction((): M2MTokenObject => {
      if (looksLikeJwt(body.token)) {
        const verified = verifyM2MJwt(store, workspaceId, body.token, now);
        if (verified && grantedTo(caller, verified.scopes)) return answered(store, verified);
      } else {
        const tokens = m2mTokensOf(store);
        const token = tokens.findByHash(workspaceId, hashKey(body.token));
        if (token && !token.revoked && !isTokenExpired(token.expiration, now) && grantedTo(caller, token.scopes)) {
          tokens.touchLastUsed(token.id, now);
          return answered(store, m2mTokenObject({ ...token, lastUsedAt: now }, now));
        }
      }
      verificationAnswered(store, 'clerk', 'NOT_FOUND');
      throw new ApiError(
        404,
        'KEY_NOT_FOUND',
        'The M2M token is unknown, revoked, expired or not granted to this machine.',
        {
          clerkCode: 'resource_not_found',
        },
      );
    });
  },
});

function answered(store: Parameters<typeof verificationAnswered>[0], token: M2MTokenObject): M2MTokenObject {
  verificationAnswered(store, 'clerk', 'VALID');
  return token;
}
