import type { IncomingMessage, ServerResponse } from 'node:http';
import type { UnkeyPagination } from '@keyguard/unkey';
import type { ApiError } from '../api-error.js';
import { sendJson } from '../http/send-json.js';
import { declaredProblemJson } from './problem-json.js';

const JSON_TYPE = 'application/json; charset=utf-8';

/** Unkey's `pagination`, as `@keyguard/unkey` defines it. */
export type Pagination = UnkeyPagination;

/** `{meta:{requestId}, data, pagination?}` with status 200. */
export function sendData(response: ServerResponse, requestId: string, data: unknown, pagination?: Pagination): void {
  sendJson(response, 200, JSON_TYPE, { meta: { requestId }, data, ...(pagination ? { pagination } : {}) });
}

/**
 * `{meta:{requestId}, error:{title, detail, status, type, errors?}}`; problem+json when the client's Accept asks for it
 * or Unkey's OpenAPI document declares only that for this answer.
 */
export function sendError(
  request: IncomingMessage,
  response: ServerResponse,
  requestId: string,
  error: ApiError,
): void {
  const accept = request.headers.accept ?? '';
  const path = (request.url ?? '/').split('?')[0] ?? '/';
  const problem = declaredProblemJson(path, error.status) || /application\/problem\+json/i.test(accept);
  sendJson(
    response,
    error.status,
    problem ? 'application/problem+json' : JSON_TYPE,
    { meta: { requestId }, error: error.body() },
    error.headers,
  );
}
