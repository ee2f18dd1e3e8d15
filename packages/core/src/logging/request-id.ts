import { headerValue } from '../reading/header-value.js';
import type { HeaderBag } from '../types.js';

/** What a request id may look like before it goes into a log line: short, no spaces, no line breaks, no quotes. */
const REQUEST_ID = /^[\w.:@/+=-]{1,128}$/;

/**
 * The request's id for a log line: the framework's when it has one, else the `X-Request-Id` header a proxy or the
 * client set (kept only when it looks like an id, since the client controls it).
 */
export function requestIdOf(frameworkId: unknown, headers: HeaderBag): string | undefined {
  if (typeof frameworkId === 'string' || typeof frameworkId === 'number') return String(frameworkId);
  const header = headerValue(headers, 'x-request-id');
  const value = Array.isArray(header) ? header[0] : header;
  return value !== undefined && REQUEST_ID.test(value) ? value : undefined;
}
