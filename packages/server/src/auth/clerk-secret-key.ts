import type { IncomingMessage } from 'node:http';
import { hashKey } from '../crypto/hash.js';
import { ApiError } from '../http/errors.js';
import type { Store } from '../store/store.js';
import { bearerToken } from './bearer.js';

/**
 * The workspace of the Clerk-style secret key (`Authorization: Bearer sk_test_…`) of a `/v1` request. Missing,
 * malformed and unknown keys are all 401, as Clerk answers; messages never repeat the header's value.
 */
export function authenticateClerk(request: IncomingMessage, store: Store): string {
  const bearer = bearerToken(request);
  if (bearer.kind === 'missing') {
    throw new ApiError(401, 'AUTHORIZATION_MISSING', 'The Authorization header is missing; send "Bearer <secret key>".', {
      clerkCode: 'authorization_invalid',
    });
  }
  if (bearer.kind === 'malformed') {
    throw new ApiError(401, 'AUTHORIZATION_MALFORMED', 'The Authorization header is malformed; expected "Bearer <secret key>".', {
      clerkCode: 'authorization_header_format_invalid',
    });
  }
  const workspaceId = store.clerkSecretKeys.workspaceOf(hashKey(bearer.token));
  if (workspaceId === undefined) {
    throw new ApiError(401, 'CREDENTIAL_NOT_FOUND', 'The provided secret key is invalid. Make sure that your secret key is correct.', {
      clerkCode: 'clerk_key_invalid',
    });
  }
  return workspaceId;
}
