// What the adapters' `rateLimit()` share beyond the limiter itself: options given where a route is declared
// (Fastify's route `config.rateLimit`, Nest's `@RateLimit()`), one limiter per such route, created once and closed
// together, and the start-up check that a platform without a socket address was told whom to count.
import { ConfigurationError } from '../errors.js';
import type { IdentifierSource, RateLimitOptions, RateLimiter, RateLimitStats } from './types.js';

/**
 * Rate-limit options given where a route is declared: each replaces the registration's, and `limit`/`duration`/`limits`
 * replace the registration's limits as a whole (a route with `limits` does not also get the default `limit`).
 */
export type RateLimitRouteOptions = Partial<RateLimitOptions>;

/** The bound `createRateLimiter` of one of core's builds. */
export type CreateRateLimiter = (options: RateLimitOptions) => RateLimiter;

const hasLimits = (options: RateLimitRouteOptions): boolean =>
  options.limit !== undefined || options.duration !== undefined || options.limits !== undefined;

/**
 * The options of one route's limiter: the registration's, with the route's on top. Answers undefined when neither
 * names a limit (the route is not limited). A route without a `namespace` of its own counts in
 * `<registration namespace>:<routeId>`, so two routes never share a count unless told to.
 *
 * @param base - The registration's options (the plugin's, the module's).
 * @param route - The route's own options, if any.
 * @param routeId - Names the route in its default namespace (`GET /documents`, `DocumentsController.list`).
 * @throws ConfigurationError when limits are named but no backend or namespace is given.
 */
export function routeRateLimitOptions(
  base: RateLimitRouteOptions,
  route: RateLimitRouteOptions | undefined,
  routeId: string,
): RateLimitOptions | undefined {
  const { limit, duration, limits } = route && hasLimits(route) ? route : base;
  if (limit === undefined && limits === undefined) return undefined;
  const { limit: _limit, duration: _duration, limits: _limits, ...merged } = { ...base, ...route };
  const namespace = route?.namespace ?? (base.namespace === undefined ? undefined : `${base.namespace}:${routeId}`);
  if (!merged.backend) throw new ConfigurationError(`the rate limit of ${routeId} needs a backend`);
  if (!namespace) throw new ConfigurationError(`the rate limit of ${routeId} needs a namespace`);
  return {
    ...merged,
    backend: merged.backend,
    namespace,
    ...(limit === undefined ? {} : { limit }),
    ...(duration === undefined ? {} : { duration }),
    ...(limits === undefined ? {} : { limits }),
  };
}

/**
 * One limiter per route, created on first use from the route's options and closed together: what a plugin or a
 * module holds when each route may have limits of its own. A route without limits is remembered as such.
 */
export class RouteRateLimiters<Route extends object> {
  private readonly limiters = new WeakMap<Route, RateLimiter | null>();
  private readonly created: RateLimiter[] = [];

  /** @param create - `createRateLimiter` of the build the adapter runs on. */
  constructor(private readonly create: CreateRateLimiter) {}

  /**
   * The route's limiter, or undefined when the route is not limited.
   * @param route - Identifies the route (its handler, its options object).
   * @param options - Worked out on the route's first request only.
   */
  of(route: Route, options: () => RateLimitOptions | undefined): RateLimiter | undefined {
    let limiter = this.limiters.get(route);
    if (limiter === undefined) {
      const resolved = options();
      limiter = resolved ? this.create(resolved) : null;
      if (limiter) this.created.push(limiter);
      this.limiters.set(route, limiter);
    }
    return limiter ?? undefined;
  }

  /** The counters of every route's limiter, added up. */
  stats(): RateLimitStats {
    const total: RateLimitStats = {
      allowed: 0,
      limited: 0,
      unavailable: 0,
      failedOpen: 0,
      backendCalls: 0,
      pendingAdmissions: 0,
      identifiers: 0,
    };
    for (const limiter of this.created) {
      const stats = limiter.stats();
      for (const name of Object.keys(total) as (keyof RateLimitStats)[]) total[name] += stats[name];
    }
    return total;
  }

  /** Settles and closes every limiter created so far. */
  async close(): Promise<void> {
    await Promise.all(this.created.splice(0).map((limiter) => limiter.close()));
  }
}

/** The identifier sources of `options`, in order (the default `'ip'` when none are given). */
export function identifierSources(options: Pick<RateLimitOptions, 'identifier'>): readonly IdentifierSource[] {
  const { identifier } = options;
  if (identifier === undefined) return ['ip'];
  return Array.isArray(identifier) ? identifier : [identifier as IdentifierSource];
}

/**
 * Refuses, at start-up, options that count by `'ip'` on a platform that gives no socket address (Next.js route
 * handlers and middleware, Hono on a runtime without `getConnInfo`) unless `trustProxy` says which
 * `X-Forwarded-For` entry to believe: otherwise every request would go unlimited, silently.
 *
 * @param options - The rate limiter's options.
 * @param platform - Names the platform in the error message.
 * @throws ConfigurationError when `'ip'` is a source and `trustProxy` is not a hop count or an address list.
 */
export function requireAddressSource(
  options: Pick<RateLimitOptions, 'identifier' | 'trustProxy'>,
  platform: string,
): void {
  if (!identifierSources(options).includes('ip')) return;
  const trust = options.trustProxy;
  if (trust === undefined || trust === false) {
    throw new ConfigurationError(
      `${platform} gives no socket address, so the 'ip' identifier needs trustProxy (the number of proxies in front of the application, or their addresses); or count by another identifier`,
    );
  }
}
