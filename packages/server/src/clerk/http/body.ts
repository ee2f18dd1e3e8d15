import type { IncomingMessage } from 'node:http';
import { readJsonBody } from '../../http/body.js';

/** Whether the request carries no body at all (no length, or length 0, and not chunked). */
const hasNoBody = (request: IncomingMessage): boolean =>
  request.headers['transfer-encoding'] === undefined && (request.headers['content-length'] === undefined || request.headers['content-length'] === '0');

/**
 * The JSON body of a `/v1` request. When `optional`, a request without any body reads as `{}` (revoke and update
 * may be sent bare); a body that is there must be JSON, as everywhere else.
 */
export async function readClerkBody(request: IncomingMessage, maxBytes: number, optional: boolean): Promise<unknown> {
  if (optional && hasNoBody(request)) return {};
  return readJsonBody(request, maxBytes);
}
