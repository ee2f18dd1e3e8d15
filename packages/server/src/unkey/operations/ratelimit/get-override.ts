import { notFound } from '../../../api-error.js';
import { object, required } from '../../../validation/schema.js';
import { defineUnkeyOperation } from '../../operation.js';
import { findNamespaceFor, namespaceRef, overrideIdentifier } from '../../../domain/ratelimits/find-namespace.js';
import { overrideData } from './override-data.js';

/** The override whose identifier is exactly `identifier` (a pattern is looked up as written, not matched). */
export const getOverride = defineUnkeyOperation({
  method: 'POST',
  path: '/v2/ratelimit.getOverride',
  body: object({ namespace: required(namespaceRef()), identifier: required(overrideIdentifier()) }),
  handle({ store, rootKey }, { body }) {
    const namespace = findNamespaceFor(store, rootKey, body.namespace, 'read_override');
    const override = store.ratelimitOverrides.find(namespace.id, body.identifier);
    if (!override) throw notFound('RATELIMIT_OVERRIDE_NOT_FOUND', 'This override does not exist.');
    return { data: overrideData(override) };
  },
});
