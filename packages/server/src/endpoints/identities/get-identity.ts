import { requireAny } from '../../auth/permissions.js';
import { identityData } from '../../keys/key-response.js';
import { object, required } from '../../validation/schema.js';
import { defineEndpoint } from '../endpoint.js';
import { findIdentity, identityRef } from './find-identity.js';

/** `{identity}` (id or externalId) → the identity with its metadata and rate limits. */
export const getIdentity = defineEndpoint({
  operation: 'identities.getIdentity',
  body: object({ identity: required(identityRef()) }),
  handle({ store, rootKey }, body) {
    requireAny(rootKey, ['identity.*.read_identity']);
    const identity = findIdentity(store, rootKey.workspaceId, body.identity);
    return { data: identityData(store, identity.id) };
  },
});
