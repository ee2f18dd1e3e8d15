/*
 * Clerk's machine-token objects as `POST /m2m_tokens/verify` and `POST /oauth_applications/access_tokens/verify`
 * answer them (docs/clerk-machine-auth.md), camelCased. All times are unix ms.
 */

/** Clerk's M2M token object (`machine_to_machine_token`). */
export interface M2MToken {
  /** `mt_` + 32 hex (the JWT's `jti` for a JWT token). */
  id: string;
  /** The machine that created it: `mch_…`. */
  subject: string;
  /** The machines it is granted to (`mch_…` ids). */
  scopes: string[];
  /** Custom claims, as given (never renamed). */
  claims: unknown;
  /** True once revoked (`POST /m2m_tokens/{id}/revoke`); a revoked token no longer verifies. */
  revoked: boolean;
  /** The reason given with the revocation, if any. */
  revocationReason: string | null;
  /** True once past `expiration`. */
  expired: boolean;
  /** Null: never expires. */
  expiration: number | null;
}

/** Clerk's OAuth access token object (`clerk_idp_oauth_access_token`). */
export interface OAuthAccessToken {
  /** `oat_` + 32 hex. */
  id: string;
  /** The OAuth application the token was issued to. */
  clientId: string;
  /** The user it acts for: `user_…`. */
  subject: string;
  /** The OAuth scopes the user granted the application. */
  scopes: string[];
  /** True once revoked (`POST /m2m_tokens/{id}/revoke`); a revoked token no longer verifies. */
  revoked: boolean;
  /** The reason given with the revocation, if any. */
  revocationReason: string | null;
  /** True once past `expiration`. */
  expired: boolean;
  /** Null: never expires. */
  expiration: number | null;
}

/** What `ClerkClient.m2mTokens.revoke` sends beside the token id. */
export interface RevokeM2MTokenRequest {
  /** Why the token is revoked, kept on the token. */
  revocationReason?: string | null;
}
