import { createServer } from 'node:http';
import type { Server } from 'node:http';
import request from 'supertest';
import { beforeEach, describe, expect, it } from 'vitest';
import { ConfigurationError, memoryRateLimitBackend } from '@keyguard/core';
import type { RateLimitOptions } from '@keyguard/core';
import { withApiKey, withApiKeyPages, withRateLimit, withRateLimitPages } from '@keyguard/next';
import { keyguardMiddleware, rateLimitMiddleware } from '@keyguard/next/edge';
import type { NextApiRequest, NextApiResponse } from 'next';
import { apiResolver } from 'next/dist/server/api-utils/node/api-resolver.js';
import { STANDARD_KEYS, useFakeUnkeyService } from '../../../test/support/adapter-test-service.js';
import { registerSecret } from '../../../test/support/secrets.js';
import { awayFromWindowEdge } from '../../../test/support/window-edge.js';

const READER = 'sk_next_rl_reader_1';
const LIMITED = ['sk_next_rl_limited_2', 'sk_next_rl_limited_3', 'sk_next_rl_limited_4'] as const;
registerSecret(READER, ...LIMITED);

const { verifier } = await useFakeUnkeyService({
  [READER]: STANDARD_KEYS.reader,
  ...Object.fromEntries(
    LIMITED.map((key, index) => [key, { ...STANDARD_KEYS.limited, keyId: `key_limited_${index}` }]),
  ),
});
/** The key's own limit (1 a minute, none left after the request) and a route's of 5 (4 left), both draft-8. */
const BOTH_POLICIES = ['"requests";q=1;w=60', '"1m";q=5;w=60'];
const BOTH_STATES = [/^"requests";r=0;t=\d+$/, /^"1m";r=4;t=\d+$/];

const oneAMinute = (namespace: string, extra: Partial<RateLimitOptions> = {}): RateLimitOptions => ({
  backend: memoryRateLimitBackend(),
  namespace,
  limit: 1,
  duration: '1m',
  ...extra,
});
const byKeyOfFive = (namespace: string): RateLimitOptions => ({
  ...oneAMinute(namespace, { identifier: 'apiKey' }),
  limit: 5,
});
const get = (headers: Record<string, string> = {}) => new Request('http://app.test/api', { headers });
const params = { params: Promise.resolve({}) };

// The limits here count in fixed windows of the clock: each test's requests start away from a window's end.
beforeEach(() => awayFromWindowEdge(60_000));

describe('withRateLimit (route handlers)', () => {
  it("refuses to count by 'ip' without trustProxy: a route handler has no socket address", () => {
    expect(() => withRateLimit(() => new Response(), oneAMinute('no-proxy'))).toThrow(ConfigurationError);
    // Options from a function are read on the first request, and refused there.
    const lazy = withRateLimit(
      () => new Response(),
      () => oneAMinute('lazy'),
    );
    return expect(lazy(get(), params)).rejects.toThrow(ConfigurationError);
  });

  it("counts by X-Forwarded-For's trusted hop and adds the headers to the handler's response", async () => {
    const GET = withRateLimit(() => Response.json({ ok: true }), oneAMinute('xff', { trustProxy: 1 }));
    const first = await GET(get({ 'x-forwarded-for': '198.51.100.1' }), params);
    expect(first.status).toBe(200);
    expect(first.headers.get('ratelimit-policy')).toBe('"1m";q=1;w=60');
    const second = await GET(get({ 'x-forwarded-for': '198.51.100.1' }), params);
    expect(second.status).toBe(429);
    expect(second.headers.get('content-type')).toBe('application/problem+json');
    expect(GET.rateLimiter().stats()).toMatchObject({ allowed: 1, limited: 1 });
  });

  it('behind one proxy that appends to X-Forwarded-For, counts the address it appended, not what the client wrote', async () => {
    const GET = withRateLimit(() => Response.json({ ok: true }), oneAMinute('appending', { trustProxy: 1 }));
    // The client claims 192.0.2.1 each time; the proxy appends the address it saw.
    const via = (client: string) => get({ 'x-forwarded-for': `192.0.2.1, ${client}` });
    expect((await GET(via('198.51.100.1'), params)).status).toBe(200);
    expect((await GET(via('198.51.100.2'), params)).status).toBe(200);
    expect((await GET(via('198.51.100.1'), params)).status).toBe(429);
  });

  it('inside withApiKey, counts by the verified key', async () => {
    const GET = withApiKey(
      withRateLimit(
        (_request, { apiKey }) => Response.json({ id: apiKey?.id }),
        oneAMinute('key', { identifier: 'apiKey' }),
      ),
      { verifier },
    );
    expect((await GET(get({ 'x-api-key': READER }), params)).status).toBe(200);
    const denied = await GET(get({ 'x-api-key': READER }), params);
    expect(denied.status).toBe(429);
    expect(await denied.text()).not.toContain(READER);
  });
});

