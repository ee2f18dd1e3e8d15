import { requireAny } from '../../../domain/permissions/root-key-permissions.js';
import { object, required } from '../../../validation/schema.js';
import { defineUnkeyOperation } from '../../operation.js';
import { findIdentity, identityRef } from '../../../domain/identities.js';
import { identityTarget } from '../../../audit/targets/resources.js';

/**
 * Deletes the identity and its shared rate limits; its keys stay, without an identity. Unkey answers `{meta}` alone
 * here (no `data`), and so does this.
 */
export const deleteIdentity = defineUnkeyOperation({
  method: 'POST',
  path: '/v2/identities.deleteIdentity',
  body: object({ identity: required(identityRef()) }),
  audit: { action: 'identity.delete', target: ({ body }) => identityTarget(body.identity) },
  handle({ store, rootKey, logger }, { body }) {
    requireAny(rootKey, ['identity.*.delete_identity']);
    return store.transaction(() => {
      const identity = findIdentity(store, rootKey.workspaceId, body.identity);
      store.identities.delete(identity.id);
      logger.info('identity deleted', { identityId: identity.id });
      return { data: undefined };
    });
  },
});
