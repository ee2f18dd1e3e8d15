import { isRecord, parseJsonObject, parseRetryAfter, redactJson } from '@keyguard/core/service';
import type { HttpResponse, Redact } from '@keyguard/core/service';
import { ClerkApiError, clerkErrorCode, type ClerkErrorItem } from './errors.js';

const text = (value: unknown, redact: Redact): string => (typeof value === 'string' ? redact(value) : '');
const camelCase = (name: string): string =>
  name.replace(/_([a-z0-9])/g, (_match, letter: string) => letter.toUpperCase());

function errorMeta(value: unknown, redact: Redact): Record<string, unknown> | undefined {
  if (!isRecord(value)) return undefined;
  const redacted = redactJson(value, redact) as Record<string, unknown>;
  return Object.fromEntries(Object.entries(redacted).map(([name, item]) => [camelCase(name), item]));
}

function errorItems(value: unknown, redact: Redact): ClerkErrorItem[] {
  if (!Array.isArray(value)) return [];
  const items: ClerkErrorItem[] = [];
  for (const item of value) {
    if (!isRecord(item)) continue;
    const meta = errorMeta(item.meta, redact);
    items.push({
      code: text(item.code, redact),
      message: text(item.message, redact),
      longMessage: text(item.long_message, redact),
      ...(meta === undefined ? {} : { meta }),
    });
  }
  return items;
}

/**
 * Reads a Clerk answer: `parse` turns a success body into the operation's result, or throws the error the response
 * describes. An error status keeps its class even when the body is not JSON (a proxy's HTML 502 is still a server
 * error); a success that `parse` rejects is `CLERK_BAD_RESPONSE`. Every text taken from the body goes through `redact`.
 */
export function readClerkResponse<T>(
  operation: string,
  response: HttpResponse,
  redact: Redact,
  parse: (body: unknown) => T | undefined,
): T {
  const body = parseJsonObject(response.body);
  const clerkTraceId = typeof body?.clerk_trace_id === 'string' ? redact(body.clerk_trace_id) : undefined;
  const { status } = response;

  if (status >= 200 && status < 300) {
    const result = body === undefined ? undefined : parse(body);
    if (result === undefined) {
      throw new ClerkApiError('CLERK_BAD_RESPONSE', {
        operation,
        status,
        clerkTraceId,
        reason: 'the response is not the object Clerk documents',
      });
    }
    return result;
  }

  const errors = errorItems(body?.errors, redact);
  // A 404 without Clerk's errors[] is almost always a base URL that reaches another server or path.
  const hint =
    status === 404 && errors.length === 0
      ? " (is baseUrl right? Clerk's is https://api.clerk.com/v1, keyguard serve's ends in /v1)"
      : '';
  throw new ClerkApiError(clerkErrorCode(status), {
    operation,
    status,
    clerkTraceId,
    errors,
    reason: (body ? 'no errors[] in the body' : 'the response carries no Clerk error body') + hint,
    retryAt: status === 429 || status >= 500 ? parseRetryAfter(response.headers['retry-after']) : undefined,
  });
}
