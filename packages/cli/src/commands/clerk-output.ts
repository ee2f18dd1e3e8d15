import type { APIKey } from '@keyguard/clerk';
import { fields } from '../output.js';

const when = (ms: number | null): string | undefined => (ms === null ? undefined : new Date(ms).toISOString());

/** `valid`, `revoked (reason)` or `expired`. */
export function apiKeyStatus(key: APIKey): string {
  if (key.revoked) return key.revocationReason ? `revoked (${key.revocationReason})` : 'revoked';
  return key.expired ? 'expired' : 'valid';
}

/** An API key as `label: value` lines (never its secret: callers add it where it belongs). */
export function apiKeyFields(key: APIKey, extra: [string, unknown][] = []): string {
  return fields([
    ['id', key.id],
    ['name', key.name],
    ['subject', key.subject],
    ['status', apiKeyStatus(key)],
    ['scopes', key.scopes.length > 0 ? key.scopes.join(', ') : undefined],
    ['claims', key.claims === null ? undefined : key.claims],
    ['description', key.description ?? undefined],
    ['expires', when(key.expiration) ?? 'never'],
    ['created', when(key.createdAt)],
    ['last used', when(key.lastUsedAt)],
    ...extra,
  ]);
}

/** One line per key: id, status, name. */
export const apiKeyLine = (key: APIKey): string => [key.id, apiKeyStatus(key).padEnd(7), key.name].join('  ');
