import { ApiConnection, connectionTuning } from '@keyguard/core/service';
import type { HttpResponse, Redact, RetryConfig, RetryPolicy, Runtime, TransportOptions } from '@keyguard/core/service';
import { readEnvelope, type Envelope } from './envelope.js';
import { UnkeyApiError } from './errors.js';

/** Where Unkey's API is, unless `baseUrl` says otherwise. */
export const DEFAULT_UNKEY_BASE_URL = 'https://api.unkey.com';

export interface UnkeyConnectionOptions extends TransportOptions {
  rootKey: string;
  baseUrl?: string;
  timeoutMs: number;
  retry?: RetryConfig | false;
  userAgent?: string;
}

/** How to read one operation's answer. */
export interface CallOptions {
  /** Secrets besides the root key to redact from anything the server echoes (a key being looked up). */
  secrets?: readonly string[];
  /** The operation answers `{meta}` alone (Unkey's `identities.deleteIdentity`): a missing `data` reads as `{}`. */
  noData?: boolean;
}

/** Sends one operation (`keys.getKey`) with its JSON body and reads the answer: the envelope, unwrapped. */
export type Call = <T>(
  operation: string,
  body: object,
  policy: RetryPolicy,
  options?: CallOptions,
) => Promise<Envelope<T>>;

/**
 * The one way this package talks to Unkey, shared by `UnkeyClient` and the `unkey()` provider: `POST /v2/<operation>`
 * with the root key as a bearer token, per-attempt deadlines, retries by the call's policy, and every failure an
 * `UnkeyApiError`.
 */
export function createUnkeyConnection(
  runtime: Runtime,
  options: UnkeyConnectionOptions,
): { call: Call; close(): Promise<void> } {
  const connection = new ApiConnection(runtime, {
    baseUrl: options.baseUrl ?? DEFAULT_UNKEY_BASE_URL,
    credential: options.rootKey,
    headers: { 'user-agent': options.userAgent ?? 'keyguard' },
    ...connectionTuning(options),
    isApiError: (error) => error instanceof UnkeyApiError,
    transportFailure: (operation, cause) =>
      new UnkeyApiError(
        cause.code === 'TRANSPORT_TIMEOUT'
          ? 'UNKEY_TIMEOUT'
          : cause.code === 'TRANSPORT_RESPONSE_TOO_LARGE'
            ? 'UNKEY_BAD_RESPONSE'
            : 'UNKEY_CONNECTION_FAILED',
        {
          operation,
          title: cause.code === 'TRANSPORT_RESPONSE_TOO_LARGE' ? 'Response too large' : 'No answer',
          detail: cause.message,
          cause,
        },
      ),
  });
  function call<T>(
    operation: string,
    body: object,
    policy: RetryPolicy,
    options: CallOptions = {},
  ): Promise<Envelope<T>> {
    return connection.send({
      operation,
      method: 'POST',
      path: `/v2/${operation}`,
      body,
      policy,
      secrets: options.secrets ?? [],
      read: (response: HttpResponse, redact: Redact) =>
        readEnvelope<T>(operation, response, redact, { noData: options.noData }),
    });
  }
  return { call, close: () => connection.close() };
}
