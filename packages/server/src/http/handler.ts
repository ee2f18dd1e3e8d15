import type { IncomingMessage, ServerResponse } from 'node:http';
import { authenticate } from '../auth/root-key.js';
import type { KeyVault } from '../crypto/encryption.js';
import { newRequestId } from '../crypto/random.js';
import type { KeyServerLogger } from '../server/logger.js';
import type { Store } from '../store/store.js';
import { assertNoIssues } from '../validation/assert.js';
import type { ValidationIssue } from '../validation/issues.js';
import { invalid } from '../validation/schema.js';
import { readJsonBody } from './body.js';
import { sendData, sendError } from './envelope.js';
import { ApiError } from './errors.js';
import type { Router } from './router.js';
import { settle } from './settle.js';

export interface HandlerOptions {
  store: Store;
  router: Router;
  vault: KeyVault;
  logger: KeyServerLogger;
  maxBodyBytes: number;
  clock: () => number;
}

export type RequestHandler = (request: IncomingMessage, response: ServerResponse) => void;

/**
 * The whole HTTP surface as a plain `(req, res)` handler: routing, root-key authentication, body reading and
 * validation, the endpoint, and the envelope. Every failure becomes an answer in the error envelope; nothing throws.
 */
export function createRequestHandler(options: HandlerOptions): RequestHandler {
  const { store, router, vault, logger, maxBodyBytes, clock } = options;

  async function handle(request: IncomingMessage, response: ServerResponse, requestId: string): Promise<void> {
    if (!store.db.open) throw new ApiError(503, 'UNEXPECTED_ERROR', 'The server is shutting down.', { headers: { 'Retry-After': '1' } });
    const path = (request.url ?? '/').split('?')[0] ?? '/';
    const route = router.route(path);
    if (route.kind === 'liveness') {
      if (request.method !== 'GET' && request.method !== 'HEAD') {
        throw new ApiError(405, 'METHOD_NOT_ALLOWED', 'Use GET for /v2/liveness.', { headers: { Allow: 'GET, HEAD' } });
      }
      sendData(response, requestId, { message: 'OK' });
      return;
    }
    if (route.kind === 'unknown') throw new ApiError(404, 'ROUTE_NOT_FOUND', `There is no operation at ${path}.`);
    if (request.method !== 'POST') {
      throw new ApiError(405, 'METHOD_NOT_ALLOWED', `Use POST for ${path}.`, { headers: { Allow: 'POST' } });
    }
    const rootKey = authenticate(request, store);
    const raw = await readJsonBody(request, maxBodyBytes);
    const issues: ValidationIssue[] = [];
    const body = route.endpoint.body.read(raw, 'body', issues);
    if (body === invalid) {
      assertNoIssues(issues.length > 0 ? issues : [{ location: 'body', message: 'is invalid' }]);
      return;
    }
    const result = route.endpoint.handle({ store, rootKey, requestId, now: clock(), vault, logger }, body);
    sendData(response, requestId, result.data, result.pagination);
  }

  return (request, response) => {
    const requestId = newRequestId();
    response.setHeader('Unkey-Request-Id', requestId);
    settle(handle(request, response, requestId), logger, requestId, (error) => sendError(request, response, requestId, error));
  };
}
