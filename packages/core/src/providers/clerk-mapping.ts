import type { ProviderAnswer, VerifiedKey } from '../types.js';

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Turns Clerk's APIKey object (the body of a 200 from `/api_keys/verify`) into a provider answer, or undefined
 * when it is not one. A 200 for a revoked or expired key, or one whose expiration has passed, is invalid.
 */
export function toClerkAnswer(body: Record<string, unknown>, requestId: string | undefined, now = Date.now()): ProviderAnswer | undefined {
  if (typeof body.id !== 'string' || typeof body.subject !== 'string') return undefined;
  const keyId = body.id;
  const expiration = typeof body.expiration === 'number' && Number.isFinite(body.expiration) ? body.expiration : undefined;
  if (body.revoked === true) return { valid: false, code: 'DISABLED', metered: false, requestId, keyId };
  if (body.expired === true || (expiration !== undefined && expiration <= now)) return { valid: false, code: 'EXPIRED', metered: false, requestId, keyId };
  const key: VerifiedKey = {
    id: keyId,
    provider: 'clerk',
    name: typeof body.name === 'string' ? body.name : undefined,
    identity: { id: body.subject, externalId: body.subject, meta: {} },
    permissions: Array.isArray(body.scopes) ? body.scopes.filter((scope): scope is string => typeof scope === 'string') : [],
    roles: [],
    meta: isRecord(body.claims) ? body.claims : {},
    expires: expiration,
    enabled: true,
  };
  return { valid: true, code: 'VALID', metered: false, requestId, keyId, key };
}
