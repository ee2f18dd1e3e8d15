import type { IncomingMessage, ServerResponse } from 'node:http';
import { authenticateClerk } from '../../auth/clerk-secret-key.js';
import type { KeyVault } from '../../crypto/encryption.js';
import { newRequestId } from '../../crypto/random.js';
import { sendJson } from '../../http/envelope.js';
import { ApiError } from '../../http/errors.js';
import type { RequestHandler } from '../../http/handler.js';
import { settle } from '../../http/settle.js';
import type { KeyServerLogger } from '../../server/logger.js';
import type { Store } from '../../store/store.js';
import { assertNoIssues } from '../../validation/assert.js';
import type { ValidationIssue } from '../../validation/issues.js';
import { invalid } from '../../validation/schema.js';
import { readClerkBody } from './body.js';
import { clerkErrorBody } from './errors.js';
import { queryObject } from './query.js';
import type { ClerkRouter } from './router.js';

export interface ClerkHandlerOptions {
  store: Store;
  router: ClerkRouter;
  vault: KeyVault;
  logger: KeyServerLogger;
  maxBodyBytes: number;
  clock: () => number;
}

const JSON_TYPE = 'application/json; charset=utf-8';

/**
 * Clerk's Backend API for API keys (`/v1/api_keys…`) as a plain `(req, res)` handler: routing, secret-key
 * authentication, query and body validation, the operation, and Clerk's JSON and error format. Nothing throws.
 */
export function createClerkRequestHandler(options: ClerkHandlerOptions): RequestHandler {
  const { store, router, vault, logger, maxBodyBytes, clock } = options;

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (!store.db.open) throw new ApiError(503, 'UNEXPECTED_ERROR', 'The server is shutting down.', { headers: { 'Retry-After': '1' } });
    const url = new URL(request.url ?? '/', 'http://localhost');
    const { operation, id } = router.match(request.method ?? 'GET', url.pathname);
    const workspaceId = authenticateClerk(request, store);
    const issues: ValidationIssue[] = [];
    const query = operation.query.read(queryObject(url.searchParams, issues), 'query', issues);
    const raw = operation.body ? await readClerkBody(request, maxBodyBytes, operation.body.optional ?? false) : undefined;
    const body = operation.body ? operation.body.schema.read(raw, 'body', issues) : undefined;
    if (query === invalid || body === invalid || issues.length > 0) assertNoIssues(issues.length > 0 ? issues : [{ location: 'body', message: 'is invalid' }]);
    const data = operation.handle({ store, workspaceId, now: clock(), vault, logger }, { id, query, body });
    sendJson(response, 200, JSON_TYPE, data);
  }

  return (request, response) => {
    const traceId = newRequestId();
    settle(handle(request, response), logger, traceId, (error) => sendJson(response, error.status, JSON_TYPE, clerkErrorBody(error, traceId), error.headers));
  };
}
