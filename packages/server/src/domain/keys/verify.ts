import { evaluatePermissionQuery, type PermissionQuery } from '@keyguard/core';
import { mayOnApi } from '../permissions/root-key-permissions.js';
import { applyRefill } from '../credits/apply-refill.js';
import { hashKey } from '../../crypto/hash.js';
import { identityData } from './key-response.js';
import type { Store } from '../../store/store.js';
import type { RootKeyRecord } from '../../store/types.js';
import { applyRatelimits, planRatelimits } from '../ratelimits/verify-ratelimits.js';
import type { VerificationCode, VerifyKeyData, VerifyRequest } from './verification.js';

/**
 * One verification, in one transaction: NOT_FOUND, FORBIDDEN, DISABLED, EXPIRED, INSUFFICIENT_PERMISSIONS,
 * RATE_LIMITED, USAGE_EXCEEDED, VALID — the first failure wins. Rate-limit tokens are spent when the limits are
 * checked; credits only when everything else passed. Throws 412 (ApiError) for an unknown rate-limit name.
 */
export function verifyKey(
  store: Store,
  rootKey: RootKeyRecord,
  request: VerifyRequest,
  query: PermissionQuery | undefined,
  now: number,
): VerifyKeyData {
  return store.transaction(() => {
    const found = store.keys.findByHash(hashKey(request.key));
    if (!found || found.workspaceId !== rootKey.workspaceId || !mayOnApi(rootKey, 'verify_key', found.apiId)) {
      return { valid: false, code: 'NOT_FOUND' };
    }
    const checks = planRatelimits(store, found, request.ratelimits);
    const key = applyRefill(store, found, now);
    const permissions = store.keyAccess.allPermissions(key.id);
    const roles = store.keyAccess.roles(key.id);
    const identity = identityData(store, key.identityId);
    const answer = (code: VerificationCode, extra: Partial<VerifyKeyData> = {}): VerifyKeyData => {
      const credits = extra.credits ?? key.creditsRemaining;
      return {
        valid: code === 'VALID',
        code,
        keyId: key.id,
        ...(key.name !== null ? { name: key.name } : {}),
        ...(key.meta !== null ? { meta: key.meta } : {}),
        ...(key.expires !== null ? { expires: key.expires } : {}),
        ...(credits !== null ? { credits } : {}),
        enabled: key.enabled,
        ...(permissions.length > 0 ? { permissions } : {}),
        ...(roles.length > 0 ? { roles } : {}),
        ...(identity ? { identity } : {}),
        ...(extra.ratelimits && extra.ratelimits.length > 0 ? { ratelimits: extra.ratelimits } : {}),
      };
    };

    const workspace = store.workspaces.get(key.workspaceId);
    if (!workspace?.enabled) return answer('FORBIDDEN');
    if (!key.enabled) return answer('DISABLED');
    if (key.expires !== null && key.expires <= now) return answer('EXPIRED');
    if (query && !evaluatePermissionQuery(query, permissions)) return answer('INSUFFICIENT_PERMISSIONS');

    store.keys.touchLastUsed(key.id, now);
    const ratelimits = applyRatelimits(store, checks, now);
    if (ratelimits.some((limit) => limit.exceeded)) return answer('RATE_LIMITED', { ratelimits });

    if (key.creditsRemaining !== null) {
      const cost = request.credits?.cost ?? 1;
      if (key.creditsRemaining < cost) {
        return answer('USAGE_EXCEEDED', { ratelimits });
      }
      const remaining = key.creditsRemaining - cost;
      store.keys.setCredits(key.id, remaining);
      return answer('VALID', { ratelimits, credits: remaining });
    }
    return answer('VALID', { ratelimits });
  });
}
