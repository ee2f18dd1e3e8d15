import { createKeyguard, createPermissionCheck } from '@keyguard/core';
import type {
  AuthenticationOutcome,
  DenialResponse,
  Keyguard,
  KeyguardOptions,
  Logger,
  PermissionCheck,
  PermissionCheckOptions,
  VerifiedKey,
} from '@keyguard/core';
import type { Context, Middleware, Next, ParameterizedContext } from 'koa';

/** The `ctx.state` keyguard fills; `Middleware<KeyguardState>` types `ctx.state.apiKey` for the middlewares after it. */
export interface KeyguardState {
  /** The verified API key; unset on `optional` routes called without a key. */
  apiKey?: VerifiedKey;
}

declare module 'koa' {
  // Koa's convention for app-wide state: `ctx.state.apiKey` is typed in every middleware, not only after ours.
  interface DefaultState {
    apiKey?: VerifiedKey;
  }
}

export type KeyguardKoaOptions = KeyguardOptions;

export interface KeyguardMiddleware extends Middleware<KeyguardState> {
  /** The framework-free core this middleware wraps (its verifier, stats, close). */
  readonly keyguard: Keyguard;
  /** A guard using this middleware's realm and `onDenied`. */
  requirePermissions(query: string): Middleware<KeyguardState>;
}

function writeDenial(ctx: Context, denial: DenialResponse): void {
  ctx.status = denial.status;
  // Headers first: Koa keeps a Content-Type that is already set when the body is assigned.
  ctx.set(denial.headers);
  ctx.body = JSON.stringify(denial.body);
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
  if (outcome.headers) ctx.set(outcome.headers);
  return next();
}

/** Verifies the request's API key and sets `ctx.state.apiKey`; answers 400/401/403/429/503 per RFC 6750 and RFC 9457. */
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
