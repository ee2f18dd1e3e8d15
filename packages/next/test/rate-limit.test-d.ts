import { describe, expectTypeOf, test } from 'vitest';
import type { RateLimitBackend, RateLimiter, VerifiedKey, Verifier } from '@keyguard/core';
import { withApiKey, withApiKeyPages, withRateLimit, withRateLimitPages } from '@keyguard/next';
import type { RouteContext } from '@keyguard/next';
import type { NextApiRequest, NextApiResponse } from 'next';

declare const verifier: Verifier;
declare const backend: RateLimitBackend;
const limits = { backend, namespace: 'api', limit: 10, duration: '1m', trustProxy: 1 } as const;

describe('withRateLimit', () => {
  test('standalone: exported as GET, the handler sees params and an optional apiKey', () => {
    const GET = withRateLimit((request, context) => {
      expectTypeOf(request).toEqualTypeOf<Request>();
      expectTypeOf(context.apiKey).toEqualTypeOf<VerifiedKey | undefined>();
      expectTypeOf(context.params).toEqualTypeOf<Promise<Record<string, string | string[] | undefined>>>();
      return new Response();
    }, limits);
    // Next.js calls it with { params } only.
    expectTypeOf(GET).toBeCallableWith(new Request('http://x'), { params: Promise.resolve({}) } as RouteContext);
    expectTypeOf(GET.rateLimiter).returns.toEqualTypeOf<RateLimiter>();
  });

  test('inside withApiKey: the handler is what withApiKey wraps', () => {
    const GET = withApiKey(
      withRateLimit((_request, { apiKey }) => Response.json({ id: apiKey?.id }), { ...limits, identifier: 'apiKey' }),
      { verifier },
    );
    expectTypeOf(GET).returns.toEqualTypeOf<Promise<Response>>();
  });

  test('options are checked: a duration without a unit we know does not compile', () => {
    // @ts-expect-error -- 'minute' is not a RateLimitDuration unit
    withRateLimit(() => new Response(), { ...limits, duration: '1minute' });
  });
});

describe('withRateLimitPages', () => {
  test('composes with withApiKeyPages and keeps the response type', () => {
    const handler = withApiKeyPages(
      withRateLimitPages(
        (_req: NextApiRequest, res: NextApiResponse<{ ok: boolean }>) => res.json({ ok: true }),
        limits,
      ),
      { verifier },
    );
    expectTypeOf(handler).parameters.toEqualTypeOf<[NextApiRequest, NextApiResponse<{ ok: boolean }>]>();
  });
});
