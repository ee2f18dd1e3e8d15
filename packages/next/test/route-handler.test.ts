import { describe, expect, it } from 'vitest';
import { ConfigurationError, PermissionQuerySyntaxError } from '@keyguard/core';
import { unkey } from '@keyguard/unkey';
import { withApiKey } from '@keyguard/next';
import { STANDARD_KEYS, useFakeUnkeyService } from '../../../test/support/adapter-test-service.js';

const READER = 'sk_next_reader_1';
const WRITER = 'sk_next_writer_2';
const LIMITED = 'sk_next_limited_3';

const { fake, verifier } = await useFakeUnkeyService({
  [READER]: STANDARD_KEYS.reader,
  [WRITER]: STANDARD_KEYS.writer,
  [LIMITED]: STANDARD_KEYS.limited,
});

const get = (path: string, headers: Record<string, string> = {}) => new Request(`http://localhost${path}`, { headers });
const context = <P>(params: P) => ({ params: Promise.resolve(params) });

describe('withApiKey (App Router route handlers)', () => {
  const GET = withApiKey(
    async (_request, { apiKey, params }) => Response.json({ id: apiKey.id, params: await params }),
    () => ({ verifier }),
  );

  it('answers 401 with a Bearer challenge and a problem body when no key is sent, without calling the handler', async () => {
    let called = false;
    const route = withApiKey(
      () => {
        called = true;
        return new Response('no');
      },
      { verifier },
    );
    const response = await route(get('/api/documents'), context({}));
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Bearer realm="api"');
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await response.json()).toMatchObject({ status: 401, code: 'MISSING_KEY' });
    expect(called).toBe(false);
  });

  it('passes { apiKey, params } to the handler; params stays the Promise Next.js gives', async () => {
    const response = await GET(get('/api/documents/7', { authorization: `Bearer ${READER}` }), context({ id: '7' }));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ id: 'key_reader', params: { id: '7' } });
    const viaHeader = await GET(get('/api/documents/8', { 'x-api-key': READER }), context({ id: '8' }));
    expect(await viaHeader.json()).toEqual({ id: 'key_reader', params: { id: '8' } });
  });

  it('works without a context argument (static routes called directly)', async () => {
    const response = await GET(get('/api/documents', { authorization: `bEaReR ${READER}` }), undefined as never);
    expect(await response.json()).toEqual({ id: 'key_reader', params: {} });
  });

  it('answers 400 invalid_request for malformed or doubled credentials', async () => {
    const malformed = await GET(get('/x', { authorization: 'Bearer not a token' }), context({}));
    expect(malformed.status).toBe(400);
    expect(malformed.headers.get('www-authenticate')).toBe('Bearer realm="api", error="invalid_request"');
    const doubled = await GET(get('/x', { authorization: `Bearer ${READER}`, 'x-api-key': READER }), context({}));
    expect(doubled.status).toBe(400);
  });

  it('answers 400 invalid_request for a credential header sent twice (fetch Headers join the lines with ", ")', async () => {
    const callsBefore = fake.totalCalls;
    for (const [name, values] of [
      ['authorization', [`Bearer ${READER}`, 'Bearer sk_next_unknown_9']],
      ['authorization', ['Bearer sk_next_unknown_9', `Bearer ${READER}`]],
      ['x-api-key', [READER, READER]],
    ] as const) {
      const headers = new Headers();
      for (const value of values) headers.append(name, value);
      const response = await GET(new Request('http://localhost/x', { headers }), context({}));
      expect(response.status).toBe(400);
      expect(response.headers.get('www-authenticate')).toBe('Bearer realm="api", error="invalid_request"');
      expect(await response.json()).toMatchObject({ code: 'AMBIGUOUS_KEY' });
    }
    expect(fake.totalCalls).toBe(callsBefore);
  });

  it('answers 401 naming the Bearer scheme for a key sent without it or another scheme', async () => {
    for (const authorization of [READER, 'Basic dXNlcjpwYXNz']) {
      const response = await GET(get('/x', { authorization }), context({}));
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toBe('Bearer realm="api"');
      expect(await response.json()).toMatchObject({
        code: 'MISSING_KEY',
        detail: expect.stringContaining('Authorization: Bearer <key>'),
      });
    }
  });

  it('answers 401 invalid_token for an unknown key, without echoing it', async () => {
    const response = await GET(get('/x', { 'x-api-key': 'sk_next_unknown_9' }), context({}));
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Bearer realm="api", error="invalid_token"');
    expect(await response.text()).not.toContain('sk_next_unknown_9');
  });

  it('serves optional routes with and without a key, but not with a bad one', async () => {
    const route = withApiKey((_request, { apiKey }) => Response.json({ id: apiKey?.id ?? null }), {
      verifier,
      optional: true,
    });
    expect(await (await route(get('/o'), context({}))).json()).toEqual({ id: null });
    expect(await (await route(get('/o', { 'x-api-key': READER }), context({}))).json()).toEqual({ id: 'key_reader' });
    expect((await route(get('/o', { 'x-api-key': 'sk_next_unknown_9' }), context({}))).status).toBe(401);
  });

  it('guards by permission query: 403 insufficient_scope, handler not called', async () => {
    const POST = withApiKey(async (request) => Response.json(await request.json(), { status: 201 }), {
      verifier,
      permissions: 'docs.read AND (docs.write OR admin)',
    });
    const post = (key: string) =>
      new Request('http://localhost/w', { method: 'POST', headers: { 'x-api-key': key }, body: '{"title":"a"}' });
    const denied = await POST(post(READER), context({}));
    expect(denied.status).toBe(403);
    expect(denied.headers.get('www-authenticate')).toMatch(/^Bearer realm="api", error="insufficient_scope"/);
    expect(await denied.json()).toMatchObject({ status: 403, code: 'INSUFFICIENT_PERMISSIONS' });
    const allowed = await POST(post(WRITER), context({}));
    expect(allowed.status).toBe(201);
    expect(await allowed.json()).toEqual({ title: 'a' });
  });

  it('throws at creation for a bad permission query or missing provider', () => {
    expect(() => withApiKey(() => new Response(), { verifier, permissions: 'docs.read AND' })).toThrow(
      PermissionQuerySyntaxError,
    );
    expect(() => withApiKey(() => new Response(), {} as never)).toThrow(ConfigurationError);
  });

  it('answers 429 with Retry-After, and adds RateLimit headers to successful answers', async () => {
    const ok = await GET(get('/x', { 'x-api-key': LIMITED }), context({}));
    expect(ok.status).toBe(200);
    expect(ok.headers.get('ratelimit-limit')).toBe('1');
    expect(ok.headers.get('ratelimit-remaining')).toBe('0');
    const limited = await GET(get('/x', { 'x-api-key': LIMITED }), context({}));
    expect(limited.status).toBe(429);
    // The key's one-minute window started with the first request: come back when it resets, not before.
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(50);
    expect(Number(limited.headers.get('retry-after'))).toBeLessThanOrEqual(60);
    expect(limited.headers.get('retry-after')).toBe(limited.headers.get('ratelimit-reset'));
    expect(await limited.json()).toMatchObject({ status: 429, code: 'RATE_LIMITED' });
  });

  it('leaves a RateLimit header the handler set itself, and adds the others', async () => {
    fake.add('sk_next_limited_5', {
      keyId: 'key_limited_5',
      ratelimit: { name: 'requests', limit: 5, duration: 60_000 },
    });
    const route = withApiKey(() => new Response('own', { headers: { 'RateLimit-Remaining': 'the handler' } }), {
      verifier,
    });
    const response = await route(get('/x', { 'x-api-key': 'sk_next_limited_5' }), context({}));
    expect(response.headers.get('ratelimit-remaining')).toBe('the handler');
    expect(response.headers.get('ratelimit-limit')).toBe('5');
    expect(await response.text()).toBe('own');
  });

  it('adds rate-limit headers even to a response with immutable headers', async () => {
    fake.add('sk_next_limited_4', {
      keyId: 'key_limited_4',
      ratelimit: { name: 'requests', limit: 5, duration: 60_000 },
    });
    const route = withApiKey(() => Response.redirect('http://localhost/elsewhere', 307), { verifier });
    const response = await route(get('/x', { 'x-api-key': 'sk_next_limited_4' }), context({}));
    expect(response.status).toBe(307);
    expect(response.headers.get('location')).toBe('http://localhost/elsewhere');
    expect(response.headers.get('ratelimit-remaining')).toBe('4');
  });

  it('answers 503 with Retry-After when the provider is down and the key is not cached', async () => {
    fake.fault = { kind: 'status', status: 500 };
    const response = await GET(get('/x', { 'x-api-key': 'sk_next_uncached_7' }), context({}));
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('1');
    expect(await response.json()).toMatchObject({ status: 503, code: 'PROVIDER_UNAVAILABLE' });
  });

  it('lets onDenied reshape a denial and realm name the challenge', async () => {
    const route = withApiKey(() => new Response('ok'), {
      verifier,
      realm: 'docs',
      onDenied: (denial) => ({ ...denial, body: { ...denial.body, hint: 'see /docs/auth' } }),
    });
    const response = await route(get('/x'), context({}));
    expect(response.headers.get('www-authenticate')).toBe('Bearer realm="docs"');
    expect(await response.json()).toMatchObject({ hint: 'see /docs/auth' });
  });

  it('with options as a function, builds its keyguard once, on the first request', async () => {
    let calls = 0;
    const route = withApiKey(
      (_request, { apiKey }) => Response.json({ id: apiKey.id }),
      () => {
        calls++;
        return { verifier };
      },
    );
    expect(calls).toBe(0);
    await route(get('/x', { 'x-api-key': READER }), context({}));
    await route(get('/x', { 'x-api-key': WRITER }), context({}));
    expect(calls).toBe(1);
    expect(route.keyguard().verifier).toBe(verifier);
  });

  it('creates one verifier per route when given provider options, and serves repeated keys from its cache', async () => {
    const key = 'sk_next_cached_5';
    fake.add(key, { keyId: 'key_cached' });
    const route = withApiKey((_request, { apiKey }) => Response.json({ id: apiKey.id }), {
      provider: unkey({ rootKey: fake.rootKey, baseUrl: fake.url }),
    });
    try {
      for (let index = 0; index < 3; index++)
        expect((await route(get('/x', { 'x-api-key': key }), context({}))).status).toBe(200);
      expect(fake.callsFor(key)).toBe(1);
    } finally {
      await route.keyguard().close();
    }
  });
});
