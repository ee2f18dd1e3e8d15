import { requireAny } from '../../../domain/permissions/root-key-permissions.js';
import { identityData } from '../../../domain/keys/key-response.js';
import { object, required } from '../../../validation/schema.js';
import { defineUnkeyOperation } from '../../operation.js';
import { findIdentity, identityRef } from '../../../domain/identities.js';

/** `{identity}` (id or externalId) → the identity with its metadata and rate limits. */
export const getIdentity = defineUnkeyOperation({
  method: 'POST',
  path: '/v2/identities.getIdentity',
  body: object({ identity: required(identityRef()) }),
  handle({ store, rootKey }, { body }) {
    requireAny(rootKey, ['identity.*.read_identity']);
    const identity = findIdentity(store, rootKey.workspaceId, body.identity);
    return { data: identityData(store, identity.id) };
  },
});