describe('a metered key behind a rate limit', () => {
  const sorted = (value: string | null) => (value ?? '').split(', ').sort();

  it("withApiKey around withRateLimit lists the key's limit and the route's; the handler's own header wins", async () => {
    const GET = withApiKey(
      withRateLimit(() => Response.json({ ok: true }), byKeyOfFive('both-route')),
      { verifier, rateLimitHeaders: 'draft-8' },
    );
    const answer = await GET(get({ 'x-api-key': LIMITED[0] }), params);
    expect(answer.status).toBe(200);
    expect(sorted(answer.headers.get('ratelimit-policy'))).toEqual([...BOTH_POLICIES].sort());
    const states = sorted(answer.headers.get('ratelimit'));
    expect(states.some((item) => BOTH_STATES[0]!.test(item)) && states.some((item) => BOTH_STATES[1]!.test(item))).toBe(
      true,
    );
    const own = withApiKey(
      withRateLimit(() => new Response('ok', { headers: { 'RateLimit-Policy': '"own";q=9' } }), byKeyOfFive('own')),
      { verifier, rateLimitHeaders: 'draft-8' },
    );
    const kept = await own(get({ 'x-api-key': LIMITED[1] }), params);
    expect(kept.headers.get('ratelimit-policy')).toBe('"own";q=9');
  });

  it("keyguardMiddleware's rateLimit lists the key's limit and the route's", async () => {
    const middleware = keyguardMiddleware({
      verifier,
      forward: false,
      rateLimitHeaders: 'draft-8',
      rateLimit: byKeyOfFive('both-mw'),
    });
    const answer = await middleware(get({ 'x-api-key': LIMITED[2] }));
    expect(answer.headers.get('ratelimit-policy')).toBe(BOTH_POLICIES.join(', '));
    expect(answer.headers.get('ratelimit')).toMatch(/^"requests";r=0;t=\d+, "1m";r=4;t=\d+$/);
  });
});

describe('withRateLimitPages (Pages Router API routes)', () => {
  const preview = { previewModeId: 'id', previewModeEncryptionKey: 'e', previewModeSigningKey: 's', dev: false };
  const serve = (handler: (req: NextApiRequest, res: NextApiResponse) => unknown): Server =>
    createServer((req, res) => void apiResolver(req, res, {}, { default: handler }, preview, true));

  it("counts by the socket's address; inside withApiKeyPages, by req.apiKey", async () => {
    const byAddress = serve(withRateLimitPages((_req, res) => res.status(200).json({ ok: true }), oneAMinute('pages')));
    const first = await request(byAddress).get('/').set('x-forwarded-for', '198.51.100.1').expect(200);
    expect(first.headers.ratelimit).toMatch(/^"1m";r=0;t=\d+$/);
    await request(byAddress).get('/').set('x-forwarded-for', '198.51.100.2').expect(429);

    const byKey = serve(
      withApiKeyPages(
        withRateLimitPages(
          (req, res) => res.status(200).json({ ok: true }),
          oneAMinute('pages-key', { identifier: 'apiKey' }),
        ),
        { verifier },
      ),
    );
    await request(byKey).get('/').set('x-api-key', READER).expect(200);
    await request(byKey).get('/').set('x-api-key', READER).expect(429);
  });
});

describe('middleware', () => {
  it('rateLimitMiddleware lets a request on with its headers, or answers the denial', async () => {
    const middleware = rateLimitMiddleware(oneAMinute('mw', { identifier: { header: 'x-tenant' } }));
    const settlements: Promise<unknown>[] = [];
    const event = { waitUntil: (promise: Promise<unknown>) => void settlements.push(promise) };
    const first = await middleware(get({ 'x-tenant': 'acme' }), event);
    expect(first.headers.get('x-middleware-next')).toBe('1');
    expect(first.headers.get('ratelimit')).toMatch(/^"1m";r=0;t=\d+$/);
    expect((await middleware(get({ 'x-tenant': 'acme' }), event)).status).toBe(429);
    await Promise.all(settlements);
  });

  it("keyguardMiddleware's rateLimit counts after verifying, by the key", async () => {
    const middleware = keyguardMiddleware({
      verifier,
      forward: false,
      rateLimit: oneAMinute('kg', { identifier: 'apiKey' }),
    });
    expect((await middleware(get({ 'x-api-key': READER }))).headers.get('ratelimit-policy')).toBe('"1m";q=1;w=60');
    expect((await middleware(get({ 'x-api-key': READER }))).status).toBe(429);
    expect((await middleware(get())).status).toBe(401);
    expect(middleware.rateLimiter()?.stats()).toMatchObject({ allowed: 1, limited: 1 });
  });

  it("keyguardMiddleware refuses a rateLimit counting by 'ip' without trustProxy", () => {
    expect(() => keyguardMiddleware({ verifier, forward: false, rateLimit: oneAMinute('kg-ip') })).toThrow(
      ConfigurationError,
    );
  });
});
