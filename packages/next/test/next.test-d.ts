import { describe, expectTypeOf, test } from 'vitest';
import type { Provider, VerifiedKey, Verifier } from '@keyguard/core';
import { keyguardMiddleware, withApiKey, withApiKeyPages } from '@keyguard/next';
import type { NextApiRequestWithApiKey, RouteContext } from '@keyguard/next';
import type { NextApiRequest, NextApiResponse } from 'next';
import type { NextRequest } from 'next/server';

declare const verifier: Verifier;
declare const provider: Provider;

describe('withApiKey', () => {
  test('the handler receives { apiKey: VerifiedKey, params: Promise }', () => {
    const GET = withApiKey(
      (request, context) => {
        expectTypeOf(request).toEqualTypeOf<Request>();
        expectTypeOf(context.apiKey).toEqualTypeOf<VerifiedKey>();
        expectTypeOf(context.params).toEqualTypeOf<Promise<Record<string, string | string[] | undefined>>>();
        return Response.json({ id: context.apiKey.id });
      },
      { verifier },
    );
    expectTypeOf(GET).parameters.toEqualTypeOf<[Request, RouteContext]>();
    expectTypeOf(GET).returns.toEqualTypeOf<Promise<Response>>();
  });

  test('apiKey is VerifiedKey | undefined on optional routes and when failing open', () => {
    withApiKey(
      (_request, { apiKey }) => {
        expectTypeOf(apiKey).toEqualTypeOf<VerifiedKey | undefined>();
        return new Response();
      },
      { verifier, optional: true },
    );
    withApiKey(
      (_request, { apiKey }) => {
        expectTypeOf(apiKey).toEqualTypeOf<VerifiedKey | undefined>();
        return new Response();
      },
      () => ({ verifier, optional: true }),
    );
    withApiKey(
      (_request, { apiKey }) => {
        expectTypeOf(apiKey).toEqualTypeOf<VerifiedKey | undefined>();
        return new Response();
      },
      { provider, onProviderError: 'fail-open' },
    );
    withApiKey(
      (_request, { apiKey }) => {
        expectTypeOf(apiKey).toEqualTypeOf<VerifiedKey>();
        return new Response();
      },
      { verifier, optional: false, permissions: 'docs.read' },
    );
  });

  test('typed params and NextRequest flow through to the exported handler', () => {
    const GET = withApiKey(
      async (request: NextRequest, { params }: { apiKey: VerifiedKey; params: Promise<{ id: string }> }) => {
        expectTypeOf(request.nextUrl).toEqualTypeOf<NextRequest['nextUrl']>();
        expectTypeOf(await params).toEqualTypeOf<{ id: string }>();
        return new Response();
      },
      { verifier },
    );
    expectTypeOf(GET).parameters.toEqualTypeOf<[NextRequest, RouteContext<{ id: string }>]>();
  });

  test('a handler must return a Response', () => {
    // @ts-expect-error a string is not a Response
    withApiKey(() => 'text', { verifier });
  });
});

describe('withApiKeyPages', () => {
  test('req.apiKey is VerifiedKey (or VerifiedKey | undefined when optional)', () => {
    const route = withApiKeyPages(
      (req, res: NextApiResponse<{ id: string }>) => {
        expectTypeOf(req).toEqualTypeOf<NextApiRequestWithApiKey>();
        expectTypeOf(req.apiKey).toEqualTypeOf<VerifiedKey>();
        res.json({ id: req.apiKey.id });
      },
      { verifier },
    );
    expectTypeOf(route).parameters.toEqualTypeOf<[NextApiRequest, NextApiResponse<{ id: string }>]>();
    withApiKeyPages(
      (req) => {
        expectTypeOf(req.apiKey).toEqualTypeOf<VerifiedKey | undefined>();
      },
      { verifier, optional: true },
    );
  });
});

describe('keyguardMiddleware', () => {
  test('is a (request) => Promise<Response> function Next.js accepts as middleware', () => {
    const middleware = keyguardMiddleware({ verifier, forward: { secret: 'x'.repeat(32) } });
    expectTypeOf(middleware).toBeCallableWith(new Request('http://localhost') as NextRequest);
    expectTypeOf(middleware).returns.toEqualTypeOf<Promise<Response>>();
  });
});
