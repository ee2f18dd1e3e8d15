import type { IncomingMessage, ServerResponse } from 'node:http';
import { hashKey } from '../crypto/hash.js';
import { readBearer } from '../http/bearer.js';
import type { Store } from '../store/store.js';
import type { RootKeyRecord } from '../store/types.js';
import { SECURITY_HEADERS } from './headers.js';

/** A plain-text answer of the dashboard's own routes, never cached. */
export function sendText(
  response: ServerResponse,
  status: number,
  text: string,
  headers: Record<string, string> = {},
): void {
  response.writeHead(status, {
    ...SECURITY_HEADERS,
    ...headers,
    'Content-Type': 'text/plain; charset=utf-8',
    'Cache-Control': 'no-store',
  });
  response.end(`${text}\n`);
}

/**
 * The root key of a request to `<path>/events` or `<path>/history`, from its Authorization header only (a key in a
 * URL would reach logs and browser history). Answers 401 and undefined when it is missing or unknown; the answer
 * never repeats what was sent.
 */
export function authenticateRootKey(
  request: IncomingMessage,
  response: ServerResponse,
  store: Store,
  what: string,
): { rootKey: RootKeyRecord; rootKeyHash: string } | undefined {
  const bearer = readBearer(request);
  if (bearer.kind !== 'token') {
    sendText(response, 401, `Send Authorization: Bearer <root key> for ${what}.`, { 'WWW-Authenticate': 'Bearer' });
    return undefined;
  }
  const rootKeyHash = hashKey(bearer.token);
  const rootKey = store.rootKeys.findByHash(rootKeyHash);
  if (!rootKey) {
    sendText(response, 401, 'The root key is unknown or was revoked.', { 'WWW-Authenticate': 'Bearer' });
    return undefined;
  }
  return { rootKey, rootKeyHash };
}
