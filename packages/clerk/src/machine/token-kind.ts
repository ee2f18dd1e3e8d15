import { decodeJwt } from 'jose';

/**
 * The machine tokens Clerk issues, named as `@clerk/backend`'s `acceptsToken` names them
 * (https://clerk.com/docs/guides/development/machine-auth/overview).
 */
export type ClerkTokenKind = 'api_key' | 'm2m_token' | 'oauth_token';

/** Every kind `clerk()` verifies, in the order its README lists them. */
export const CLERK_TOKEN_KINDS: readonly ClerkTokenKind[] = Object.freeze(['api_key', 'm2m_token', 'oauth_token']);

/** A token's kind, and whether it is verified by a call (opaque) or locally (an M2M JWT). */
export interface ClassifiedToken {
  kind: ClerkTokenKind;
  format: 'opaque' | 'jwt';
}

// Clerk's prefixes (`tokens/machine.ts` of @clerk/backend): the kind is known before any call.
const PREFIXES: readonly (readonly [string, ClerkTokenKind])[] = [
  ['ak_', 'api_key'],
  ['mt_', 'm2m_token'],
  ['oat_', 'oauth_token'],
];
const JWT_FORMAT = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
/** The `sub` of an M2M JWT is the machine that made it. */
const MACHINE_SUBJECT_PREFIX = 'mch_';

/** Whether the payload names a machine as its subject, as @clerk/backend tells an M2M JWT (the signature is not checked here). */
function isM2MJwt(token: string): boolean {
  if (!JWT_FORMAT.test(token)) return false;
  try {
    const { sub } = decodeJwt(token);
    return typeof sub === 'string' && sub.startsWith(MACHINE_SUBJECT_PREFIX);
  } catch {
    return false;
  }
}

/** Which of Clerk's machine tokens `token` is by its form, or undefined when it is none of them. */
export function classifyToken(token: string): ClassifiedToken | undefined {
  for (const [prefix, kind] of PREFIXES) if (token.startsWith(prefix)) return { kind, format: 'opaque' };
  return isM2MJwt(token) ? { kind: 'm2m_token', format: 'jwt' } : undefined;
}
