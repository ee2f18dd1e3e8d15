import { createRateLimiter, routeRateLimitOptions, RouteRateLimiters } from '@keyguard/core';
import type {
  Logger,
  RateLimitOptions,
  RateLimitOutcome,
  RateLimiter,
  RateLimitRouteOptions,
  TrustProxy,
} from '@keyguard/core';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import fp from 'fastify-plugin';
import { mergedHeaders, writeDenial } from './write-denial.js';

/** What `rateLimit()` takes: a backend, a namespace, the limits and whom to count (see core's `RateLimitOptions`). */
export type RateLimitFastifyOptions = RateLimitOptions;

/** A hook that counts the request and refuses it past the limit; use it as a route's `onRequest` or `preHandler`. */
export interface RateLimitHook {
  (request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction): void;
  /** The RateLimiter behind this hook (its stats, close). */
  readonly rateLimiter: RateLimiter;
}

/** What `rateLimitPlugin` takes: the defaults of every route's limits, and which routes get them. */
export type RateLimitPluginOptions = RateLimitRouteOptions & {
  /**
   * Limit every route declared after the plugin with the plugin's limits; `false` limits only the routes whose
   * `config.rateLimit` is set (as @fastify/rate-limit's `global`).
   * @default true
   */
  global?: boolean;
  /**
   * The route hook the count runs in: `onRequest` refuses before the body is parsed; `preHandler` runs after
   * validation (and after `keyguard`'s `onRequest` either way).
   * @default 'onRequest'
   */
  hook?: 'onRequest' | 'preHandler';
};

declare module 'fastify' {
  interface FastifyContextConfig {
    /** This route's limits over `rateLimitPlugin`'s (`false`: not limited). */
    rateLimit?: RateLimitRouteOptions | false;
  }
}

/**
 * Fastify resolves `request.ip` by its own `trustProxy`; given keyguard's `trustProxy`, the socket's address goes to
 * core instead, which reads `X-Forwarded-For` itself. One of the two decides, never both.
 */
function requestOf(request: FastifyRequest, trustProxy: TrustProxy | undefined) {
  return {
    headers: request.headers,
    ip: trustProxy ? request.raw.socket.remoteAddress : request.ip,
    apiKey: request.apiKey,
    url: request.url,
    logger: request.log as Logger,
  };
}

/** Sends the outcome's headers (or its denial); true when the request goes on. */
function applied(reply: FastifyReply, outcome: RateLimitOutcome): boolean {
  if (!outcome.allowed) {
    writeDenial(reply, outcome.denial);
    return false;
  }
  reply.headers(mergedHeaders(reply, outcome.headers));
  return true;
}

function hookFor(limiter: RateLimiter, trustProxy: TrustProxy | undefined) {
  return (request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction): void => {
    // Callback style, so an answer from memory finishes without a promise or a closure.
    const outcome = limiter.check(requestOf(request, trustProxy));
    if (!(outcome instanceof Promise)) {
      if (applied(reply, outcome)) done();
      return;
    }
    outcome.then((settled) => {
      if (applied(reply, settled)) done();
    }, done);
  };
}

/**
 * Limits a route per IP, per key, per identity or per any identifier of yours, with limits no key carries: a hook
 * for the route's `onRequest` or `preHandler`. Sends the rate-limit headers (draft-8 by default) on every answer and
 * a 429 problem (RFC 9457) with `Retry-After` past the limit. The `'ip'` source is `request.ip` (Fastify's own
 * `trustProxy` applies), or the socket's address when keyguard's `trustProxy` is set. Behind `keyguard`, `'apiKey'`
 * and `'identity'` count by `request.apiKey`.
 *
 * @param options - The backend, namespace, limits and identifier (core's `RateLimitOptions`).
 * @returns The hook; its `rateLimiter` property is the RateLimiter behind it (close it with the app).
 * @throws ConfigurationError when the options are wrong (at start-up, never per request).
 *
 * @example
 * ```ts
 * import Fastify from 'fastify';
 * import { memoryRateLimitBackend } from '@keyguard/core';
 * import { rateLimit } from '@keyguard/fastify';
 *
 * const app = Fastify();
 * const limit = rateLimit({ backend: memoryRateLimitBackend(), namespace: 'search', limit: 100, duration: '1m' });
 * app.get('/search', { onRequest: limit }, async () => ({ results: [] }));
 * app.addHook('onClose', () => limit.rateLimiter.close());
 * ```
 */
export function rateLimit(options: RateLimitFastifyOptions): RateLimitHook {
  const limiter = createRateLimiter(options);
  return Object.assign(hookFor(limiter, options.trustProxy), { rateLimiter: limiter });
}

type RouteHooks = Record<'onRequest' | 'preHandler', unknown>;

const plugin: FastifyPluginAsync<RateLimitPluginOptions> = async (fastify, options) => {
  const { global = true, hook = 'onRequest', ...defaults } = options;
  const limiters = new RouteRateLimiters<object>(createRateLimiter);
  // As each route is declared, its own hook with its own limiter (as @fastify/rate-limit does): a route's hooks run
  // after the scope's, so `keyguard`'s `onRequest` has set `request.apiKey` by then. Wrong options stop the start.
  fastify.addHook('onRoute', (route) => {
    const own = route.config?.rateLimit;
    if (own === false || (own === undefined && !global)) return;
    const routeId = `${[route.method].flat().join(',')} ${route.url}`;
    const limiterOptions = routeRateLimitOptions(defaults, own, routeId);
    const limiter = limiterOptions && limiters.of(route, () => limiterOptions);
    if (!limiter) return;
    const hooks = route as unknown as RouteHooks;
    const existing = hooks[hook];
    const added = hookFor(limiter, limiterOptions.trustProxy);
    hooks[hook] = existing === undefined ? [added] : [existing, added].flat();
  });
  fastify.addHook('onClose', () => limiters.close());
};

/**
 * Limits every route declared after it in its scope with its options, each route counted on its own (namespace
 * `<namespace>:<METHOD> <url>`), and reads route options `config: { rateLimit: { … } | false }` over them, as
 * @fastify/rate-limit does. Register it after `keyguard` to count by key or identity.
 *
 * @example
 * ```ts
 * import Fastify from 'fastify';
 * import { memoryRateLimitBackend } from '@keyguard/core';
 * import { rateLimitPlugin } from '@keyguard/fastify';
 *
 * const app = Fastify();
 * await app.register(rateLimitPlugin, { backend: memoryRateLimitBackend(), namespace: 'api', limit: 100, duration: '1m' });
 * app.get('/search', async () => ({ results: [] }));
 * app.post('/reports', { config: { rateLimit: { limit: 5, duration: '1h' } } }, async () => ({ queued: true }));
 * ```
 */
export const rateLimitPlugin = fp(plugin, { fastify: '5.x', name: '@keyguard/fastify/rate-limit' });
