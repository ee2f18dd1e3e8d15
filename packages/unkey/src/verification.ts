import type { KeyIdentity, ProviderAnswer, RateLimitState, VerifiedKey } from '@keyguard/core';
import type { UnkeyVerificationCode } from '@keyguard/core/service';
import { isRecord } from '@keyguard/core/service';

const KNOWN_CODES = new Set<UnkeyVerificationCode>([
  'VALID',
  'NOT_FOUND',
  'FORBIDDEN',
  'DISABLED',
  'EXPIRED',
  'INSUFFICIENT_PERMISSIONS',
  'RATE_LIMITED',
  'USAGE_EXCEEDED',
]);

const stringArray = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
const finiteNumber = (value: unknown): number | undefined =>
  typeof value === 'number' && Number.isFinite(value) ? value : undefined;

function toRateLimits(value: unknown): RateLimitState[] | undefined {
  if (!Array.isArray(value) || value.length === 0) return undefined;
  const limits: RateLimitState[] = [];
  for (const item of value) {
    if (!isRecord(item)) continue;
    const limit = finiteNumber(item.limit);
    const remaining = finiteNumber(item.remaining);
    const reset = finiteNumber(item.reset);
    if (limit === undefined || remaining === undefined || reset === undefined) continue;
    limits.push({
      id: typeof item.id === 'string' && item.id.length > 0 ? item.id : undefined,
      name: typeof item.name === 'string' ? item.name : '',
      limit,
      remaining,
      reset,
      exceeded: item.exceeded === true,
      duration: finiteNumber(item.duration),
    });
  }
  return limits.length > 0 ? limits : undefined;
}

function toIdentity(value: unknown): KeyIdentity | undefined {
  if (!isRecord(value) || typeof value.id !== 'string') return undefined;
  return {
    id: value.id,
    externalId: typeof value.externalId === 'string' ? value.externalId : '',
    meta: isRecord(value.meta) ? value.meta : {},
  };
}

/**
 * Turns the `data` of a `keys.verifyKey` answer into a provider answer, or undefined when it is not one
 * (then the provider reports a bad response). Unknown codes are invalid, never valid.
 */
export function toProviderAnswer(data: unknown, requestId: string | undefined): ProviderAnswer | undefined {
  if (!isRecord(data) || typeof data.valid !== 'boolean' || typeof data.code !== 'string') return undefined;
  const reported = KNOWN_CODES.has(data.code as UnkeyVerificationCode)
    ? (data.code as UnkeyVerificationCode)
    : 'UNKNOWN_CODE';
  // A key is valid only when both fields agree; a contradictory answer is treated as unknown, never as valid.
  const valid = reported === 'VALID' && data.valid;
  const code = reported === 'VALID' && !valid ? 'UNKNOWN_CODE' : reported;
  const ratelimits = toRateLimits(data.ratelimits);
  const credits = finiteNumber(data.credits);
  const metered = credits !== undefined || ratelimits !== undefined;
  const keyId = typeof data.keyId === 'string' ? data.keyId : undefined;
  if (!valid) return { valid: false, code, metered, requestId, ratelimits, keyId };
  if (keyId === undefined) return undefined;
  const key: VerifiedKey = {
    id: keyId,
    provider: 'unkey',
    name: typeof data.name === 'string' ? data.name : undefined,
    identity: toIdentity(data.identity),
    permissions: stringArray(data.permissions),
    roles: stringArray(data.roles),
    meta: isRecord(data.meta) ? data.meta : {},
    expires: finiteNumber(data.expires),
    credits,
    enabled: data.enabled !== false,
    ratelimits,
  };
  return { valid: true, code, metered, requestId, ratelimits, keyId, key };
}
