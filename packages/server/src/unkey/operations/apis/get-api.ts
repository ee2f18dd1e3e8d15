import { apiId } from '../../../validation/rules.js';
import { object, required } from '../../../validation/schema.js';
import { defineUnkeyOperation } from '../../operation.js';
import { findApiFor } from '../../../domain/apis.js';

export const getApi = defineUnkeyOperation({
  method: 'POST',
  path: '/v2/apis.getApi',
  body: object({ apiId: required(apiId()) }),
  handle({ store, rootKey }, { body }) {
    const api = findApiFor(store, rootKey, body.apiId, ['read_api']);
    return { data: { id: api.id, name: api.name } };
  },
});
