import type { IdentityData, KeyCredits, KeyRateLimit, KeyResponseData } from '@keyguard/unkey';
import type { KeyVault } from '../../crypto/encryption.js';
import type { Store } from '../../store/store.js';
import type { KeyRecord, RatelimitDefinition } from '../../store/types.js';

// Unkey's wire types are @keyguard/unkey's: its client and provider read what this server writes.
export type { KeyResponseData };

const ratelimitData = (limit: RatelimitDefinition): KeyRateLimit => ({
  id: limit.id,
  name: limit.name,
  limit: limit.limit,
  duration: limit.duration,
  autoApply: limit.autoApply,
});

export function creditsData(key: KeyRecord): KeyCredits | undefined {
  if (key.creditsRemaining === null && !key.refill) return undefined;
  return {
    remaining: key.creditsRemaining,
    ...(key.refill
      ? {
          refill: {
            interval: key.refill.interval,
            amount: key.refill.amount,
            ...(key.refill.refillDay !== null ? { refillDay: key.refill.refillDay } : {}),
          },
        }
      : {}),
  };
}

export function identityData(store: Store, identityId: string | null): IdentityData | undefined {
  if (!identityId) return undefined;
  const identity = store.identities.get(identityId);
  if (!identity) return undefined;
  const limits = store.ratelimits.forIdentity(identity.id);
  return {
    id: identity.id,
    externalId: identity.externalId,
    ...(identity.meta ? { meta: identity.meta } : {}),
    ...(limits.length > 0 ? { ratelimits: limits.map(ratelimitData) } : {}),
  };
}

/** The key as getKey/whoami/listKeys answer it. `decrypt` adds `plaintext` for recoverable keys the vault can open. */
export function keyResponse(store: Store, key: KeyRecord, options: { vault?: KeyVault } = {}): KeyResponseData {
  const permissions = store.keyAccess.directPermissions(key.id);
  const roles = store.keyAccess.roles(key.id);
  const limits = store.ratelimits.forKey(key.id);
  const credits = creditsData(key);
  const identity = identityData(store, key.identityId);
  const plaintext = options.vault && key.encrypted ? options.vault.decrypt(key.encrypted, key.id) : undefined;
  return {
    keyId: key.id,
    start: key.start,
    enabled: key.enabled,
    createdAt: key.createdAt,
    ...(key.name !== null ? { name: key.name } : {}),
    ...(key.meta !== null ? { meta: key.meta } : {}),
    ...(key.updatedAt !== null ? { updatedAt: key.updatedAt } : {}),
    ...(key.lastUsedAt !== null ? { lastUsedAt: key.lastUsedAt } : {}),
    ...(key.expires !== null ? { expires: key.expires } : {}),
    ...(permissions.length > 0 ? { permissions } : {}),
    ...(roles.length > 0 ? { roles } : {}),
    ...(credits ? { credits } : {}),
    ...(identity ? { identity } : {}),
    ...(plaintext !== undefined ? { plaintext } : {}),
    ...(limits.length > 0 ? { ratelimits: limits.map(ratelimitData) } : {}),
  };
}
