/** The JWT header `cat` of Clerk's M2M JWTs (`JWT_CATEGORY_M2M_TOKEN` in `@clerk/backend`'s `tokens/jwtCategories.ts`). */
export const M2M_JWT_CATEGORY = 'cl_B7d4PD333AAA';

/**
 * Claims this server sets in an M2M JWT: a custom claim of the same name does not replace them. `aud` and `scopes`
 * carry the token's scopes (`M2MToken.fromJwtPayload` reads `scopes`, space-separated, then `aud`).
 */
export const RESERVED_M2M_CLAIMS: ReadonlySet<string> = new Set([
  'iss',
  'sub',
  'aud',
  'exp',
  'nbf',
  'iat',
  'jti',
  'scopes',
]);

/** A JWT payload's custom claims (everything not reserved), or null when there are none. */
export function customClaimsOf(payload: Record<string, unknown>): Record<string, unknown> | null {
  const custom = Object.entries(payload).filter(([name]) => !RESERVED_M2M_CLAIMS.has(name));
  return custom.length > 0 ? Object.fromEntries(custom) : null;
}
