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
  revoked: boolean;
  revocationReason: string | null;
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
  scopes: string[];
  revoked: boolean;
  revocationReason: string | null;
  expired: boolean;
  /** Null: never expires. */
  expiration: number | null;
}

export interface RevokeM2MTokenRequest {
  revocationReason?: string | null;
}
