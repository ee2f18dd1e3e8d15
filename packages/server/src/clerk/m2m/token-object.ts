import type { M2MTokenRecord } from './token-repository.js';

/** Clerk's M2M token object (`M2MTokenJSON` of `@clerk/backend`, the Backend API OpenAPI's `machine_to_machine_token`). */
export interface M2MTokenObject {
  object: 'machine_to_machine_token';
  id: string;
  /** The machine that created the token. */
  subject: string;
  /** The machines the token is granted to. */
  scopes: string[];
  claims: unknown;
  revoked: boolean;
  revocation_reason: string | null;
  expired: boolean;
  /** Unix ms; null: never expires. */
  expiration: number | null;
  last_used_at: number | null;
  created_at: number;
  updated_at: number;
  /** The token itself: only when it is created. */
  token?: string;
}

export const isTokenExpired = (expiration: number | null, now: number): boolean =>
  expiration !== null && expiration <= now;

export function m2mTokenObject(token: M2MTokenRecord, now: number, secret?: string): M2MTokenObject {
  return {
    object: 'machine_to_machine_token',
    id: token.id,
    subject: token.machineId,
    scopes: token.scopes,
    claims: token.claims,
    revoked: token.revoked,
    revocation_reason: token.revocationReason,
    expired: isTokenExpired(token.expiration, now),
    expiration: token.expiration,
    last_used_at: token.lastUsedAt,
    created_at: token.createdAt,
    updated_at: token.updatedAt,
    ...(secret !== undefined ? { token: secret } : {}),
  };
}
