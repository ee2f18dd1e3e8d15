import { createKeyguard, createPermissionCheck } from '@keyguard/core';
import type {
  AuthenticationOutcome,
  KeyguardOptions,
  Logger,
  PermissionCheck,
  PermissionCheckOptions,
  RequestGuard,
  VerifiedKey,
} from '@keyguard/core';
import type { Middleware, Next, ParameterizedContext } from 'koa';
import type { KeyguardState } from './state.js';
import { mergedHeaders, writeDenial } from './write-denial.js';

export type { KeyguardState } from './state.js';

declare module 'koa' {
  // Koa's convention for app-wide state: `ctx.state.apiKey` is typed in every middleware, not only after ours.
  interface DefaultState {
    apiKey?: VerifiedKey;
  }
}

/** What `keyguard()` takes: `{ verifier, …adapter options }`, or the verifier's options to create one. */
export type KeyguardKoaOptions = KeyguardOptions;

/** The Koa middleware `keyguard()` answers, with the guard behind it. */
export interface KeyguardMiddleware extends Middleware<KeyguardState> {
  /** The RequestGuard behind this middleware (its verifier, stats, close). */
  readonly keyguard: RequestGuard;
  /** A guard using this middleware's realm and `onDenied`. */
  requirePermissions(query: string): Middleware<KeyguardState>;
}

function guard(check: PermissionCheck): Middleware<KeyguardState> {
  return async (ctx, next) => {
    const denial = check(ctx.state.apiKey);
    if (denial) return writeDenial(ctx, denial);
    await next();
  };
}

// Module-level rather than a closure per request: a cache hit allocates as little as possible.
function proceed(ctx: ParameterizedContext<KeyguardState>, next: Next, outcome: AuthenticationOutcome): unknown {
  if (!outcome.allowed) return writeDenial(ctx, outcome.denial);
  if (outcome.apiKey) ctx.state.apiKey = outcome.apiKey;
  if (outcome.headers) ctx.set(mergedHeaders(ctx, outcome.headers));
  return next();
}

/**
 * Verifies the request's API key and sets `ctx.state.apiKey`; answers 400/401/403/429/503 per RFC 6750 and RFC 9457.
 *
 * @param options - A shared `verifier` (or the options to create one), and how keys are read and denials written.
 * @returns The middleware; its `keyguard` property is the RequestGuard behind it.
 * @throws ConfigurationError when the options are wrong (at start-up, never per request).
 *
 * @example
 * ```ts
 * import Koa from 'koa';
 * import { createVerifier } from '@keyguard/core';
 * import { keyguard } from '@keyguard/koa';
 * import { unkey } from '@keyguard/unkey';
 *
 * const verifier = createVerifier({ provider: unkey({ rootKey: process.env.KEYGUARD_ROOT_KEY! }) });
 * const auth = keyguard({ verifier });
 *
 * new Koa()
 *   .use(auth)
 *   .use(auth.requirePermissions('documents.read'))
 *   .use((ctx) => {
 *     ctx.body = { id: ctx.state.apiKey!.id };
 *   })
 *   .listen(3000);
 * ```
 */
export function keyguard(options: KeyguardKoaOptions): KeyguardMiddleware {
  const core = createKeyguard(options);
  // Not an async function: a cache hit (answered synchronously by core) goes straight on to `next()`.
  const middleware: Middleware<KeyguardState> = (ctx, next) => {
    // koa-pino-logger puts the request's logger on `ctx.log`.
    const outcome = core.authenticate({
      headers: ctx.headers,
      rawHeaders: ctx.req.rawHeaders,
      url: ctx.originalUrl,
      logger: (ctx as { log?: Logger }).log,
    });
    return outcome instanceof Promise
      ? outcome.then((settled) => proceed(ctx, next, settled))
      : proceed(ctx, next, outcome);
  };
  return Object.assign(middleware, {
    keyguard: core,
    requirePermissions: (query: string) => guard(core.permissionCheck(query)),
  });
}

/**
 * Guards a route by a permission query such as `'docs.read AND (docs.write OR admin)'`, evaluated against
 * `ctx.state.apiKey.permissions`. The query is parsed now: a bad one throws at start-up, not per request.
 */
export function requirePermissions(query: string, options?: PermissionCheckOptions): Middleware<KeyguardState> {
  return guard(createPermissionCheck(query, options));
}

export { rateLimit } from './rate-limit.js';
export type { RateLimitKoaOptions, RateLimitMiddleware } from './rate-limit.js';
