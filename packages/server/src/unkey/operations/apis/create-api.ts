import { requireAny } from '../../../domain/permissions/root-key-permissions.js';
import { conflict } from '../../../api-error.js';
import { apiName } from '../../../validation/rules.js';
import { object, required } from '../../../validation/schema.js';
import { defineUnkeyOperation } from '../../operation.js';
import { createdId } from '../../../audit/targets/target.js';
import { apiTarget } from '../../../audit/targets/resources.js';

export const createApi = defineUnkeyOperation({
  method: 'POST',
  path: '/v2/apis.createApi',
  body: object({ name: required(apiName()) }),
  audit: { action: 'api.create', target: (_input, result) => apiTarget(createdId(result, 'apiId')) },
  handle({ store, rootKey, now }, { body }) {
    requireAny(rootKey, ['api.*.create_api']);
    return store.transaction(() => {
      const existing = store.apis.findByName(rootKey.workspaceId, body.name);
      if (existing) {
        // The id goes in `detail`, the one free-text field of Unkey's error shape, so a client that lost the first
        // answer (a failed pipe, a retry) learns which API it already made.
        throw conflict(
          'API_ALREADY_EXISTS',
          `An API named "${body.name}" already exists in this workspace (apiId ${existing.id}); API names are unique.`,
        );
      }
      const api = store.apis.create(rootKey.workspaceId, body.name, now);
      return { data: { apiId: api.id } };
    });
  },
});
