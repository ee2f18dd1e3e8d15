import type { ClerkApiKeyRecord } from '../store/types.js';

/** Clerk's APIKey object, field for field (docs/clerk-api-keys.md). `secret` only on create and get-secret. */
export interface ApiKeyObject {
  object: 'api_key';
  id: string;
  type: string;
  subject: string;
  name: string;
  description: string | null;
  claims: unknown;
  scopes: string[];
  revoked: boolean;
  revocation_reason: string | null;
  expired: boolean;
  expiration: number | null;
  created_by: string | null;
  last_used_at: number | null;
  created_at: number;
  updated_at: number;
  secret?: string;
}

export const isExpired = (key: ClerkApiKeyRecord, now: number): boolean => key.expiration !== null && key.expiration <= now;

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
