import { evaluatePermissionQuery, type PermissionQuery } from '@keyguard/core';
import { mayOnApi } from '../permissions/root-key-permissions.js';
import { creditsToSpend } from '../credits/apply-refill.js';
import { hashKey } from '../../crypto/hash.js';
import type { Store } from '../../store/store.js';
import type { RootKeyRecord } from '../../store/types.js';
import { applyRatelimits, planRatelimits } from '../ratelimits/verify-ratelimits.js';
import type { CheckedRatelimit, VerificationCode, VerifyKeyData, VerifyRequest } from './verification.js';
import { keySnapshot, type KeySnapshot } from './verify-snapshot.js';

/** The answer for a key that was found, in the field order Unkey answers. */
function answer(
  { key, permissions, roles, identity }: KeySnapshot,
  code: VerificationCode,
  credits: number | null,
  ratelimits?: CheckedRatelimit[],
): VerifyKeyData {
  const data: VerifyKeyData = { valid: code === 'VALID', code, keyId: key.id };
  if (key.name !== null) data.name = key.name;
  if (key.meta !== null) data.meta = key.meta;
  if (key.expires !== null) data.expires = key.expires;
  if (credits !== null) data.credits = credits;
  data.enabled = key.enabled;
  if (permissions.length > 0) data.permissions = permissions;
  if (roles.length > 0) data.roles = roles;
  if (identity) data.identity = identity;
  if (ratelimits && ratelimits.length > 0) data.ratelimits = ratelimits;
  return data;
}

/**
 * One verification: NOT_FOUND, FORBIDDEN, DISABLED, EXPIRED, INSUFFICIENT_PERMISSIONS, RATE_LIMITED, USAGE_EXCEEDED,
 * VALID — the first failure wins. Rate-limit tokens are spent when the limits are checked; credits only when
 * everything else passed. Throws 412 (ApiError) for an unknown rate-limit name, before anything is spent.
 * What it reads is remembered until it changes and what it spends is exact in memory (store/memo.ts,
 * store/write-behind.ts): both drivers are synchronous, so nothing runs between a check and its spend.
 */
export function verifyKey(
  store: Store,
  rootKey: RootKeyRecord,
  request: VerifyRequest,
  query: PermissionQuery | undefined,
  now: number,
): VerifyKeyData {
  const snapshot = keySnapshot(store, hashKey(request.key));
  if (
    !snapshot ||
    snapshot.key.workspaceId !== rootKey.workspaceId ||
    !mayOnApi(rootKey, 'verify_key', snapshot.key.apiId)
  )
    return { valid: false, code: 'NOT_FOUND' };
  const { key } = snapshot;
  const checks = planRatelimits(key.id, snapshot.limits, snapshot.autoChecks, request.ratelimits);
  const credits = key.creditsRemaining !== null || key.refill ? creditsToSpend(store, key, now) : undefined;
  const remaining = credits?.remaining ?? null;

  if (!store.workspaces.get(key.workspaceId)?.enabled) return answer(snapshot, 'FORBIDDEN', remaining);
  if (!key.enabled) return answer(snapshot, 'DISABLED', remaining);
  if (key.expires !== null && key.expires <= now) return answer(snapshot, 'EXPIRED', remaining);
  if (query && !evaluatePermissionQuery(query, snapshot.permissions))
    return answer(snapshot, 'INSUFFICIENT_PERMISSIONS', remaining);

  store.usage.touch(key.id, now);
  const ratelimits = applyRatelimits(store, checks, now);
  if (ratelimits.some((limit) => limit.exceeded)) return answer(snapshot, 'RATE_LIMITED', remaining, ratelimits);
  if (credits && remaining !== null) {
    const cost = request.credits?.cost ?? 1;
    if (remaining < cost) return answer(snapshot, 'USAGE_EXCEEDED', remaining, ratelimits);
    store.usage.setCredits(key.id, { remaining: remaining - cost, lastRefillAt: credits.lastRefillAt });
    return answer(snapshot, 'VALID', remaining - cost, ratelimits);
  }
  return answer(snapshot, 'VALID', remaining, ratelimits);
}
