import { preconditionFailed } from '../../../api-error.js';
import { apiId } from '../../../validation/rules.js';
import { object, required } from '../../../validation/schema.js';
import { defineUnkeyOperation } from '../../operation.js';
import { findApiFor } from '../../../domain/apis.js';
import { apiTarget } from '../../../audit/targets/resources.js';

export const deleteApi = defineUnkeyOperation({
  method: 'POST',
  path: '/v2/apis.deleteApi',
  body: object({ apiId: required(apiId()) }),
  audit: { action: 'api.delete', target: ({ body }) => apiTarget(body.apiId) },
  handle({ store, rootKey, now, logger }, { body }) {
    return store.transaction(() => {
      const api = findApiFor(store, rootKey, body.apiId, ['delete_api']);
      if (api.deleteProtection) {
        throw preconditionFailed(
          'PROTECTED_RESOURCE',
          'The API has delete protection enabled; disable it before deleting the API.',
        );
      }
      store.apis.softDelete(api.id, now);
      logger.info('api deleted', { apiId: api.id });
      return { data: {} };
    });
  },
});
