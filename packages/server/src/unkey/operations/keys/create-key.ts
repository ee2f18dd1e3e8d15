import { hashKey } from '../../../crypto/hash.js';
import { generateKey, keyStart, newId } from '../../../crypto/random.js';
import { existingRoleIds } from '../../../domain/keys/role-ids.js';
import { assertNoIssues } from '../../../validation/assert.js';
import type { ValidationIssue } from '../../../validation/issues.js';
import {
  checkCredits,
  checkRatelimitNames,
  creditsField,
  storedRatelimitsField,
  toRefill,
  toStoredRatelimits,
} from '../../../domain/keys/fields.js';
import { apiId, externalId, META_MAX_BYTES, permissionSlug, roleName, unixMs } from '../../../validation/rules.js';
import { array, boolean, integer, jsonObject, object, optional, required, string } from '../../../validation/schema.js';
import { defineUnkeyOperation } from '../../operation.js';
import { findApiFor } from '../../../domain/apis.js';
import { createdId } from '../../../audit/targets/target.js';
import { keyTarget } from '../../../audit/targets/keys.js';

export const createKey = defineUnkeyOperation({
  method: 'POST',
  path: '/v2/keys.createKey',
  body: object({
    apiId: required(apiId()),
    prefix: optional(
      string({ min: 1, max: 16, pattern: /^[A-Za-z0-9_]+$/, patternText: 'use only letters, digits and "_"' }),
    ),
    name: optional(string({ min: 1, max: 255 })),
    byteLength: optional(integer({ min: 16, max: 255 })),
    externalId: optional(externalId()),
    meta: optional(jsonObject({ maxBytes: META_MAX_BYTES })),
    roles: optional(array(roleName(), { max: 100 })),
    permissions: optional(array(permissionSlug(), { max: 1000 })),
    expires: optional(unixMs()),
    credits: optional(creditsField()),
    ratelimits: optional(storedRatelimitsField()),
    enabled: optional(boolean()),
    recoverable: optional(boolean()),
  }),
  audit: { action: 'key.create', target: (_input, result) => keyTarget(createdId(result, 'keyId')) },
  handle({ store, rootKey, now, vault, logger }, { body }) {
    const issues: ValidationIssue[] = [];
    checkCredits(body.credits, 'body.credits', issues);
    checkRatelimitNames(body.ratelimits, 'body.ratelimits', issues);
    assertNoIssues(issues);
    return store.transaction(() => {
      const api = findApiFor(store, rootKey, body.apiId, ['create_key']);
      const workspaceId = rootKey.workspaceId;
      const roleIds = existingRoleIds(store, workspaceId, body.roles ?? []);
      const permissionIds = store.permissions.ensure(workspaceId, body.permissions ?? [], now);
      const identity =
        body.externalId !== undefined ? store.identities.findOrCreate(workspaceId, body.externalId, now) : undefined;
      const key = generateKey(body.byteLength ?? 16, body.prefix);
      const keyId = newId('key', now);
      store.keys.insert({
        id: keyId,
        workspaceId,
        apiId: api.id,
        hash: hashKey(key),
        start: keyStart(key, body.prefix),
        name: body.name ?? null,
        identityId: identity?.id ?? null,
        meta: body.meta ?? null,
        expires: body.expires ?? null,
        enabled: body.enabled ?? true,
        creditsRemaining: body.credits?.remaining ?? null,
        refill: body.credits?.refill ? toRefill(body.credits.refill) : null,
        encrypted: body.recoverable ? vault.encrypt(key, keyId) : null,
        createdAt: now,
      });
      store.keyAccess.replacePermissions(keyId, permissionIds);
      store.keyAccess.replaceRoles(keyId, roleIds);
      if (body.ratelimits?.length) {
        store.ratelimits.replace(workspaceId, { keyId }, toStoredRatelimits(body.ratelimits), now);
      }
      logger.info('key created', { keyId, apiId: api.id, start: keyStart(key, body.prefix) });
      return { data: { keyId, key } };
    });
  },
});
