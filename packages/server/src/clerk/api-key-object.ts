import type { APIKeyOnTheWire } from '@keyguard/clerk';
import type { ClerkApiKeyRecord } from '../store/types.js';

/** Clerk's APIKey object, field for field, as `@keyguard/clerk` defines it. `secret` only on create and get-secret. */
export type ApiKeyObject = APIKeyOnTheWire;

export const isExpired = (key: ClerkApiKeyRecord, now: number): boolean =>
  key.expiration !== null && key.expiration <= now;

/** Neither revoked nor expired at `now`. */
export const isValid = (key: ClerkApiKeyRecord, now: number): boolean => !key.revoked && !isExpired(key, now);

export function apiKeyObject(key: ClerkApiKeyRecord, now: number, secret?: string): ApiKeyObject {
  return {
    object: 'api_key',
    id: key.id,
    type: key.type,
    subject: key.subject,
    name: key.name,
    description: key.description,
    claims: key.claims,
    scopes: key.scopes,
    revoked: key.revoked,
    revocation_reason: key.revocationReason,
    expired: isExpired(key, now),
    expiration: key.expiration,
    created_by: key.createdBy,
    last_used_at: key.lastUsedAt,
    created_at: key.createdAt,
    updated_at: key.updatedAt,
    ...(secret !== undefined ? { secret } : {}),
  };
}
