import { ConfigurationError, ProviderError } from '@keyguard/core';
import type { Logger, Provider, ProviderAnswer, VerificationCost } from '@keyguard/core';
import { runtime as defaultRuntime } from '@keyguard/core/runtime';
import {
  DEFAULT_PROVIDER_TIMEOUT_MS,
  loggableUrl,
  PROVIDER_RETRY_CONFIG,
  providerErrorFor,
} from '@keyguard/core/service';
import type { Runtime, TransportOptions } from '@keyguard/core/service';
import { createUnkeyConnection, DEFAULT_UNKEY_BASE_URL } from './connection.js';
import { UnkeyApiError } from './errors.js';
import { rootKeyCheck } from './provider-root-key-check.js';
import { toProviderAnswer } from './verification.js';
import type { VerifyKeyRequest } from './wire.js';

/** What `unkey()` takes: the root key, where Unkey is, and how to connect to it. */
export interface UnkeyProviderOptions extends TransportOptions {
  /** Root key with `api.*.verify_key` (or `api.<id>.verify_key`). Never logged. */
  rootKey: string;
  /**
   * Default `https://api.unkey.com`; point it at `keyguard serve` to run offline.
   * @default 'https://api.unkey.com'
   */
  baseUrl?: string;
  /**
   * Deadline for one verification (default 2 s).
   * @default 2_000
   */
  timeoutMs?: number;
  /**
   * Where the one warning goes when the root key can do more than verify (known only against keyguard's local key
   * service; Unkey has no call that tells).
   * @default console
   */
  logger?: Logger;
  /**
   * `false`: do not ask the service what the root key may do (never asked of Unkey itself).
   * @default true
   */
  checkRootKey?: boolean;
}

/** Unkey answers these when our verification request itself is wrong (a bad permission query, an unknown limit). */
const BAD_REQUEST_STATUSES: ReadonlySet<number> = new Set([400, 412]);

/** The `keys.verifyKey` body: the key alone, or with what it spends (`credits.cost`, `ratelimits[].cost`). */
function verifyRequest(key: string, cost: VerificationCost | undefined): VerifyKeyRequest {
  if (!cost) return { key };
  const request: VerifyKeyRequest = { key, credits: { cost: cost.credits } };
  if (cost.ratelimits.length > 0)
    request.ratelimits = cost.ratelimits.map(({ name, cost: units }) => ({ name, cost: units }));
  return request;
}

/**
 * Verifies keys with Unkey's `POST /v2/keys.verifyKey` (or any server speaking its v2 wire format), over the same
 * connection code as `UnkeyClient`. A verification may spend a credit, so it is repeated only when it never left.
 *
 * @param options - The root key, and optionally where Unkey is and how to connect.
 * @param runtime - How to reach the network; by default this build's own (Node, Bun or fetch).
 * @returns A provider for `createVerifier({ provider })` or an adapter's `keyguard({ provider })`.
 * @throws ConfigurationError when `rootKey` is missing or a transport option is wrong.
 *
 * @example
 * ```ts
 * import { createVerifier } from '@keyguard/core';
 * import { unkey } from '@keyguard/unkey';
 *
 * const verifier = createVerifier({ provider: unkey({ rootKey: process.env.UNKEY_ROOT_KEY! }) });
 * const verification = await verifier.verify('sk_…');
 * if (verification.valid) console.log(verification.key.permissions);
 * ```
 */
export function unkey(options: UnkeyProviderOptions, runtime: Runtime = defaultRuntime): Provider {
  if (typeof options?.rootKey !== 'string' || options.rootKey.length === 0) {
    throw new ConfigurationError('unkey({ rootKey }) needs a root key');
  }
  const connection = createUnkeyConnection(runtime, {
    ...options,
    timeoutMs: options.timeoutMs ?? DEFAULT_PROVIDER_TIMEOUT_MS,
    retry: PROVIDER_RETRY_CONFIG,
  });
  const checkRootKeyOnce =
    options.checkRootKey === false
      ? () => undefined
      : rootKeyCheck(connection.call, options.baseUrl, options.logger ?? console);

  return {
    name: 'unkey',
    endpoint: loggableUrl(options.baseUrl ?? DEFAULT_UNKEY_BASE_URL),
    supportsCost: true,
    async verify(key: string, cost?: VerificationCost): Promise<ProviderAnswer> {
      let envelope;
      try {
        envelope = await connection.call<unknown>('keys.verifyKey', verifyRequest(key, cost), 'unsent-only', {
          secrets: [key],
        });
      } catch (error) {
        if (error instanceof UnkeyApiError) throw providerErrorFor('unkey', error, BAD_REQUEST_STATUSES);
        throw error;
      }
      // After an answer, so the check never delays or competes with the first verification.
      checkRootKeyOnce();
      const requestId = envelope.meta.requestId || undefined;
      const answer = toProviderAnswer(envelope.data, requestId);
      if (!answer)
        throw new ProviderError('PROVIDER_BAD_RESPONSE', 'unkey answered something that is not a verification', {
          provider: 'unkey',
          status: 200,
          requestId,
        });
      return answer;
    },
    close: () => connection.close(),
  };
}
