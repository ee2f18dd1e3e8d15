import type { ProviderAnswer, VerifiedKey } from '@keyguard/core';
import { isRecord } from '@keyguard/core/service';
import type { APIKey } from './types.js';

/**
 * Turns Clerk's APIKey object (the body of a 200 from `/api_keys/verify`, read by the client's wire parser) into a
 * provider answer. A 200 for a revoked or expired key, or one whose expiration has passed, is invalid.
 */
export function toClerkAnswer(apiKey: APIKey, requestId: string | undefined, now = Date.now()): ProviderAnswer {
  const keyId = apiKey.id;
  const expiration = apiKey.expiration ?? undefined;
  if (apiKey.revoked) return { valid: false, code: 'DISABLED', metered: false, requestId, keyId };
  if (apiKey.expired || (expiration !== undefined && expiration <= now))
    return { valid: false, code: 'EXPIRED', metered: false, requestId, keyId };
  const key: VerifiedKey = {
    id: keyId,
    provider: 'clerk',
    name: apiKey.name || undefined,
    identity: { id: apiKey.subject, externalId: apiKey.subject, meta: {} },
    permissions: apiKey.scopes,
    roles: [],
    meta: isRecord(apiKey.claims) ? apiKey.claims : {},
    expires: expiration,
    enabled: true,
  };
  return { valid: true, code: 'VALID', metered: false, requestId, keyId, key };
}
