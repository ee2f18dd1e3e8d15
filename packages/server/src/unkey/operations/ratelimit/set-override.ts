import { integer, object, required } from '../../../validation/schema.js';
import { defineUnkeyOperation } from '../../operation.js';
import { findNamespaceFor, namespaceRef, overrideIdentifier } from '../../../domain/ratelimits/find-namespace.js';
import { overrideTarget } from '../../../audit/targets/resources.js';

/** Creates or replaces the override for an identifier (or wildcard pattern) of a namespace → `{overrideId}`. */
export const setOverride = defineUnkeyOperation({
  method: 'POST',
  path: '/v2/ratelimit.setOverride',
  body: object({
    namespace: required(namespaceRef()),
    duration: required(integer({ min: 1000, max: 2_592_000_000 })),
    identifier: required(overrideIdentifier()),
    limit: required(integer({ min: 0, max: 1e12 })),
  }),
  audit: { action: 'ratelimit.set_override', target: ({ body }) => overrideTarget(body.namespace, body.identifier) },
  handle({ store, rootKey, now }, { body }) {
    return store.transaction(() => {
      const namespace = findNamespaceFor(store, rootKey, body.namespace, 'set_override');
      const override = store.ratelimitOverrides.set(
        rootKey.workspaceId,
        namespace.id,
        { identifier: body.identifier, limit: body.limit, duration: body.duration },
        now,
      );
      return { data: { overrideId: override.id } };
    });
  },
});
