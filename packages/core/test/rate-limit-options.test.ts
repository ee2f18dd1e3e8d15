import { describe, expect, it } from 'vitest';
import { ConfigurationError, createRateLimiter, memoryRateLimitBackend } from '@keyguard/core';
import type { RateLimitOptions } from '@keyguard/core';

const backend = memoryRateLimitBackend();
const base = { backend, namespace: 'api', limit: 10, duration: '10s' } as const;
const refused = (options: Record<string, unknown>): string => {
  try {
    createRateLimiter(options as unknown as RateLimitOptions);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as ConfigurationError).code).toBe('CONFIGURATION_ERROR');
    return (error as Error).message;
  }
  throw new Error('accepted');
};

describe('createRateLimiter options', () => {
  it('accepts durations in ms or with a unit, and names a limit by its duration by default', async () => {
    for (const [duration, name, seconds] of [
      [1500, '1500ms', 2],
      ['10s', '10s', 10],
      ['1.5m', '90s', 90],
      ['1h', '1h', 3600],
      ['1d', '1d', 86_400],
    ] as const) {
      const limiter = createRateLimiter({ ...base, duration, mode: 'strict' });
      const outcome = await limiter.check({ headers: {}, ip: '192.0.2.1' });
      expect(outcome.allowed && outcome.headers['RateLimit-Policy']).toBe(`"${name}";q=10;w=${seconds}`);
    }
  });

  it.each([
    [{ ...base, backend: undefined }, /^backend must be/],
    [{ ...base, backend: { kind: 'x' } }, /^backend must be/],
    [{ ...base, namespace: '' }, /^namespace must be/],
    [{ ...base, namespace: 'x'.repeat(129) }, /^namespace must be/],
    [{ ...base, limit: 0 }, /^limit\.limit must be an integer from 1/],
    [{ ...base, limit: 1.5 }, /^limit\.limit must be an integer/],
    [{ ...base, duration: '10 seconds' }, /^limit\.duration must be/],
    [{ ...base, duration: 0 }, /^limit\.duration must be/],
    [{ ...base, duration: '0.5ms' }, /^limit\.duration must be/],
    [{ ...base, duration: undefined }, /^limit and duration go together/],
    [{ backend, namespace: 'api' }, /^give limit and duration/],
    [{ ...base, limits: [{ limit: 1, duration: '1s' }] }, /^give either limit and duration, or limits/],
    [{ backend, namespace: 'api', limits: [] }, /^limits must be a non-empty array/],
    [
      {
        backend,
        namespace: 'api',
        limits: [
          { limit: 1, duration: '1s' },
          { limit: 5, duration: 1000 },
        ],
      },
      /^limits has two limits named '1s'/,
    ],
    [{ backend, namespace: 'api', limits: [{ name: 'a b', limit: 1, duration: '1s' }] }, /^limits\[0\]\.name must be/],
    [{ ...base, identifier: 'cookie' }, /^identifier must be 'ip'/],
    [{ ...base, identifier: [] }, /^identifier must name at least one source/],
    [{ ...base, identifier: ['ip', { header: 'bad header' }] }, /^identifier\[1\] must be/],
    [{ ...base, cost: 0 }, /^cost must be an integer from 1/],
    [{ ...base, mode: 'lazy' }, /^mode must be 'batched' or 'strict'/],
    [{ ...base, onBackendError: 'ignore' }, /^onBackendError must be/],
    [{ ...base, timeoutMs: 0 }, /^timeoutMs must be an integer from 1 to 60000/],
    [{ ...base, trustProxy: -1 }, /^trustProxy must be an integer from 1/],
    [{ ...base, trustProxy: ['10.0.0.0/33'] }, /^trustProxy\[0\] must be an IP address or a CIDR range/],
    [{ ...base, trustProxy: 'yes' }, /^trustProxy must be true, false/],
    [{ ...base, rateLimitHeaders: 'draft-9' }, /^rateLimitHeaders must be draft-6/],
    [{ ...base, onDenied: 'x' }, /^onDenied must be a function/],
    [{ ...base, logger: { warn: () => {} } }, /^logger must be a logger/],
  ])('refuses %j', (options, message) => {
    expect(refused(options as Record<string, unknown>)).toMatch(message);
  });

  it('refuses a cost function that returns no positive integer, naming the cost', async () => {
    const limiter = createRateLimiter({ ...base, cost: () => 0 });
    expect(() => limiter.check({ headers: {}, ip: '192.0.2.1' })).toThrow(
      /cost function must return a positive integer/,
    );
  });
});
