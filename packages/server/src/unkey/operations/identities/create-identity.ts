import { requireAny } from '../../../domain/permissions/root-key-permissions.js';
import { conflict } from '../../../api-error.js';
import { assertNoIssues } from '../../../validation/assert.js';
import type { ValidationIssue } from '../../../validation/issues.js';
import { checkRatelimitNames, storedRatelimitField } from '../../../domain/keys/fields.js';
import { META_MAX_BYTES } from '../../../validation/rules.js';
import { array, jsonObject, object, optional, required, string } from '../../../validation/schema.js';
import { defineUnkeyOperation } from '../../operation.js';
import { createdId } from '../../../audit/targets/target.js';
import { identityTarget } from '../../../audit/targets/resources.js';

/** `{externalId, meta?, ratelimits?}` → `{identityId}`; a second identity with the same externalId is a 409. */
export const createIdentity = defineUnkeyOperation({
  method: 'POST',
  path: '/v2/identities.createIdentity',
  body: object({
    externalId: required(
      string({
        min: 1,
        max: 255,
        pattern: /^[a-zA-Z0-9_.-]+$/,
        patternText: 'use only letters, digits, "_", "." and "-"',
      }),
    ),
    meta: optional(jsonObject({ maxBytes: META_MAX_BYTES })),
    ratelimits: optional(array(storedRatelimitField(), { max: 50 })),
  }),
  audit: {
    action: 'identity.create',
    target: ({ body }, result) => identityTarget(createdId(result, 'identityId') ?? body.externalId),
  },
  handle({ store, rootKey, now, logger }, { body }) {
    requireAny(rootKey, ['identity.*.create_identity']);
    const issues: ValidationIssue[] = [];
    checkRatelimitNames(body.ratelimits, 'body.ratelimits', issues);
    assertNoIssues(issues);
    return store.transaction(() => {
      if (store.identities.findByExternalId(rootKey.workspaceId, body.externalId)) {
        throw conflict(
          'IDENTITY_ALREADY_EXISTS',
          `An identity with the externalId "${body.externalId}" already exists in this workspace.`,
        );
      }
      const identity = store.identities.create(rootKey.workspaceId, body.externalId, body.meta ?? null, now);
      if (body.ratelimits?.length) {
        store.ratelimits.replace(
          rootKey.workspaceId,
          { identityId: identity.id },
          body.ratelimits.map((limit) => ({ ...limit, autoApply: limit.autoApply ?? false })),
          now,
        );
      }
      logger.info('identity created', { identityId: identity.id });
      return { data: { identityId: identity.id } };
    });
  },
});
