import { apiId } from '../../validation/rules.js';
import { object, required } from '../../validation/schema.js';
import { defineEndpoint } from '../endpoint.js';
import { findApiFor } from './find-api.js';

export const getApi = defineEndpoint({
  operation: 'apis.getApi',
  body: object({ apiId: required(apiId()) }),
  handle({ store, rootKey }, body) {
    const api = findApiFor(store, rootKey, body.apiId, ['read_api']);
    return { data: { id: api.id, name: api.name } };
  },
});
