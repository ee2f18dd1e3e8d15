import { checkGrantable } from '../../../domain/root-keys/grantable.js';
import { issueRootKey } from '../../../key-server/bootstrap.js';
import { array, object, optional, required, string } from '../../../validation/schema.js';
import { defineUnkeyOperation } from '../../operation.js';
import { requireRootKeyPermission } from './root-key-access.js';
import { createdId } from '../../../audit/targets/target.js';
import { rootKeyTarget } from '../../../audit/targets/resources.js';

/**
 * keyguard's own: a root key with exactly these permissions, e.g. `api.<apiId>.verify_key` for an app that only
 * verifies. The key is in this answer only; the server keeps its hash.
 */
export const createRootKey = defineUnkeyOperation({
  method: 'POST',
  path: '/v2/keyguard.createRootKey',
  body: object({
    permissions: required(array(string({ min: 1, max: 512 }), { min: 1, max: 100 })),
    name: optional(string({ min: 1, max: 255 })),
  }),
  audit: { action: 'root_key.create', target: (_input, result) => rootKeyTarget(createdId(result, 'rootKeyId')) },
  handle({ store, rootKey, now, logger }, { body }) {
    requireRootKeyPermission(rootKey, 'create');
    checkGrantable(rootKey, body.permissions);
    return store.transaction(() => {
      const { key, id } = issueRootKey(store, rootKey.workspaceId, body.permissions, now, { name: body.name });
      logger.info('root key created', { rootKeyId: id, permissions: body.permissions });
      return { data: { rootKeyId: id, key } };
    });
  },
});
