import type { IncomingMessage } from 'node:http';
import { hashKey } from '../crypto/hash.js';
import { ApiError } from '../http/errors.js';
import type { Store } from '../store/store.js';
import type { RootKeyRecord } from '../store/types.js';
import { bearerToken } from './bearer.js';

/**
 * The root key of a request. Missing or malformed `Authorization` is 400 (as Unkey answers), an unknown root key
 * 401. Messages never repeat the header's value.
 */
export function authenticate(request: IncomingMessage, store: Store): RootKeyRecord {
  const bearer = bearerToken(request);
  if (bearer.kind === 'missing') {
    throw new ApiError(400, 'AUTHORIZATION_MISSING', 'The Authorization header is missing.', {
      issues: [{ location: 'header.Authorization', message: 'is required', fix: 'send Authorization: Bearer <root key>' }],
    });
  }
  if (bearer.kind === 'malformed') {
    throw new ApiError(400, 'AUTHORIZATION_MALFORMED', 'The Authorization header is malformed; expected "Bearer <root key>".', {
      issues: [{ location: 'header.Authorization', message: 'must be "Bearer <root key>"', fix: 'send Authorization: Bearer <root key>' }],
    });
  }
  const rootKey = store.rootKeys.findByHash(hashKey(bearer.token));
  if (!rootKey) throw new ApiError(401, 'CREDENTIAL_NOT_FOUND', 'The root key is unknown or was revoked.');
  return rootKey;
}
