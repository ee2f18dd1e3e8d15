import { ProviderError } from '@keyguard/core';
import type { Provider, ProviderAnswer } from '@keyguard/core';

/** A key of the hand-written provider: its id and permissions. */
export interface InMemoryKey {
  id: string;
  permissions: string[];
}

/** The key with which the in-memory provider plays a key service that is down. */
export const UNAVAILABLE_KEY = 'sk_custom_unavailable_000';

/**
 * A provider as a user would write one for their own key store: a plain object with `name` and `verify`, no keyguard
 * package besides core. Used to show that every adapter works with a custom provider, not only Unkey and Clerk.
 */
export function inMemoryProvider(keys: Readonly<Record<string, InMemoryKey>>): Provider {
  return {
    name: 'in-memory',
    keyPrefix: 'sk_custom_',
    async verify(key): Promise<ProviderAnswer> {
      if (key === UNAVAILABLE_KEY)
        throw new ProviderError('PROVIDER_SERVER_ERROR', 'the key store is down', {
          provider: 'in-memory',
          retryAt: Date.now() + 7_000,
        });
      const found = Object.hasOwn(keys, key) ? keys[key] : undefined;
      if (!found) return { valid: false, code: 'NOT_FOUND', metered: false };
      return {
        valid: true,
        code: 'VALID',
        metered: false,
        keyId: found.id,
        key: {
          id: found.id,
          provider: 'in-memory',
          permissions: found.permissions,
          roles: [],
          meta: {},
          enabled: true,
        },
      };
    },
  };
}
