import { object } from '../../../validation/schema.js';
import { defineMachineOperation } from '../../machine-auth/operation.js';
import { publicJwks, signingKey } from '../signing-key.js';

/**
 * `GET /v1/jwks` with the instance secret key (where `@clerk/backend` loads the keys of `verifyToken`): the
 * workspace's public keys, its signing key made on first call so that the set is never empty.
 */
export const jwksOperation = defineMachineOperation({
  method: 'GET',
  path: '/jwks',
  accepts: 'instance',
  query: object({}),
  handle({ store, vault, workspaceId, now }) {
    signingKey(store, vault, workspaceId, now);
    return { keys: publicJwks(store, workspaceId) };
  },
});
