import { createVerifier } from '@keyguard/core';
import { unkey, type UnkeyProviderOptions } from '@keyguard/unkey';
import type { Verifier } from '@keyguard/core';

/**
 * Against the local key service (`keyguard serve`) by default; set UNKEY_ROOT_KEY alone to use Unkey itself.
 * Read on the first request, not at import: `next build` imports route modules without these variables.
 */
export function providerOptions(): UnkeyProviderOptions {
  const rootKey = process.env.KEYGUARD_ROOT_KEY ?? process.env.UNKEY_ROOT_KEY;
  if (!rootKey)
    throw new Error(
      'Set KEYGUARD_ROOT_KEY (and KEYGUARD_BASE_URL) for the local key service, or UNKEY_ROOT_KEY for Unkey.',
    );
  const baseUrl =
    process.env.KEYGUARD_BASE_URL ?? (process.env.KEYGUARD_ROOT_KEY ? 'http://127.0.0.1:8787' : undefined);
  return { rootKey, baseUrl };
}

// One verifier (one cache, one connection pool) per server process, shared by every route. Kept on globalThis
// so that `next dev` reloading this module does not create a new one on every edit.
const holder = globalThis as typeof globalThis & { keyguardVerifier?: Verifier };

export function verifier(): Verifier {
  holder.keyguardVerifier ??= createVerifier({ provider: unkey(providerOptions()) });
  return holder.keyguardVerifier;
}
