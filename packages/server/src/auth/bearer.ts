import type { IncomingMessage } from 'node:http';

const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i;

export type BearerToken = { kind: 'missing' } | { kind: 'malformed' } | { kind: 'token'; token: string };

/** The token of `Authorization: Bearer <token>` (RFC 6750 b64token, at most 512 characters), or why there is none. */
export function bearerToken(request: IncomingMessage): BearerToken {
  const header = request.headers.authorization;
  if (header === undefined || header.trim() === '') return { kind: 'missing' };
  const match = BEARER.exec(header);
  if (!match?.[1] || match[1].length > 512) return { kind: 'malformed' };
  return { kind: 'token', token: match[1] };
}
