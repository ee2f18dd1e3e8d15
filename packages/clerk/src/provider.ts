import { ConfigurationError, ProviderError } from '@keyguard/core';
import type { Provider, ProviderAnswer } from '@keyguard/core';
import { runtime as defaultRuntime } from '@keyguard/core/runtime';
import {
  DEFAULT_PROVIDER_TIMEOUT_MS,
  isRecord,
  loggableUrl,
  PROVIDER_RETRY_CONFIG,
  providerErrorFor,
} from '@keyguard/core/service';
import type { Runtime, TransportOptions } from '@keyguard/core/service';
import { createClerkConnection, DEFAULT_CLERK_BASE_URL } from './connection.js';
import { ClerkApiError } from './errors.js';
import type { APIKey } from './types.js';
import { toClerkAnswer } from './verification.js';
import { toAPIKey } from './wire.js';

/** What `clerk()` takes: the instance secret key, where Clerk is, and how to connect to it. */
export interface ClerkProviderOptions extends TransportOptions {
  /** Instance secret key (`sk_live_…`, `sk_test_…`). Never logged. */
  secretKey: string;
  /**
   * Default `https://api.clerk.com/v1`; point it at `keyguard serve` (`http://127.0.0.1:8787/v1`) to run offline.
   * @default 'https://api.clerk.com/v1'
   */
  baseUrl?: string;
  /**
   * Deadline for one verification (default 2 s).
   * @default 2_000
   */
  timeoutMs?: number;
  /**
   * Tokens without this prefix are rejected before any network call (default `ak_`, Clerk's; `false` accepts any).
   * @default 'ak_'
   */
  keyPrefix?: string | false;
}

/** Statuses with which Clerk says "this is not a valid API key" rather than "something went wrong". */
const KEY_REJECTED_STATUSES: ReadonlySet<number> = new Set([400, 404, 410, 422]);
const NO_BAD_REQUEST_STATUSES: ReadonlySet<number> = new Set();

/** Clerk's answer to a verification, with the trace id Clerk may put beside the APIKey. */
function parseVerification(body: unknown): { apiKey: APIKey; traceId?: string } | undefined {
  const apiKey = toAPIKey(body);
  if (!apiKey) return undefined;
  const traceId = isRecord(body) && typeof body.clerk_trace_id === 'string' ? body.clerk_trace_id : undefined;
  return { apiKey, traceId };
}

function providerErrorOf(error: ClerkApiError): ProviderError {
  // Clerk's own 404 names the missing resource in errors[]; a 404 without one came from another server or path.
  if (error.status === 404) {
    return new ProviderError(
      'PROVIDER_BAD_REQUEST',
      `clerk answered HTTP 404 without Clerk's errors[]: check baseUrl (Clerk's is ${DEFAULT_CLERK_BASE_URL}; keyguard serve's ends in /v1)`,
      { provider: 'clerk', status: 404, requestId: error.clerkTraceId },
    );
  }
  return providerErrorFor(
    'clerk',
    { status: error.status, retryAt: error.retryAt, requestId: error.clerkTraceId, cause: error.cause },
    NO_BAD_REQUEST_STATUSES,
  );
}

/**
 * Verifies Clerk API keys with `POST /api_keys/verify`, over the same connection code as `ClerkClient`. Clerk bills
 * per call, so the verifier's cache saves money; a verification is repeated only when it never left.
 *
 * @param options - The instance secret key, and optionally where Clerk is and how to connect.
 * @param runtime - How to reach the network; by default this build's own (Node, Bun or fetch).
 * @returns A provider for `createVerifier({ provider })` or an adapter's `keyguard({ provider })`.
 * @throws ConfigurationError when `secretKey` is missing or a transport option is wrong.
 *
 * @example
 * ```ts
 * import { clerk } from '@keyguard/clerk';
 * import { createVerifier } from '@keyguard/core';
 *
 * const verifier = createVerifier({ provider: clerk({ secretKey: process.env.CLERK_SECRET_KEY! }) });
 * const verification = await verifier.verify('ak_…');
 * if (verification.valid) console.log(verification.key.identity?.externalId);
 * ```
 */
export function clerk(options: ClerkProviderOptions, runtime: Runtime = defaultRuntime): Provider {
  if (typeof options?.secretKey !== 'string' || options.secretKey.length === 0) {
    throw new ConfigurationError('clerk({ secretKey }) needs the instance secret key');
  }
  const connection = createClerkConnection(runtime, {
    ...options,
    timeoutMs: options.timeoutMs ?? DEFAULT_PROVIDER_TIMEOUT_MS,
    retry: PROVIDER_RETRY_CONFIG,
  });

  return {
    name: 'clerk',
    endpoint: loggableUrl(options.baseUrl ?? DEFAULT_CLERK_BASE_URL),
    keyPrefix: options.keyPrefix === false ? undefined : (options.keyPrefix ?? 'ak_'),
    async verify(key: string): Promise<ProviderAnswer> {
      try {
        const { apiKey, traceId } = await connection.send({
          operation: 'apiKeys.verify',
          method: 'POST',
          path: '/api_keys/verify',
          body: { secret: key },
          policy: 'unsent-only',
          secrets: [key],
          parse: parseVerification,
        });
        return toClerkAnswer(apiKey, traceId);
      } catch (error) {
        if (!(error instanceof ClerkApiError)) throw error;
        if (error.status !== undefined && KEY_REJECTED_STATUSES.has(error.status) && error.errors.length > 0) {
          return { valid: false, code: 'NOT_FOUND', metered: false, requestId: error.clerkTraceId };
        }
        throw providerErrorOf(error);
      }
    },
    close: () => connection.close(),
  };
}
