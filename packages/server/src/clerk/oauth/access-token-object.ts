import type { OAuthAccessTokenRecord } from './access-token-repository.js';

/**
 * Clerk's verified OAuth access token (`clerk_idp_oauth_access_token`), field for field as the Backend API OpenAPI
 * lists them for `POST /oauth_applications/access_tokens/verify` (times in unix ms, as Clerk's other objects).
 */
export interface OAuthAccessTokenObject {
  object: 'clerk_idp_oauth_access_token';
  id: string;
  client_id: string;
  subject: string;
  scopes: string[];
  revoked: boolean;
  revocation_reason: string | null;
  expired: boolean;
  expiration: number | null;
  created_at: number;
  updated_at: number;
}

export function oauthAccessTokenObject(token: OAuthAccessTokenRecord, now: number): OAuthAccessTokenObject {
  return {
    object: 'clerk_idp_oauth_access_token',
    id: token.id,
    client_id: token.clientId,
    subject: token.subject,
    scopes: token.scopes,
    revoked: token.revoked,
    revocation_reason: token.revocationReason,
    expired: token.expiration !== null && token.expiration <= now,
    expiration: token.expiration,
    created_at: token.createdAt,
    updated_at: token.updatedAt,
  };
}
