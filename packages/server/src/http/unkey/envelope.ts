import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApiError } from '../errors.js';
import { sendJson } from '../send-json.js';

const JSON_TYPE = 'application/json; charset=utf-8';

export interface Pagination {
  cursor?: string;
  hasMore: boolean;
}

/** `{meta:{requestId}, data, pagination?}` with status 200. */
export function sendData(response: ServerResponse, requestId: string, data: unknown, pagination?: Pagination): void {
  sendJson(response, 200, JSON_TYPE, { meta: { requestId }, data, ...(pagination ? { pagination } : {}) });
}

/** `{meta:{requestId}, error:{title, detail, status, type, errors?}}`; problem+json when the client's Accept asks for it. */
export function sendError(request: IncomingMessage, response: ServerResponse, requestId: string, error: ApiError): void {
  const accept = request.headers.accept ?? '';
  // Unkey's OpenAPI document declares its 429 answers as application/problem+json only, and @unkey/api recognises a
  // 429 by that content type; other errors follow the client's Accept.
  const problem = error.status === 429 || /application\/problem\+json/i.test(accept);
  const contentType = problem ? 'application/problem+json' : JSON_TYPE;
  sendJson(response, error.status, contentType, { meta: { requestId }, error: error.body() }, error.headers);
}
