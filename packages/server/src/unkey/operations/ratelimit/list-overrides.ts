import { integer, object, optional, required, string } from '../../../validation/schema.js';
import { defineUnkeyOperation } from '../../operation.js';
import { paginate } from '../../paginate.js';
import { findNamespaceFor, namespaceRef } from '../../../domain/ratelimits/find-namespace.js';
import { overrideData } from './override-data.js';

export const listOverrides = defineUnkeyOperation({
  method: 'POST',
  path: '/v2/ratelimit.listOverrides',
  body: object({
    namespace: required(namespaceRef()),
    cursor: optional(string({ min: 1, max: 1024 })),
    limit: optional(integer({ min: 1, max: 100 })),
  }),
  handle({ store, rootKey }, { body }) {
    const namespace = findNamespaceFor(store, rootKey, body.namespace, 'read_override');
    const limit = body.limit ?? 10;
    const { page, pagination } = paginate(
      store.ratelimitOverrides.list(namespace.id, { limit: limit + 1, cursor: body.cursor }),
      limit,
      (row) => row.id,
    );
    return { data: page.map(overrideData), pagination };
  },
});
