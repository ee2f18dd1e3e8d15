import { mayOnApi, requireOnSomeApi } from '../../../domain/permissions/root-key-permissions.js';
import { object } from '../../../validation/schema.js';
import { defineUnkeyOperation } from '../../operation.js';

/**
 * keyguard's own: the workspace's APIs the root key may read (Unkey's API v2 has no list of APIs; its dashboard
 * shows them). Lets `keyguard apis list` find an API whose id was lost.
 */
export const listApis = defineUnkeyOperation({
  method: 'POST',
  path: '/v2/keyguard.listApis',
  body: object({}),
  optionalBody: true,
  handle({ store, rootKey }) {
    requireOnSomeApi(rootKey, 'read_api');
    const apis = store.apis.list(rootKey.workspaceId).filter((api) => mayOnApi(rootKey, 'read_api', api.id));
    return { data: apis.map((api) => ({ id: api.id, name: api.name, createdAt: api.createdAt })) };
  },
});
