import { createPublicKey, sign, verify, type JsonWebKey, type KeyObject } from 'node:crypto';

/**
 * RS256 JWTs (RFC 7519, RSASSA-PKCS1-v1_5 with SHA-256 as RFC 7518 §3.3 defines it) with node:crypto, whose `sign`
 * is synchronous: operations run inside one synchronous SQLite transaction, and an asynchronous signer (jose's) cannot.
 */

const encode = (value: unknown): string => Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');

export function signJwt(header: Record<string, unknown>, payload: Record<string, unknown>, key: KeyObject): string {
  const input = `${encode({ ...header, alg: 'RS256' })}.${encode(payload)}`;
  return `${input}.${sign('sha256', Buffer.from(input, 'ascii'), key).toString('base64url')}`;
}

export interface DecodedJwt {
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
}

const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

const decodePart = (part: string): Record<string, unknown> | undefined => {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
};

/** Whether `token` has the shape of a JWT (three base64url parts), as `@clerk/backend` tells JWTs from opaque tokens. */
export const looksLikeJwt = (token: string): boolean => JWT_SHAPE.test(token);

/** Header and payload, or undefined when `token` is not a decodable JWT. Says nothing about the signature. */
export function decodeJwt(token: string): DecodedJwt | undefined {
  if (!looksLikeJwt(token)) return undefined;
  const [header, payload] = token.split('.').map(decodePart);
  return header && payload ? { header, payload } : undefined;
}

/** Whether the RS256 signature of `token` verifies with this public JWK. */
export function hasValidSignature(token: string, jwk: JsonWebKey): boolean {
  const last = token.lastIndexOf('.');
  try {
    const key = createPublicKey({ key: jwk, format: 'jwk' });
    return verify(
      'sha256',
      Buffer.from(token.slice(0, last), 'ascii'),
      key,
      Buffer.from(token.slice(last + 1), 'base64url'),
    );
  } catch {
    return false;
  }
}
