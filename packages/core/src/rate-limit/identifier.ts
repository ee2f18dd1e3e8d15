import { headerValue } from '../reading/header-value.js';
import { clientIp, type ProxyTrust } from './client-ip.js';
import type { IdentifierSource, RateLimitRequest } from './types.js';

/**
 * Longest identifier handed to a backend as is. Longer ones (a long header value, an app's own composite id) are
 * replaced by `sha256:` and their SHA-256 in hex: backends keep every identifier they count, and Unkey bounds their
 * length, so a client cannot make a counter's key as long as it likes. Two long identifiers only share a count if
 * SHA-256 collides.
 */
export const MAX_IDENTIFIER_LENGTH = 255;

function fromHeader(request: RateLimitRequest, name: string): string | undefined {
  const value = headerValue(request.headers, name);
  const first = Array.isArray(value) ? value[0] : value;
  const trimmed = first?.trim();
  return trimmed === undefined || trimmed === '' ? undefined : trimmed;
}

function nonEmpty(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** What one source yields for a request; undefined when it yields nothing. */
function fromSource(
  source: IdentifierSource,
  request: RateLimitRequest,
  trust: ProxyTrust,
): string | undefined | Promise<string | undefined> {
  if (source === 'ip') return clientIp(request.ip, request.headers, trust);
  if (source === 'apiKey') return nonEmpty(request.apiKey?.id);
  if (source === 'identity') return nonEmpty(request.apiKey?.identity?.externalId);
  if (typeof source === 'function') return source(request);
  return fromHeader(request, source.header);
}

async function sha256Hex(text: string): Promise<string> {
  const digest = await globalThis.crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, '0')).join('');
}

function capped(identifier: string): string | Promise<string> {
  return identifier.length <= MAX_IDENTIFIER_LENGTH ? identifier : sha256Hex(identifier).then((hex) => `sha256:${hex}`);
}

/**
 * Whom the request counts against: the first source that yields a non-empty string, capped in length; undefined
 * when none does (the request is then not limited). Synchronous unless a source function or the hashing of a long
 * identifier is not.
 */
export function resolveIdentifier(
  sources: readonly IdentifierSource[],
  request: RateLimitRequest,
  trust: ProxyTrust,
  from = 0,
): string | undefined | Promise<string | undefined> {
  for (let index = from; index < sources.length; index++) {
    const value = fromSource(sources[index]!, request, trust);
    if (value instanceof Promise) {
      return value.then((resolved) => {
        const identifier = nonEmpty(resolved);
        return identifier !== undefined ? capped(identifier) : resolveIdentifier(sources, request, trust, index + 1);
      });
    }
    const identifier = nonEmpty(value);
    if (identifier !== undefined) return capped(identifier);
  }
  return undefined;
}
