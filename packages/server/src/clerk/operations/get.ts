import { object } from '../../validation/schema.js';
import { apiKeyObject } from '../api-key-object.js';
import { findApiKey } from '../find-api-key.js';
import { defineClerkOperation } from '../operation.js';

export const getApiKey = defineClerkOperation({
  method: 'GET',
  path: '/api_keys/:id',
  query: object({}),
  handle: ({ store, workspaceId, now }, { id }) => apiKeyObject(findApiKey(store, workspaceId, id), now),
});
