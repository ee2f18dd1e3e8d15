import type { IncomingMessage } from 'node:http';
import { hashKey } from '../crypto/hash.js';
import { ApiError } from '../api-error.js';
import type { Store } from '../store/store.js';
import type { RootKeyRecord } from '../store/types.js';
import { readBearer } from '../http/bearer.js';

const FIX = 'send one Authorization: Bearer <root key> header';

/**
 * The root key of a `/v2` request. A missing, malformed or repeated `Authorization` header is 400 (as Unkey
 * answers), an unknown root key 401. Messages never repeat the header's value.
 */
export function authenticateRootKey(request: IncomingMessage, store: Store): RootKeyRecord {
  const bearer = readBearer(request);
  switch (bearer.kind) {
    case 'missing':
      throw new ApiError(400, 'AUTHORIZATION_MISSING', 'The Authorization header is missing.', {
        issues: [{ location: 'header.Authorization', message: 'is required', fix: FIX }],
      });
    case 'malformed':
      throw new ApiError(
        400,
        'AUTHORIZATION_MALFORMED',
        'The Authorization header is malformed; expected "Bearer <root key>".',
        {
          issues: [{ location: 'header.Authorization', message: 'must be "Bearer <root key>"', fix: FIX }],
        },
      );
    case 'duplicated':
      throw new ApiError(400, 'AUTHORIZATION_MALFORMED', 'The Authorization header was sent more than once.', {
        issues: [{ location: 'header.Authorization', message: 'must be sent once', fix: FIX }],
      });
  }
  const rootKey = store.rootKeys.findByHash(hashKey(bearer.token));
  if (!rootKey) throw new ApiError(401, 'CREDENTIAL_NOT_FOUND', 'The root key is unknown or was revoked.');
  return rootKey;
}
