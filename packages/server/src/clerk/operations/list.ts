import { object, optional, required } from '../../validation/schema.js';
import { apiKeyObject } from '../api-key-object.js';
import { apiKeyType, includeInvalidParam, limitParam, offsetParam, searchParam, subject } from '../fields.js';
import { defineClerkOperation } from '../operation.js';

/** `{data, total_count}`: the subject's keys, newest first; revoked and expired ones only with `include_invalid=true`. */
export const listApiKeys = defineClerkOperation({
  method: 'GET',
  path: '/api_keys',
  query: object({
    subject: required(subject()),
    type: optional(apiKeyType()),
    include_invalid: optional(includeInvalidParam()),
    limit: optional(limitParam()),
    offset: optional(offsetParam()),
    query: optional(searchParam()),
  }),
  handle({ store, workspaceId, now }, { query }) {
    const { keys, total } = store.clerkApiKeys.list(
      workspaceId,
      {
        subject: query.subject,
        type: query.type,
        includeInvalid: query.include_invalid === 'true',
        query: query.query,
        now,
      },
      { limit: query.limit ?? 10, offset: query.offset ?? 0 },
    );
    return { data: keys.map((key) => apiKeyObject(key, now)), total_count: total };
  },
});
