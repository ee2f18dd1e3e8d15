import { ProviderError } from '@keyguard/core';
import type { ProviderAnswer } from '@keyguard/core';
import { isRecord, providerErrorFor } from '@keyguard/core/service';
import type { ClerkSend } from '../connection.js';
import { DEFAULT_CLERK_BASE_URL } from '../connection.js';
import { ClerkApiError } from '../errors.js';

/** Statuses with which Clerk says "this is not a valid token" rather than "something went wrong". */
const TOKEN_REJECTED_STATUSES: ReadonlySet<number> = new Set([400, 404, 410, 422]);
const NO_BAD_REQUEST_STATUSES: ReadonlySet<number> = new Set();

/** Clerk's `clerk_trace_id` of an answer body, when it sent one. */
export const traceIdOf = (body: unknown): string | undefined =>
  isRecord(body) && typeof body.clerk_trace_id === 'string' ? body.clerk_trace_id : undefined;

export function providerErrorOf(error: ClerkApiError): ProviderError {
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

/** One opaque token's verification endpoint: where it is, what it is sent as, and how its answer reads. */
export interface OpaqueEndpoint {
  operation: string;
  path: string;
  /** The body field the token goes in (`secret`, `token`, `access_token`). */
  field: string;
  /** The provider answer for Clerk's 200 body, or undefined when the body is not the documented object. */
  answer(body: unknown, requestId: string | undefined): ProviderAnswer | undefined;
}

/**
 * Verifies one opaque token at its endpoint. Clerk's "unknown, revoked or expired" (a 4xx with Clerk's `errors[]`)
 * is an invalid answer; anything else that is not a 200 is a `ProviderError`. Repeated only when it never left,
 * since Clerk bills each verification.
 */
export async function verifyOpaque(send: ClerkSend, endpoint: OpaqueEndpoint, token: string): Promise<ProviderAnswer> {
  try {
    return await send({
      operation: endpoint.operation,
      method: 'POST',
      path: endpoint.path,
      body: { [endpoint.field]: token },
      policy: 'unsent-only',
      secrets: [token],
      parse: (body) => endpoint.answer(body, traceIdOf(body)),
    });
  } catch (error) {
    if (!(error instanceof ClerkApiError)) throw error;
    if (error.status !== undefined && TOKEN_REJECTED_STATUSES.has(error.status) && error.errors.length > 0) {
      return { valid: false, code: 'NOT_FOUND', metered: false, requestId: error.clerkTraceId };
    }
    throw providerErrorOf(error);
  }
}
