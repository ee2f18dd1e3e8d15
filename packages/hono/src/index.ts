// Imports `@keyguard/core` only: its package exports pick the fetch build (no Node built-ins) under the
// workerd / worker / edge-light / browser conditions, and the Node build elsewhere.
import { createKeyguard, createPermissionCheck } from '@keyguard/core';
import type {
  ApiKeyFor,
  AuthenticationOutcome,
  DenialResponse,
  KeyguardOptions,
  PermissionCheck,
  PermissionCheckOptions,
  RequestGuard,
  VerifiedKey,
  WaitUntil,
} from '@keyguard/core';
import type { Context, MiddlewareHandler, Next } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

/**
 * The context variables keyguard sets. `apiKey` is `VerifiedKey` behind a middleware that requires a key, and
 * `VerifiedKey | undefined` behind an `optional` one or one that may fail open (see `ApiKeyFor`).
 */
export interface KeyguardVariables<Key extends VerifiedKey | undefined = VerifiedKey | undefined> {
  /** The verified API key (`c.get('apiKey')`, `c.var.apiKey`). */
  apiKey: Key;
}

/** Hono `Env` of keyguard's middlewares: `c.get('apiKey')` and `c.var.apiKey` are typed through it. */
export interface KeyguardEnv<Key extends VerifiedKey | undefined = VerifiedKey | undefined> {
  /** The context variables keyguard sets. */
  Variables: KeyguardVariables<Key>;
}

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
 * The platform's `waitUntil` (Cloudflare Workers, Vercel, Deno Deploy), so a background refresh survives the response.
 * Hono's `executionCtx` getter throws where there is none (Node): only asked when a refresh actually starts.
 */
function waitUntilOf(c: Context): WaitUntil {
  return (promise) => {
    let context: { waitUntil(promise: Promise<unknown>): void } | undefined;
    try {
      context = c.executionCtx;
    } catch {
      return;
    }
    context.waitUntil(promise);
  };
}

/** The shape of @hono/node-server's `c.env.incoming` that is read (types only: nothing of Node is loaded). */
interface NodeIncoming {
  headers?: Record<string, string | string[] | undefined>;
  rawHeaders?: string[];
}

/** The shape of @hono/node-server's `c.env.outgoing` that is written to. */
interface NodeOutgoing {
  setHeader(name: string, value: string): unknown;
  headersSent?: boolean;
}

/**
 * On @hono/node-server the Node request is at hand: reading its header record avoids building a fetch `Headers`
 * object per request (the costliest part of a cached verification), and its raw lines show a doubled
 * `Authorization` that the record hides. Elsewhere, the Request's headers (which join doubled lines with a comma).
 */
function nodeIncoming(c: Context): NodeIncoming | undefined {
  const incoming = (c.env as { incoming?: NodeIncoming } | undefined)?.incoming;
  return incoming?.headers ? incoming : undefined;
}

/** @hono/node-server's Node response, while its headers can still be set. */
function nodeOutgoing(c: Context): NodeOutgoing | undefined {
  const outgoing = (c.env as { outgoing?: NodeOutgoing } | undefined)?.outgoing;
  return typeof outgoing?.setHeader === 'function' && outgoing.headersSent === false ? outgoing : undefined;
}

/** A handler that returned a Response of its own (not one built by `c.json` and the like) did not get `c.header`'s. */
function addMissingHeaders(c: Context, headers: Record<string, string>): void {
  for (const name in headers) if (!c.res.headers.has(name)) c.header(name, headers[name]);
}

/**
 * Goes on with an allowed request, with its headers (a metered key's RateLimit headers). On @hono/node-server they go
 * on the Node response (`c.env.outgoing`), which Node merges with the headers of whatever response the app returns,
 * the app's own winning: `c.header` would build a fetch `Headers` object per response, several µs per request.
 * Elsewhere `c.header`, and after the handler, on its response if it made one of its own.
 */
function proceedWithHeaders(c: Context, next: Next, headers: Record<string, string>): Promise<void> {
  const outgoing = nodeOutgoing(c);
  if (outgoing) {
    for (const name in headers) outgoing.setHeader(name, headers[name]!);
    return next();
  }
  for (const name in headers) c.header(name, headers[name]);
  return next().then(() => addMissingHeaders(c, headers));
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
