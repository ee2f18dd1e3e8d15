import { requireOnApi } from '../../../domain/permissions/root-key-permissions.js';
import { hashKey } from '../../../crypto/hash.js';
import { generateKey, keyStart, newId } from '../../../crypto/random.js';
import { findKeyFor } from '../../../domain/keys/find-key.js';
import { keyId, unixMs } from '../../../validation/rules.js';
import { object, required } from '../../../validation/schema.js';
import { defineUnkeyOperation } from '../../operation.js';
import { createdId } from '../../../audit/targets/target.js';
import { keyTarget } from '../../../audit/targets/keys.js';

/** The prefix the key was created with, read back from its start (`prefix_` + 4 characters). */
const prefixOf = (start: string): string | undefined =>
  start.length > 5 && start.at(-5) === '_' ? start.slice(0, -5) : undefined;

/**
 * A new key with the original's settings (name, meta, identity, expiry, enabled, credits and refill, its own rate
 * limits, direct permissions, roles; recoverable if it was), and the original expiring `expiration` ms from now
 * (at once for 0). The original never lives longer than it already would have.
 */
export const rerollKey = defineUnkeyOperation({
  method: 'POST',
  path: '/v2/keys.rerollKey',
  body: object({ keyId: required(keyId()), expiration: required(unixMs()) }),
  audit: {
    action: 'key.reroll',
    target: ({ body }) => keyTarget(body.keyId),
    detail: (_input, result) => ({ newKeyId: createdId(result, 'keyId') ?? null }),
  },
  handle({ store, rootKey, now, vault, logger }, { body }) {
    return store.transaction(() => {
      const original = findKeyFor(store, rootKey, body.keyId, 'create_key');
      if (original.encrypted !== null) requireOnApi(rootKey, 'encrypt_key', original.apiId);
      const prefix = prefixOf(original.start);
      // Unkey uses the API's default byte length, 16 unless configured; keyguard has no per-API default.
      const key = generateKey(16, prefix);
      const id = newId('key', now);
      store.keys.insert({
        id,
        workspaceId: original.workspaceId,
        apiId: original.apiId,
        hash: hashKey(key),
        start: keyStart(key, prefix),
        name: original.name,
        identityId: original.identityId,
        meta: original.meta,
        expires: original.expires,
        enabled: original.enabled,
        creditsRemaining: original.creditsRemaining,
        refill: original.refill,
        encrypted: original.encrypted !== null ? vault.encrypt(key, id) : null,
        createdAt: now,
      });
      store.keyAccess.replacePermissions(
        id,
        store.keyAccess.directPermissionRecords(original.id).map((permission) => permission.id),
      );
      store.keyAccess.replaceRoles(
        id,
        store.keyAccess.roleRecords(original.id).map((role) => role.id),
      );
      const limits = store.ratelimits.forKey(original.id);
      if (limits.length > 0) store.ratelimits.replace(original.workspaceId, { keyId: id }, limits, now);
      const retiresAt = now + body.expiration;
      store.keys.update(
        original.id,
        { expires: original.expires === null ? retiresAt : Math.min(original.expires, retiresAt) },
        now,
      );
      logger.info('key rerolled', { keyId: original.id, newKeyId: id, start: keyStart(key, prefix) });
      return { data: { keyId: id, key } };
    });
  },
});
