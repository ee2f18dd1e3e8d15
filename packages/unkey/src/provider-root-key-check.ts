import type { Logger } from '@keyguard/core';
import type { Call } from './connection.js';
import { DEFAULT_UNKEY_BASE_URL } from './connection.js';

/** Permissions a verifier needs; anything else a leaked root key could be used for. */
const isVerifyOnly = (permission: string): boolean => /^api\.[^.]+\.verify_key$/.test(permission);

/**
 * Once per provider, after its first verification: asks the service what the root key may do and warns (once, never
 * the key) when it may do more than verify. Only keyguard's local key service can say (`keyguard.getRootKey`);
 * Unkey's API v2 has no call that reads a root key's own permissions, so against Unkey nothing is asked. Any failure
 * (an older server, a fake, a 404) is silence: this is advice, never a reason to fail a request.
 */
export function rootKeyCheck(call: Call, baseUrl: string | undefined, logger: Logger): () => void {
  let checked = (baseUrl ?? DEFAULT_UNKEY_BASE_URL).replace(/\/+$/, '') === DEFAULT_UNKEY_BASE_URL;
  return () => {
    if (checked) return;
    checked = true;
    call<{ permissions?: unknown }>('keyguard.getRootKey', {}, 'unsent-only').then(
      ({ data }) => {
        const permissions = Array.isArray(data.permissions) ? data.permissions.map(String) : [];
        const extra = permissions.filter((permission) => !isVerifyOnly(permission));
        if (extra.length === 0) return;
        const shown =
          extra.length > 3 ? `${extra.slice(0, 3).join(', ')} and ${extra.length - 3} more` : extra.join(', ');
        logger.warn(
          `keyguard: the unkey provider's root key can do more than verify keys (${shown}); an app needs only api.<apiId>.verify_key: \`keyguard root-keys create --permission api.<apiId>.verify_key\``,
          { provider: 'unkey', extraPermissions: extra.length },
        );
      },
      () => undefined,
    );
  };
}
