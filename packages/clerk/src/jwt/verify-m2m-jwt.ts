import type { ProviderAnswer } from '@keyguard/core';
import { decodeJwt, decodeProtectedHeader, errors, jwtVerify, type JWTPayload } from 'jose';
import { toMachineAnswer } from '../machine/answers.js';
import type { JwksKeys } from './jwks-keys.js';

/** The header `cat` of Clerk's M2M JWTs (`JWT_CATEGORY_M2M_TOKEN` of `@clerk/backend`). */
const M2M_JWT_CATEGORY = 'cl_B7d4PD333AAA';
/** Claims that are the token's own, not custom claims (as `@clerk/backend`'s `M2MToken.fromJwtPayload` reads them). */
const RESERVED_CLAIMS: ReadonlySet<string> = new Set(['iss', 'sub', 'exp', 'nbf', 'iat', 'jti']);

/** What is checked beyond the signature and `exp`/`nbf`. */
export interface M2MJwtChecks {
  /** `iss` must be one of these, when given. */
  issuer?: string | string[];
  /** `aud` must hold one of these, when given: a machine's own `mch_…` id admits only tokens granted to it. */
  audience?: string | string[];
  /** Allowance for clocks that disagree, on `exp`, `nbf` and `iat`. */
  clockSkewMs: number;
}

const rejected = (code: 'NOT_FOUND' | 'EXPIRED', keyId?: string): ProviderAnswer => ({
  valid: false,
  code,
  metered: false,
  keyId,
});

function scopesOf(payload: JWTPayload): string[] {
  if (typeof payload.scopes === 'string') return payload.scopes.split(' ').filter(Boolean);
  if (typeof payload.aud === 'string') return [payload.aud];
  return Array.isArray(payload.aud) ? payload.aud : [];
}

function answerOf(payload: JWTPayload, skewMs: number): ProviderAnswer {
  const now = Date.now();
  if (typeof payload.iat === 'number' && payload.iat * 1000 > now + skewMs) return rejected('NOT_FOUND', payload.jti);
  const claims = Object.fromEntries(Object.entries(payload).filter(([name]) => !RESERVED_CLAIMS.has(name)));
  delete claims.aud;
  delete claims.scopes;
  return toMachineAnswer(
    {
      kind: 'm2m_token',
      id: payload.jti ?? '',
      subject: payload.sub ?? '',
      scopes: scopesOf(payload),
      claims,
      revoked: false,
      expired: false,
      expiration: (payload.exp ?? 0) * 1000,
    },
    undefined,
    now - skewMs,
  );
}

/** The `jti` of a token whose signature verified but whose time is up, for `keyId`. */
function unverifiedId(token: string): string | undefined {
  try {
    const { jti } = decodeJwt(token);
    return typeof jti === 'string' ? jti : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Verifies an M2M JWT locally, as `@clerk/backend`'s `verifyM2MJwt` does: RS256 with a `kid` of the instance JWKS,
 * Clerk's M2M `cat` when present, `exp` (required), `nbf` and `iat` within the skew, and `iss`/`aud` when configured.
 * No call, no charge, and no revocation: a revoked JWT stays valid until `exp`.
 */
export function createM2MJwtVerifier(keys: JwksKeys, checks: M2MJwtChecks): (token: string) => Promise<ProviderAnswer> {
  return async (token) => {
    let header: ReturnType<typeof decodeProtectedHeader>;
    try {
      header = decodeProtectedHeader(token);
    } catch {
      return rejected('NOT_FOUND');
    }
    const categoryOk = header.cat === undefined || header.cat === M2M_JWT_CATEGORY;
    if (header.alg !== 'RS256' || typeof header.kid !== 'string' || !categoryOk) return rejected('NOT_FOUND');
    if (header.typ !== undefined && header.typ !== 'JWT') return rejected('NOT_FOUND');
    const key = await keys.keyFor(header.kid);
    if (!key) return rejected('NOT_FOUND');
    try {
      const { payload } = await jwtVerify(token, key, {
        algorithms: ['RS256'],
        issuer: checks.issuer,
        audience: checks.audience,
        clockTolerance: checks.clockSkewMs / 1000,
        requiredClaims: ['exp', 'sub'],
      });
      return answerOf(payload, checks.clockSkewMs);
    } catch (error) {
      // jose checks the signature before the claims: an expired token's `jti` is Clerk's, not made up.
      return error instanceof errors.JWTExpired ? rejected('EXPIRED', unverifiedId(token)) : rejected('NOT_FOUND');
    }
  };
}
