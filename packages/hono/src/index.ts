// Imports `@keyguard/core` only: its package exports pick the fetch build (no Node built-ins) under the
// workerd / worker / edge-light / browser conditions, and the Node build elsewhere.
import { createKeyguard, createPermissionCheck } from '@keyguard/core';
import type {
  ApiKeyFor,
  AuthenticationOutcome,
  KeyguardOptions,
  PermissionCheck,
  PermissionCheckOptions,
  RequestGuard,
  VerifiedKey,
} from '@keyguard/core';
import type { Context, MiddlewareHandler, Next } from 'hono';
import { denialResponse, nodeIncoming, proceedWithHeaders, waitUntilOf } from './context.js';
import type { KeyguardEnv } from './env.js';

export type { KeyguardEnv, KeyguardVariables } from './env.js';

/** What `keyguard()` takes: `{ verifier, …adapter options }`, or the verifier's options to create one. */
export type KeyguardHonoOptions = KeyguardOptions;

/** The Hono middleware `keyguard()` answers, with the guard behind it. */
export interface KeyguardMiddleware<
  Key extends VerifiedKey | undefined = VerifiedKey | undefined,
> extends MiddlewareHandler<KeyguardEnv<Key>> {
  /** The RequestGuard behind this middleware (its verifier, stats, close). */
  readonly keyguard: RequestGuard;
  /** A guard using this middleware's realm and `onDenied`. */
  requirePermissions(query: string): MiddlewareHandler<KeyguardEnv>;
}

function guard(check: PermissionCheck): MiddlewareHandler<KeyguardEnv> {
  return async (c, next) => {
    const denial = check(c.get('apiKey'));
    if (denial) return denialResponse(c, denial);
    await next();
  };
}

// Module-level rather than a closure per request: a cache hit allocates as little as possible.
function proceed(c: Context, next: Next, outcome: AuthenticationOutcome): Promise<Response | void> {
  if (!outcome.allowed) return Promise.resolve(denialResponse(c, outcome.denial));
  if (outcome.apiKey) c.set('apiKey', outcome.apiKey);
  return outcome.headers ? proceedWithHeaders(c, next, outcome.headers) : next();
}

/**
 * Verifies the request's API key and sets `c.get('apiKey')`; answers 400/401/403/429/503 per RFC 6750 and RFC 9457.
 *
 * @param options - A shared `verifier` (or the options to create one), and how keys are read and denials written.
 * @returns The middleware; its `keyguard` property is the RequestGuard behind it.
 * @throws ConfigurationError when the options are wrong (at start-up, never per request).
 *
 * @example
 * ```ts
 * import { Hono } from 'hono';
 * import { createVerifier } from '@keyguard/core';
 * import { keyguard, requirePermissions } from '@keyguard/hono';
 * import { unkey } from '@keyguard/unkey';
 *
 * const verifier = createVerifier({ provider: unkey({ rootKey: process.env.KEYGUARD_ROOT_KEY! }) });
 * const auth = keyguard({ verifier });
 *
 * const app = new Hono()
 *   .get('/me', auth, (c) => c.json({ id: c.get('apiKey').id }))
 *   .post('/documents', auth, requirePermissions('documents.write'), async (c) => c.json(await c.req.json(), 201));
 * ```
 */
export function keyguard<Options extends KeyguardHonoOptions>(
  options: Options,
): KeyguardMiddleware<ApiKeyFor<Options>> {
  const core = createKeyguard(options);
  // Not an async function: a cache hit (answered synchronously by core) goes straight on to `next()`.
  const middleware: MiddlewareHandler<KeyguardEnv<ApiKeyFor<Options>>> = (c, next) => {
    // Hono's requestId middleware sets `c.get('requestId')`, for keyguard's log lines.
    const incoming = nodeIncoming(c);
    const outcome = core.authenticate({
      headers: incoming?.headers ?? c.req.raw.headers,
      rawHeaders: incoming?.rawHeaders,
      url: () => c.req.url,
      waitUntil: waitUntilOf(c),
      requestId: c.get('requestId' as never) as string | undefined,
    });
    return outcome instanceof Promise
      ? outcome.then((settled) => proceed(c, next, settled))
      : proceed(c, next, outcome);
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

export { rateLimit } from './rate-limit.js';
export type { RateLimitHonoOptions, RateLimitMiddleware } from './rate-limit.js';
