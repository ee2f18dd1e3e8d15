import { existingRoleIds } from '../../../domain/keys/role-ids.js';
import { findKeyFor } from '../../../domain/keys/find-key.js';
import type { KeyChanges } from '../../../store/repositories/keys.js';
import { assertNoIssues } from '../../../validation/assert.js';
import type { ValidationIssue } from '../../../validation/issues.js';
import {
  checkCredits,
  checkRatelimitNames,
  creditsUpdateField,
  storedRatelimitsField,
  toRefill,
  toStoredRatelimits,
} from '../../../domain/keys/fields.js';
import { externalId, keyId, META_MAX_BYTES, permissionSlug, roleName, unixMs } from '../../../validation/rules.js';
import {
  array,
  boolean,
  jsonObject,
  nullable,
  object,
  optional,
  required,
  string,
} from '../../../validation/schema.js';
import { defineUnkeyOperation } from '../../operation.js';
import { keyTarget } from '../../../audit/targets/keys.js';

/** Partial update: an omitted field stays as it is, `null` clears it; `roles`/`permissions`/`ratelimits` replace the sets. */
export const updateKey = defineUnkeyOperation({
  method: 'POST',
  path: '/v2/keys.updateKey',
  body: object({
    keyId: required(keyId()),
    name: optional(nullable(string({ min: 1, max: 255 }))),
    externalId: optional(nullable(externalId())),
    meta: optional(nullable(jsonObject({ maxBytes: META_MAX_BYTES }))),
    expires: optional(nullable(unixMs())),
    credits: optional(nullable(creditsUpdateField())),
    ratelimits: optional(nullable(storedRatelimitsField())),
    enabled: optional(boolean()),
    roles: optional(nullable(array(roleName(), { max: 100 }))),
    permissions: optional(nullable(array(permissionSlug(), { max: 1000 }))),
  }),
  audit: { action: 'key.update', target: ({ body }) => keyTarget(body.keyId) },
  handle({ store, rootKey, now }, { body }) {
    const issues: ValidationIssue[] = [];
    checkCredits(body.credits, 'body.credits', issues);
    checkRatelimitNames(body.ratelimits, 'body.ratelimits', issues);
    assertNoIssues(issues);
    return store.transaction(() => {
      const key = findKeyFor(store, rootKey, body.keyId, 'update_key');
      const workspaceId = rootKey.workspaceId;
      const changes: KeyChanges = { name: body.name, meta: body.meta, expires: body.expires, enabled: body.enabled };
      if (body.externalId !== undefined) {
        changes.identityId =
          body.externalId === null ? null : store.identities.findOrCreate(workspaceId, body.externalId, now).id;
      }
      if (body.credits === null) {
        changes.creditsRemaining = null;
        changes.refill = null;
      } else if (body.credits !== undefined) {
        const { remaining, refill } = body.credits;
        if (remaining !== undefined) changes.creditsRemaining = remaining;
        if (refill !== undefined) changes.refill = refill === null ? null : toRefill(refill);
        // Unlimited credits have nothing to refill (as in Unkey).
        if (remaining === null) changes.refill = null;
      }
      if (body.roles !== undefined)
        store.keyAccess.replaceRoles(key.id, existingRoleIds(store, workspaceId, body.roles ?? []));
      if (body.permissions !== undefined)
        store.keyAccess.replacePermissions(key.id, store.permissions.ensure(workspaceId, body.permissions ?? [], now));
      if (body.ratelimits !== undefined) {
        store.ratelimits.replace(workspaceId, { keyId: key.id }, toStoredRatelimits(body.ratelimits ?? []), now);
      }
      store.keys.update(key.id, changes, now);
      return { data: {} };
    });
  },
});
