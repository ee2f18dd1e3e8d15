import { describe, expect, it } from 'vitest';
import {
  ConfigurationError,
  createRateLimiter,
  identifierSources,
  memoryRateLimitBackend,
  requireAddressSource,
  routeRateLimitOptions,
  RouteRateLimiters,
} from '@keyguard/core';

const backend = memoryRateLimitBackend();

describe('routeRateLimitOptions', () => {
  const base = { backend, namespace: 'api', limit: 100, duration: '1m', trustProxy: 1 } as const;

  it("gives a route the registration's options in a namespace of its own", () => {
    expect(routeRateLimitOptions(base, undefined, 'GET /a')).toEqual({ ...base, namespace: 'api:GET /a' });
  });

  it("replaces the registration's limits as a whole, keeps its other options, and a namespace the route names", () => {
    const limits = [{ name: 'burst', limit: 5, duration: '1s' as const }];
    expect(routeRateLimitOptions(base, { limits, namespace: 'reports' }, 'POST /reports')).toEqual({
      backend,
      namespace: 'reports',
      trustProxy: 1,
      limits,
    });
    expect(routeRateLimitOptions(base, { identifier: 'apiKey' }, 'GET /b')).toMatchObject({
      limit: 100,
      identifier: 'apiKey',
    });
  });

  it('answers undefined when neither names a limit, and refuses limits without a backend or a namespace', () => {
    expect(routeRateLimitOptions({ backend, namespace: 'api' }, {}, 'GET /c')).toBeUndefined();
    expect(() => routeRateLimitOptions({ namespace: 'api' }, { limit: 1, duration: '1s' }, 'GET /d')).toThrow(
      ConfigurationError,
    );
    expect(() => routeRateLimitOptions({ backend }, { limit: 1, duration: '1s' }, 'GET /e')).toThrow(/namespace/);
  });
});

describe('RouteRateLimiters', () => {
  it('creates one limiter per route once, remembers unlimited routes, adds up stats and closes all', async () => {
    let created = 0;
    const limiters = new RouteRateLimiters<object>((options) => {
      created += 1;
      return createRateLimiter(options);
    });
    const route = {};
    const options = () => ({ backend, namespace: 'set', limit: 1, duration: '1m' as const });
    const limiter = limiters.of(route, options)!;
    expect(limiters.of(route, options)).toBe(limiter);
    expect(limiters.of({}, () => undefined)).toBeUndefined();
    expect(created).toBe(1);
    await limiter.check({ headers: {}, ip: '203.0.113.1' });
    await limiter.check({ headers: {}, ip: '203.0.113.1' });
    expect(limiters.stats()).toMatchObject({ allowed: 1, limited: 1 });
    await limiters.close();
  });
});

describe('requireAddressSource', () => {
  it("refuses 'ip' without trustProxy, and nothing else", () => {
    expect(identifierSources({})).toEqual(['ip']);
    expect(() => requireAddressSource({}, 'Somewhere')).toThrow(/Somewhere gives no socket address/);
    expect(() => requireAddressSource({ identifier: ['apiKey', 'ip'], trustProxy: false }, 'X')).toThrow(
      ConfigurationError,
    );
    expect(() => requireAddressSource({ trustProxy: 1 }, 'X')).not.toThrow();
    expect(() => requireAddressSource({ identifier: { header: 'x-tenant' } }, 'X')).not.toThrow();
  });
});
