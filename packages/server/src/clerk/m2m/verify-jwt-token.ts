import type { Store } from '../../store/store.js';
import { customClaimsOf, M2M_JWT_CATEGORY } from './claims.js';
import { decodeJwt, hasValidSignature } from './jwt.js';
import { publicJwks } from './signing-key.js';
import type { M2MTokenObject } from './token-object.js';

const scopesOf = (payload: Record<string, unknown>): string[] => {
  if (typeof payload.scopes === 'string') return payload.scopes.split(' ').filter((scope) => scope !== '');
  return Array.isArray(payload.aud) ? payload.aud.filter((scope): scope is string => typeof scope === 'string') : [];
};

/**
 * The M2M token a JWT of this workspace stands for, or undefined when it is not one: not an M2M JWT, signed by a key
 * the workspace does not list, or expired at `now`. JWTs are never stored, so one cannot be revoked.
 */
export function verifyM2MJwt(
  store: Store,
  workspaceId: string,
  token: string,
  now: number,
): M2MTokenObject | undefined {
  const decoded = decodeJwt(token);
  if (!decoded) return undefined;
  const { header, payload } = decoded;
  if (header.alg !== 'RS256' || (header.cat !== undefined && header.cat !== M2M_JWT_CATEGORY)) return undefined;
  const { sub, exp, iat, jti } = payload;
  if (typeof sub !== 'string' || !sub.startsWith('mch_') || typeof exp !== 'number' || exp * 1000 <= now)
    return undefined;
  const jwk = publicJwks(store, workspaceId).find((key) => key.kid === header.kid);
  if (!jwk || !hasValidSignature(token, { ...jwk })) return undefined;
  const issuedAt = typeof iat === 'number' ? iat * 1000 : now;
  return {
    object: 'machine_to_machine_token',
    id: typeof jti === 'string' ? jti : '',
    subject: sub,
    scopes: scopesOf(payload),
    claims: customClaimsOf(payload),
    revoked: false,
    revocation_reason: null,
    expired: false,
    expiration: exp * 1000,
    last_used_at: null,
    created_at: issuedAt,
    updated_at: issuedAt,
  };
}
