import { createKeyguard, createPermissionCheck } from '@keyguard/core';
import type {
  AuthenticationOutcome,
  DenialResponse,
  KeyguardOptions,
  Logger,
  PermissionCheckOptions,
  RequestGuard,
  VerifiedKey,
} from '@keyguard/core';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { mergedHeaders, writeDenial } from './write-denial.js';

declare global {
  // Express's own typing convention: augment its global namespace so `req.apiKey` is typed everywhere.
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      /** The verified API key; unset on `optional` routes called without a key. */
      apiKey?: VerifiedKey;
    }
  }
}

/** What `keyguard()` takes: `{ verifier, …adapter options }`, or the verifier's options to create one. */
export type KeyguardExpressOptions = KeyguardOptions;

/** The Express middleware `keyguard()` answers, with the guard behind it. */
export interface KeyguardMiddleware extends RequestHandler {
  /** The RequestGuard behind this middleware (its verifier, stats, close). */
  readonly keyguard: RequestGuard;
  /** A guard using this middleware's realm and `onDenied`. */
  requirePermissions(query: string): RequestHandler;
}

function guard(check: (apiKey: VerifiedKey | undefined) => DenialResponse | undefined): RequestHandler {
  return (request: Request, response: Response, next: NextFunction) => {
    const denial = check(request.apiKey);
    if (denial) writeDenial(response, denial);
    else next();
  };
}

/** What pino-http (and express-request-id) put on a request: its logger and its id. */
type RequestWithLog = Request & { log?: Logger; id?: string | number };

// Module-level rather than a closure per request: a cache hit allocates as little as possible.
function proceed(request: Request, response: Response, next: NextFunction, outcome: AuthenticationOutcome): void {
  if (!outcome.allowed) return writeDenial(response, outcome.denial);
  if (outcome.apiKey) request.apiKey = outcome.apiKey;
  if (outcome.headers) response.set(mergedHeaders(response, outcome.headers));
  next();
}

/**
 * Verifies the request's API key and sets `req.apiKey`; answers 400/401/403/429/503 per RFC 6750 and RFC 9457.
 *
 * @param options - A shared `verifier` (or the options to create one), and how keys are read and denials written.
 * @returns The middleware; its `keyguard` property is the RequestGuard behind it.
 * @throws ConfigurationError when the options are wrong (at start-up, never per request).
 *
 * @example
 * ```ts
 * import express from 'express';
 * import { createVerifier } from '@keyguard/core';
 * import { keyguard, requirePermissions } from '@keyguard/express';
 * import { unkey } from '@keyguard/unkey';
 *
 * const verifier = createVerifier({ provider: unkey({ rootKey: process.env.KEYGUARD_ROOT_KEY! }) });
 * const app = express();
 * const auth = keyguard({ verifier });
 *
 * app.get('/me', auth, (req, res) => {
 *   res.json({ id: req.apiKey!.id, permissions: req.apiKey!.permissions });
 * });
 * app.post('/documents', auth, requirePermissions('documents.write'), express.json(), (req, res) => {
 *   res.status(201).json(req.body);
 * });
 * ```
 */
export function keyguard(options: KeyguardExpressOptions): KeyguardMiddleware {
  const core = createKeyguard(options);
  const middleware = (request: Request, response: Response, next: NextFunction) => {
    const outcome = core.authenticate({
      headers: request.headers,
      rawHeaders: request.rawHeaders,
      url: request.originalUrl,
      logger: (request as RequestWithLog).log,
      requestId: (request as RequestWithLog).id,
    });
    if (outcome instanceof Promise) outcome.then((settled) => proceed(request, response, next, settled), next);
    else proceed(request, response, next, outcome);
  };
  return Object.assign(middleware, {
    keyguard: core,
    requirePermissions: (query: string) => guard(core.permissionCheck(query)),
  });
}

/**
 * Guards a route by a permission query such as `'docs.read AND (docs.write OR admin)'`, evaluated against
 * `req.apiKey.permissions`. The query is parsed now: a bad one throws at start-up, not per request.
 */
export function requirePermissions(query: string, options?: PermissionCheckOptions): RequestHandler {
  return guard(createPermissionCheck(query, options));
}

export { rateLimit } from './rate-limit.js';
export type { RateLimitExpressOptions, RateLimitMiddleware } from './rate-limit.js';
