import { preconditionFailed } from '../../http/errors.js';
import { apiId } from '../../validation/rules.js';
import { object, required } from '../../validation/schema.js';
import { defineEndpoint } from '../endpoint.js';
import { findApiFor } from './find-api.js';

export const deleteApi = defineEndpoint({
  operation: 'apis.deleteApi',
  body: object({ apiId: required(apiId()) }),
  handle({ store, rootKey, now, logger }, body) {
    return store.transaction(() => {
      const api = findApiFor(store, rootKey, body.apiId, ['delete_api']);
      if (api.deleteProtection) {
        throw preconditionFailed('PROTECTED_RESOURCE', 'The API has delete protection enabled; disable it before deleting the API.');
      }
      store.apis.softDelete(api.id, now);
      logger.info('api deleted', { apiId: api.id });
      return { data: {} };
    });
  },
});
