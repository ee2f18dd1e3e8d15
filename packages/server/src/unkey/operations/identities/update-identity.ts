import { requireAny } from '../../../domain/permissions/root-key-permissions.js';
import { identityData } from '../../../domain/keys/key-response.js';
import { assertNoIssues } from '../../../validation/assert.js';
import type { ValidationIssue } from '../../../validation/issues.js';
import { checkRatelimitNames, storedRatelimitField } from '../../../domain/keys/fields.js';
import { META_MAX_BYTES } from '../../../validation/rules.js';
import { array, jsonObject, object, optional, required } from '../../../validation/schema.js';
import { defineUnkeyOperation } from '../../operation.js';
import { findIdentity, identityRef } from '../../../domain/identities.js';
import { identityTarget } from '../../../audit/targets/resources.js';

/**
 * `meta` replaces the metadata (`{}` clears it), `ratelimits` the shared limits (`[]` removes them; a limit that keeps
 * its name keeps its id and its window). Omitted fields stay. Every key of the identity sees the change at its next
 * verification.
 */
export const updateIdentity = defineUnkeyOperation({
  method: 'POST',
  path: '/v2/identities.updateIdentity',
  body: object({
    identity: required(identityRef()),
    meta: optional(jsonObject({ maxBytes: META_MAX_BYTES })),
    ratelimits: optional(array(storedRatelimitField(), { max: 50 })),
  }),
  audit: { action: 'identity.update', target: ({ body }) => identityTarget(body.identity) },
  handle({ store, rootKey, now }, { body }) {
    requireAny(rootKey, ['identity.*.update_identity']);
    const issues: ValidationIssue[] = [];
    checkRatelimitNames(body.ratelimits, 'body.ratelimits', issues);
    assertNoIssues(issues);
    return store.transaction(() => {
      const identity = findIdentity(store, rootKey.workspaceId, body.identity);
      if (body.meta !== undefined)
        store.identities.setMeta(identity.id, Object.keys(body.meta).length > 0 ? body.meta : null);
      if (body.ratelimits !== undefined) {
        store.ratelimits.replace(
          rootKey.workspaceId,
          { identityId: identity.id },
          body.ratelimits.map((limit) => ({ ...limit, autoApply: limit.autoApply ?? false })),
          now,
        );
      }
      return { data: identityData(store, identity.id) };
    });
  },
});
