import { object } from '../../../validation/schema.js';
import { defineUnkeyOperation } from '../../operation.js';
import { requireRootKeyPermission } from './root-key-access.js';

/** keyguard's own: the workspace's root keys with their permissions; never a key, only its first characters. */
export const listRootKeys = defineUnkeyOperation({
  method: 'POST',
  path: '/v2/keyguard.listRootKeys',
  body: object({}),
  optionalBody: true,
  handle({ store, rootKey }) {
    requireRootKeyPermission(rootKey, 'read');
    return { data: store.rootKeys.list(rootKey.workspaceId) };
  },
});
