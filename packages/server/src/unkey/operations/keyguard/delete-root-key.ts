import { badRequest, notFound } from '../../../api-error.js';
import { object, required, string } from '../../../validation/schema.js';
import { defineUnkeyOperation } from '../../operation.js';
import { requireRootKeyPermission } from './root-key-access.js';
import { rootKeyTarget } from '../../../audit/targets/resources.js';

/** keyguard's own: revokes a root key of the workspace; it stops authenticating at once. */
export const deleteRootKey = defineUnkeyOperation({
  method: 'POST',
  path: '/v2/keyguard.deleteRootKey',
  body: object({ rootKeyId: required(string({ min: 3, max: 255 })) }),
  audit: { action: 'root_key.delete', target: ({ body }) => rootKeyTarget(body.rootKeyId) },
  handle({ store, rootKey, now, logger }, { body }) {
    requireRootKeyPermission(rootKey, 'delete');
    // Deleting the key that asks would lock the caller out mid-request; another root key can do it.
    if (body.rootKeyId === rootKey.id)
      throw badRequest('A root key cannot delete itself; delete it with another root key.');
    if (!store.rootKeys.softDelete(rootKey.workspaceId, body.rootKeyId, now))
      throw notFound('KEY_NOT_FOUND', 'The root key does not exist or was deleted.');
    logger.info('root key deleted', { rootKeyId: body.rootKeyId });
    return { data: {} };
  },
});
