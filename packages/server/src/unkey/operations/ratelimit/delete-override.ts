import { notFound } from '../../../api-error.js';
import { object, required } from '../../../validation/schema.js';
import { defineUnkeyOperation } from '../../operation.js';
import { findNamespaceFor, namespaceRef, overrideIdentifier } from '../../../domain/ratelimits/find-namespace.js';
import { overrideTarget } from '../../../audit/targets/resources.js';

/** Deletes the override with exactly this identifier; matching identifiers fall back to the request's limit at once. */
export const deleteOverride = defineUnkeyOperation({
  method: 'POST',
  path: '/v2/ratelimit.deleteOverride',
  body: object({ namespace: required(namespaceRef()), identifier: required(overrideIdentifier()) }),
  audit: { action: 'ratelimit.delete_override', target: ({ body }) => overrideTarget(body.namespace, body.identifier) },
  handle({ store, rootKey }, { body }) {
    return store.transaction(() => {
      const namespace = findNamespaceFor(store, rootKey, body.namespace, 'delete_override');
      const override = store.ratelimitOverrides.find(namespace.id, body.identifier);
      if (!override) throw notFound('RATELIMIT_OVERRIDE_NOT_FOUND', 'This override does not exist.');
      store.ratelimitOverrides.delete(override.id);
      return { data: {} };
    });
  },
});
