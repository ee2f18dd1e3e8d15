import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApiError } from './errors.js';

export interface Pagination {
  cursor?: string;
  hasMore: boolean;
}

/** Writes `body` as JSON with this status (nothing more when headers were already sent). */
export function sendJson(response: ServerResponse, status: number, contentType: string, body: unknown, headers: Record<string, string> = {}): void {
  if (response.headersSent) {
    response.end();
    return;
  }
  const text = JSON.stringify(body);
  response.writeHead(status, {
    ...headers,
    'Content-Type': contentType,
    'Content-Length': String(Buffer.byteLength(text)),
    'Cache-Control': 'no-store',
  });
  response.end(text);
}

/** `{meta:{requestId}, data, pagination?}` with status 200. */
export function sendData(response: ServerResponse, requestId: string, data: unknown, pagination?: Pagination): void {
  sendJson(response, 200, 'application/json; charset=utf-8', { meta: { requestId }, data, ...(pagination ? { pagination } : {}) });
}

/** `{meta:{requestId}, error:{title, detail, status, type, errors?}}`; problem+json when the client's Accept asks for it. */
export function sendError(request: IncomingMessage, response: ServerResponse, requestId: string, error: ApiError): void {
  const accept = request.headers.accept ?? '';
  const contentType = /application\/problem\+json/i.test(accept) ? 'application/problem+json' : 'application/json; charset=utf-8';
  sendJson(response, error.status, contentType, { meta: { requestId }, error: error.body() }, error.headers);
}
