import { ApiConnection, connectionTuning } from '@keyguard/core/service';
import type { ApiCall, RetryConfig, Runtime, TransportOptions } from '@keyguard/core/service';
import { ClerkApiError } from './errors.js';
import { readClerkResponse } from './response.js';

/**
 * Clerk's Backend API server as its OpenAPI document names it. Clerk's generated SDKs call `/v1/api_keys…` under it;
 * `@clerk/backend` calls the same operations without the version segment. Both reach the same endpoints.
 */
export const DEFAULT_CLERK_BASE_URL = 'https://api.clerk.com/v1';
/** The API version `@clerk/backend` sends in `Clerk-API-Version`. */
export const CLERK_API_VERSION = '2026-05-12';

export interface ClerkConnectionOptions extends TransportOptions {
  secretKey: string;
  baseUrl?: string;
  timeoutMs: number;
  retry?: RetryConfig | false;
  userAgent?: string;
}

/** One call to the Backend API; `parse` turns the success body into the result (undefined: not what Clerk documents). */
export interface ClerkCall<T> extends Omit<ApiCall<T>, 'read'> {
  parse(body: unknown): T | undefined;
}

export type ClerkSend = <T>(call: ClerkCall<T>) => Promise<T>;

/**
 * The one way this package talks to Clerk, shared by `ClerkClient` and the `clerk()` provider: the secret key as a
 * bearer token, Clerk's API version header, per-attempt deadlines, retries by the call's policy, and every failure a
 * `ClerkApiError`.
 */
export function createClerkConnection(
  runtime: Runtime,
  options: ClerkConnectionOptions,
): { send: ClerkSend; close(): Promise<void> } {
  const connection = new ApiConnection(runtime, {
    baseUrl: options.baseUrl ?? DEFAULT_CLERK_BASE_URL,
    credential: options.secretKey,
    headers: { 'user-agent': options.userAgent ?? 'keyguard', 'clerk-api-version': CLERK_API_VERSION },
    ...connectionTuning(options),
    isApiError: (error) => error instanceof ClerkApiError,
    transportFailure: (operation, cause) =>
      new ClerkApiError(
        cause.code === 'TRANSPORT_TIMEOUT'
          ? 'CLERK_TIMEOUT'
          : cause.code === 'TRANSPORT_RESPONSE_TOO_LARGE'
            ? 'CLERK_BAD_RESPONSE'
            : 'CLERK_CONNECTION_FAILED',
        {
          operation,
          reason: cause.message,
          cause,
        },
      ),
  });
  function send<T>({ parse, ...call }: ClerkCall<T>): Promise<T> {
    return connection.send({
      ...call,
      read: (response, redact) => readClerkResponse(call.operation, response, redact, parse),
    });
  }
  return { send, close: () => connection.close() };
}
