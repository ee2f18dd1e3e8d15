import { isRecord } from '@keyguard/core/service';
import type { M2MToken, OAuthAccessToken } from './types.js';

const stringOrNull = (value: unknown): string | null => (typeof value === 'string' ? value : null);
const numberOrNull = (value: unknown): number | null =>
  typeof value === 'number' && Number.isFinite(value) ? value : null;
const strings = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];

/** Clerk's M2M token object, or undefined when the value is not one (no string `id` and `subject`). */
export function toM2MToken(value: unknown): M2MToken | undefined {
  if (!isRecord(value) || typeof value.id !== 'string' || typeof value.subject !== 'string') return undefined;
  return {
    id: value.id,
    subject: value.subject,
    scopes: strings(value.scopes),
    claims: value.claims ?? null,
    revoked: value.revoked === true,
    revocationReason: stringOrNull(value.revocation_reason),
    expired: value.expired === true,
    expiration: numberOrNull(value.expiration),
  };
}

/**
 * Clerk's OAuth access token object. Clerk answers `{active: false}` for an expired JWT access token: that is an
 * expired token without an id, not a malformed answer.
 */
export function toOAuthAccessToken(value: unknown): OAuthAccessToken | undefined {
  if (isRecord(value) && value.active === false) {
    return {
      id: '',
      clientId: '',
      subject: '',
      scopes: [],
      revoked: false,
      revocationReason: null,
      expired: true,
      expiration: null,
    };
  }
  if (!isRecord(value) || typeof value.id !== 'string' || typeof value.subject !== 'string') return undefined;
  return {
    id: value.id,
    clientId: typeof value.client_id === 'string' ? value.client_id : '',
    subject: value.subject,
    scopes: strings(value.scopes),
    revoked: value.revoked === true,
    revocationReason: stringOrNull(value.revocation_reason),
    expired: value.expired === true,
    expiration: numberOrNull(value.expiration),
  };
}

/** An M2M token id as one path segment. */
export const m2mTokenPath = (id: string, suffix = ''): string => `/m2m_tokens/${encodeURIComponent(id)}${suffix}`;
