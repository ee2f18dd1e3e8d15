/** Injection token of the module's limiters, one per route, created on each route's first request. */
export const ROUTE_RATE_LIMITERS = Symbol('keyguard.routeRateLimiters');
