import { createKeyguard, createPermissionCheck } from '@keyguard/core';
import type {
  AuthenticationOutcome,
  DenialResponse,
  Keyguard,
  KeyguardOptions,
  Logger,
  PermissionCheckOptions,
  VerifiedKey,
} from '@keyguard/core';
import type { NextFunction, Request, RequestHandler, Response } from 'express';

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

export type KeyguardExpressOptions = KeyguardOptions;

export interface KeyguardMiddleware extends RequestHandler {
  /** The framework-free core this middleware wraps (its verifier, stats, close). */
  readonly keyguard: Keyguard;
  /** A guard using this middleware's realm and `onDenied`. */
  requirePermissions(query: string): RequestHandler;
}

function writeDenial(response: Response, denial: DenialResponse): void {
  response.status(denial.status).set(denial.headers).send(JSON.stringify(denial.body));
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
  if (outcome.headers) response.set(outcome.headers);
  next();
}

/** Verifies the request's API key and sets `req.apiKey`; answers 400/401/403/429/503 per RFC 6750 and RFC 9457. */
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
