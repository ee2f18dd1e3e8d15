import type { IncomingMessage, ServerResponse } from 'node:http';
import { newRequestId } from '../crypto/random.js';
import type { KeyServerLogger } from '../key-server/logger.js';
import type { Store } from '../store/store.js';
import { assertNoIssues } from '../validation/assert.js';
import type { ValidationIssue } from '../validation/issues.js';
import { invalid } from '../validation/schema.js';
import { readJsonBody } from './body.js';
import { discardBody, type DiscardLimits } from './discard.js';
import { ApiError } from '../api-error.js';
import { queryObject } from './query.js';
import type { RequestHandler } from './request-handler.js';
import { requestTarget } from './target.js';
import type { WireFormat } from './wire-format.js';

export interface PipelineOptions {
  store: Store;
  logger: KeyServerLogger;
  maxBodyBytes: number;
  /** How much of an unread body is thrown away, and for how long, before answering (see `discardBody`). */
  discard: DiscardLimits;
  clock: () => number;
}

/** Anything thrown that is not an answer is logged (its kind and message, never the request) and answered as a 500. */
function asApiError(error: unknown, logger: KeyServerLogger, requestId: string): ApiError {
  if (error instanceof ApiError) return error;
  logger.error('unexpected error', {
    requestId,
    error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
  });
  return new ApiError(500, 'UNEXPECTED_ERROR', 'The server failed to answer this request.');
}

/**
 * One request path for every wire format: request id, 503 while shutting down, routing and authentication (the
 * format's), query and body reading and validation, the operation, what is left of the body thrown away, and the
 * answer in the format's shape. Nothing throws out of the handler: every failure becomes an answer.
 */
export function createPipeline<Outcome>(format: WireFormat<Outcome>, options: PipelineOptions): RequestHandler {
  const { store, logger, maxBodyBytes, discard, clock } = options;

  async function handle(request: IncomingMessage, requestId: string): Promise<Outcome> {
    if (!store.db.open)
      throw new ApiError(503, 'SERVICE_UNAVAILABLE', 'The server is shutting down.', {
        headers: { 'Retry-After': '1' },
      });
    const target = requestTarget(request.url);
    const operation = format.prepare(request, target);
    const issues: ValidationIssue[] = [];
    const query = operation.query
      ? operation.query.read(queryObject(target.query, issues), 'query', issues)
      : undefined;
    const raw = operation.body
      ? await readJsonBody(request, { maxBytes: maxBodyBytes, optional: operation.body.optional ?? false })
      : undefined;
    const body = operation.body ? operation.body.schema.read(raw, 'body', issues) : undefined;
    if (query === invalid || body === invalid || issues.length > 0)
      assertNoIssues(issues.length > 0 ? issues : [{ location: 'body', message: 'is invalid' }]);
    return operation.run({ query, body, now: clock(), requestId });
  }

  function fail(request: IncomingMessage, response: ServerResponse, requestId: string, error: ApiError): void {
    try {
      format.fail(request, response, requestId, error);
    } catch (writeError) {
      // Last resort, so that a fault in an error writer never leaves the client waiting.
      logger.error('could not write an error answer', {
        requestId,
        error: writeError instanceof Error ? writeError.name : 'unknown',
      });
      if (!response.headersSent) response.writeHead(500, { 'Content-Type': 'text/plain', Connection: 'close' });
      response.end();
    }
  }

  function succeed(request: IncomingMessage, response: ServerResponse, requestId: string, outcome: Outcome): void {
    try {
      format.succeed(response, requestId, outcome);
    } catch (error) {
      fail(request, response, requestId, asApiError(error, logger, requestId));
    }
  }

  async function respond(request: IncomingMessage, response: ServerResponse, requestId: string): Promise<void> {
    let answer: () => void;
    try {
      const outcome = await handle(request, requestId);
      answer = () => succeed(request, response, requestId, outcome);
    } catch (error) {
      const failure = asApiError(error, logger, requestId);
      answer = () => fail(request, response, requestId, failure);
    }
    // Whatever the client is still sending is read first (bounded), so that the answer is not lost to a reset. A
    // body read whole (every verification's) needs no wait for that.
    const rest = request.complete ? 'read' : await discardBody(request, discard);
    if (rest !== 'read') response.setHeader('Connection', 'close');
    answer();
  }

  return (request, response) => {
    const requestId = newRequestId();
    format.begin?.(response, requestId);
    void respond(request, response, requestId);
  };
}
