import type { IncomingMessage } from 'node:http';
import { hashKey } from '../crypto/hash.js';
import { ApiError } from '../api-error.js';
import type { Store } from '../store/store.js';
import { readBearer } from '../http/bearer.js';

/**
 * The workspace of the Clerk-style secret key (`Authorization: Bearer sk_test_…`) of a Clerk route. Missing,
 * malformed and unknown keys are 401, as Clerk answers; a repeated header is a bad request (400). Messages never
 * repeat the header's value.
 */
export function authenticateClerkSecretKey(request: IncomingMessage, store: Store): string {
  const bearer = readBearer(request);
  switch (bearer.kind) {
    case 'missing':
      throw new ApiError(
        401,
        'AUTHORIZATION_MISSING',
        'The Authorization header is missing; send "Bearer <secret key>".',
        {
          clerkCode: 'authorization_invalid',
        },
      );
    case 'malformed':
      throw new ApiError(
        401,
        'AUTHORIZATION_MALFORMED',
        'The Authorization header is malformed; expected "Bearer <secret key>".',
        {
          clerkCode: 'authorization_header_format_invalid',
        },
      );
    case 'duplicated':
      throw new ApiError(
        400,
        'AUTHORIZATION_MALFORMED',
        'The Authorization header was sent more than once; send it once.',
        {
          clerkCode: 'authorization_header_format_invalid',
        },
      );
  }
  const workspaceId = store.clerkSecretKeys.workspaceOf(hashKey(bearer.token));
  if (workspaceId === undefined) {
    throw new ApiError(
      401,
      'CREDENTIAL_NOT_FOUND',
      'The provided secret key is invalid. Make sure that your secret key is correct.',
      {
        clerkCode: 'clerk_key_invalid',
      },
    );
  }
  return workspaceId;
}
