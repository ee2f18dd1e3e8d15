// Imports `@keyguard/core` only: its package exports pick the fetch build (no Node built-ins) under the
// workerd / worker / edge-light / browser conditions, and the Node build elsewhere.
import { createKeyguard, createPermissionCheck } from '@keyguard/core';
import type { AuthenticationOutcome, DenialResponse, HeaderBag, Keyguard, KeyguardOptions, PermissionCheck, PermissionCheckOptions, VerifiedKey } from '@keyguard/core';
import type { Context, MiddlewareHandler } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

/** The context variables keyguard sets. */
export interface KeyguardVariables {
  /** The verified API key; unset on `optional` routes called without a key (and under `fail-open`). */
  apiKey?: VerifiedKey;
}

/** Hono `Env` of keyguard's middlewares: `c.get('apiKey')` and `c.var.apiKey` are typed through it. */
export interface KeyguardEnv {
  Variables: KeyguardVariables;
}

export type KeyguardHonoOptions = KeyguardOptions;

export interface KeyguardMiddleware extends MiddlewareHandler<KeyguardEnv> {
  /** The framework-free core this middleware wraps (its verifier, stats, close). */
  readonly keyguard: Keyguard;
  /** A guard using this middleware's realm and `onDenied`. */
  requirePermissions(query: string): MiddlewareHandler<KeyguardEnv>;
}

function denialResponse(c: Context, denial: DenialResponse): Response {
  return c.body(JSON.stringify(denial.body), denial.status as ContentfulStatusCode, denial.headers);
}

function guard(check: PermissionCheck): MiddlewareHandler<KeyguardEnv> {
  return async (c, next) => {
    const denial = check(c.get('apiKey'));
    if (denial) return denialResponse(c, denial);
    await next();
  };
}

/**
 * On @hono/node-server the Node request's own header record is at hand: reading it avoids building a fetch
 * `Headers` object per request (the costliest part of a cached verification). Elsewhere, the Request's headers.
 */
function requestHeaders(c: Context<KeyguardEnv>): HeaderBag {
  const incoming = (c.env as { incoming?: { headers?: Record<string, string | string[] | undefined> } } | undefined)?.incoming;
  return incoming?.headers ?? c.req.raw.headers;
}

/** Verifies the request's API key and sets `c.get('apiKey')`; answers 400/401/403/429/503 per RFC 6750 and RFC 9457. */
export function keyguard(options: KeyguardHonoOptions): KeyguardMiddleware {
  const core = createKeyguard(options);
  // Not an async function: a cache hit (answered synchronously by core) goes straight on to `next()`.
  const middleware: MiddlewareHandler<KeyguardEnv> = (c, next) => {
    const proceed = (outcome: AuthenticationOutcome): Promise<Response | void> => {
      if (!outcome.allowed) return Promise.resolve(denialResponse(c, outcome.denial));
      if (outcome.apiKey) c.set('apiKey', outcome.apiKey);
      if (outcome.headers) for (const name in outcome.headers) c.header(name, outcome.headers[name]);
      return next();
    };
    const outcome = core.authenticate({ headers: requestHeaders(c), url: () => c.req.url });
    return outcome instanceof Promise ? outcome.then(proceed) : proceed(outcome);
  };
  return Object.assign(middleware, {
    keyguard: core,
    requirePermissions: (query: string) => guard(core.permissionCheck(query)),
  });
}

/**
 * Guards a route by a permission query such as `'docs.read AND (docs.write OR admin)'`, evaluated against
 * `c.get('apiKey').permissions`. The query is parsed now: a bad one throws at start-up, not per request.
 */
export function requirePermissions(query: string, options?: PermissionCheckOptions): MiddlewareHandler<KeyguardEnv> {
  return guard(createPermissionCheck(query, options));
}
