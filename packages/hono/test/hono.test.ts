import { createAdaptorServer, serve } from '@hono/node-server';
import type { ServerType } from '@hono/node-server';
import { Hono } from 'hono';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PermissionQuerySyntaxError } from '@keyguard/core';
import type { AdapterOptions } from '@keyguard/core';
import { createVerifier as createFetchVerifier } from '@keyguard/core/edge';
import { runtime as fetchRuntime } from '@keyguard/core/runtime-edge';
import { unkey } from '@keyguard/unkey';
import type { Verifier } from '@keyguard/core';
import { keyguard, requirePermissions } from '@keyguard/hono';
import type { KeyguardEnv } from '@keyguard/hono';
import { STANDARD_KEYS, useFakeUnkeyService } from '../../../test/support/adapter-test-service.js';
import { getFrom } from '../../../test/support/http-get.js';

const READER = 'sk_hono_reader_1';
const WRITER = 'sk_hono_writer_2';
const LIMITED = 'sk_hono_limited_3';
const ROOMY = 'sk_hono_roomy_4';
const SPACIOUS = 'sk_hono_spacious_5';

const { fake, verifier } = await useFakeUnkeyService({
  [READER]: STANDARD_KEYS.reader,
  [WRITER]: STANDARD_KEYS.writer,
  [LIMITED]: STANDARD_KEYS.limited,
  [ROOMY]: { keyId: 'key_roomy', permissions: [], ratelimit: { name: 'requests', limit: 10, duration: 60_000 } },
  [SPACIOUS]: { keyId: 'key_spacious', permissions: [], ratelimit: { name: 'requests', limit: 100, duration: 60_000 } },
});

// One header object that every response of a route reuses, as an app may keep one in a constant.
const SHARED_HEADERS: Record<string, string> = { 'content-type': 'text/plain' };

function buildApp(options: AdapterOptions = {}, appVerifier: Verifier = verifier) {
  const app = new Hono<KeyguardEnv>();
  const auth = keyguard({ verifier: appVerifier, ...options });
  app.get('/public', (c) => c.json({ ok: true }));
  app.get('/private', auth, (c) => c.json({ id: c.get('apiKey')?.id }));
  app.get('/optional', keyguard({ verifier: appVerifier, optional: true }), (c) =>
    c.json({ id: c.var.apiKey?.id ?? null }),
  );
  app.post('/write', auth, requirePermissions('docs.write'), async (c) => c.json(await c.req.json(), 201));
  app.get('/scoped', auth, auth.requirePermissions('docs.read AND (docs.write OR admin)'), (c) => c.json({ ok: true }));
  app.get('/own-header', auth, (c) => {
    c.header('RateLimit-Remaining', 'the handler');
    return c.json({ ok: true });
  });
  app.get('/raw-response', auth, () => new Response('raw'));
  // The app's own RateLimit fields in other ways: lowercase in a Response of its own, or set on Node's response.
  app.get('/own-response', auth, () => new Response('own', { headers: { 'ratelimit-remaining': 'the handler' } }));
  app.get('/node-set', auth, (c) => {
    (c.env as { outgoing?: { setHeader(name: string, value: string): void } } | undefined)?.outgoing?.setHeader(
      'RateLimit-Limit',
      'the handler',
    );
    return c.json({ ok: true });
  });
  app.get('/shared-headers', auth, () => new Response('shared', { headers: SHARED_HEADERS }));
  app.get(
    '/stream',
    auth,
    () =>
      new Response(
        new ReadableStream({
          start: (controller) => (controller.enqueue(new TextEncoder().encode('streamed')), controller.close()),
        }),
      ),
  );
  return app;
}

describe('keyguard() for Hono', () => {
  it('leaves public routes alone', async () => {
    const response = await buildApp().request('/public');
    expect(response.status).toBe(200);
  });

  it('answers 401 with a Bearer challenge and a problem body when no key is sent', async () => {
    const response = await buildApp().request('/private');
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Bearer realm="api"');
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(await response.json()).toMatchObject({
      status: 401,
      code: 'MISSING_KEY',
      type: expect.stringMatching(/^urn:keyguard:problem:/),
    });
  });

  it("sets c.get('apiKey') from a bearer token or x-api-key", async () => {
    const app = buildApp();
    for (const headers of [
      { authorization: `Bearer ${READER}` },
      { authorization: `bEaReR ${READER}` },
      { 'x-api-key': READER },
    ] as Record<string, string>[]) {
      const response = await app.request('/private', { headers });
      expect(await response.json()).toEqual({ id: 'key_reader' });
    }
  });

  it('answers 400 invalid_request for malformed or doubled credentials, 401 invalid_token for an unknown key', async () => {
    const app = buildApp();
    const malformed = await app.request('/private', { headers: { authorization: 'Bearer not a token' } });
    expect(malformed.status).toBe(400);
    expect(malformed.headers.get('www-authenticate')).toBe('Bearer realm="api", error="invalid_request"');
    expect(
      (await app.request('/private', { headers: { authorization: `Bearer ${READER}`, 'x-api-key': READER } })).status,
    ).toBe(400);
    const unknown = await app.request('/private', { headers: { 'x-api-key': 'sk_hono_unknown_9' } });
    expect(unknown.status).toBe(401);
    expect(unknown.headers.get('www-authenticate')).toBe('Bearer realm="api", error="invalid_token"');
    expect(await unknown.text()).not.toContain('sk_hono_unknown_9');
  });

  it('answers 400 invalid_request for a credential header sent twice, on @hono/node-server and with fetch Headers', async () => {
    const callsBefore = fake.totalCalls;
    const doubled = [
      { authorization: [`Bearer ${READER}`, 'Bearer sk_hono_unknown_9'] },
      { authorization: ['Bearer sk_hono_unknown_9', `Bearer ${READER}`] },
      { 'x-api-key': [READER, READER] },
    ];
    for (const headers of doubled) {
      const response = await getFrom(createAdaptorServer({ fetch: buildApp().fetch }) as Server, '/private', headers);
      expect(response.status).toBe(400);
      expect(response.headers['www-authenticate']).toBe('Bearer realm="api", error="invalid_request"');
      expect(JSON.parse(response.text)).toMatchObject({ code: 'AMBIGUOUS_KEY' });
      // A fetch Request (as on a fetch-only runtime) joins the lines with ", ".
      const fetchHeaders = new Headers();
      for (const [name, values] of Object.entries(headers))
        for (const value of values) fetchHeaders.append(name, value);
      const joined = await buildApp().request('/private', { headers: fetchHeaders });
      expect(joined.status).toBe(400);
      expect(await joined.json()).toMatchObject({ code: 'AMBIGUOUS_KEY' });
    }
    expect(fake.totalCalls).toBe(callsBefore);
  });

  it('answers 401 naming the Bearer scheme for a key sent without it or another scheme', async () => {
    for (const authorization of [READER, 'Basic dXNlcjpwYXNz']) {
      const response = await buildApp().request('/private', { headers: { authorization } });
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toBe('Bearer realm="api"');
      expect(await response.json()).toMatchObject({
        code: 'MISSING_KEY',
        detail: expect.stringContaining('Authorization: Bearer <key>'),
      });
    }
  });

  it('serves optional routes with and without a key, but not with a bad one', async () => {
    const app = buildApp();
    expect(await (await app.request('/optional')).json()).toEqual({ id: null });
    expect(await (await app.request('/optional', { headers: { 'x-api-key': READER } })).json()).toEqual({
      id: 'key_reader',
    });
    expect((await app.request('/optional', { headers: { 'x-api-key': 'sk_hono_unknown_9' } })).status).toBe(401);
  });

  it('guards by permission: 403 insufficient_scope before the body is read', async () => {
    const app = buildApp();
    const denied = await app.request('/write', {
      method: 'POST',
      headers: { 'x-api-key': READER, 'content-type': 'application/json' },
      body: '{broken json',
    });
    expect(denied.status).toBe(403);
    expect(denied.headers.get('www-authenticate')).toBe(
      'Bearer realm="api", error="insufficient_scope", scope="docs.write"',
    );
    expect(await denied.json()).toMatchObject({ status: 403, code: 'INSUFFICIENT_PERMISSIONS' });
    const created = await app.request('/write', {
      method: 'POST',
      headers: { 'x-api-key': WRITER, 'content-type': 'application/json' },
      body: '{"title":"a"}',
    });
    expect(created.status).toBe(201);
    expect(await created.json()).toEqual({ title: 'a' });
    expect((await app.request('/scoped', { headers: { 'x-api-key': READER } })).status).toBe(403);
    expect((await app.request('/scoped', { headers: { 'x-api-key': WRITER } })).status).toBe(200);
  });

  it('throws when a guard is created with a bad query', () => {
    expect(() => requirePermissions('docs.read AND')).toThrow(PermissionQuerySyntaxError);
    expect(() => keyguard({ verifier }).requirePermissions('OR')).toThrow(PermissionQuerySyntaxError);
  });

  it('answers 429 with Retry-After and RateLimit headers, and sends RateLimit headers on success', async () => {
    const app = buildApp();
    const ok = await app.request('/private', { headers: { 'x-api-key': LIMITED } });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('ratelimit-limit')).toBe('1');
    expect(ok.headers.get('ratelimit-remaining')).toBe('0');
    const limited = await app.request('/private', { headers: { 'x-api-key': LIMITED } });
    expect(limited.status).toBe(429);
    // The key's one-minute window started with the first request: come back when it resets, not before.
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(50);
    expect(Number(limited.headers.get('retry-after'))).toBeLessThanOrEqual(60);
    expect(limited.headers.get('retry-after')).toBe(limited.headers.get('ratelimit-reset'));
    expect(await limited.json()).toMatchObject({ status: 429, code: 'RATE_LIMITED' });
  });

  it('answers 503 with Retry-After when the provider is down and the key is not cached', async () => {
    fake.fault = { kind: 'status', status: 500 };
    const response = await buildApp().request('/private', { headers: { 'x-api-key': 'sk_hono_uncached_7' } });
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('1');
    expect(await response.json()).toMatchObject({ status: 503, code: 'PROVIDER_UNAVAILABLE' });
  });

  it('lets onDenied reshape a denial and realm name the challenge', async () => {
    const app = buildApp({
      realm: 'docs',
      onDenied: (denial) => ({ ...denial, body: { ...denial.body, hint: 'see /docs/auth' } }),
    });
    const response = await app.request('/private');
    expect(response.headers.get('www-authenticate')).toBe('Bearer realm="docs"');
    expect((await response.json()).hint).toBe('see /docs/auth');
  });

  it("works with core's fetch build (global fetch and Web Crypto only), as on a fetch-only runtime", async () => {
    const fetchVerifier = createFetchVerifier({
      provider: unkey({ rootKey: fake.rootKey, baseUrl: fake.url, timeoutMs: 15_000 }, fetchRuntime),
    });
    try {
      const app = buildApp({}, fetchVerifier);
      expect(await (await app.request('/private', { headers: { authorization: `Bearer ${READER}` } })).json()).toEqual({
        id: 'key_reader',
      });
      expect((await app.request('/private', { headers: { authorization: 'Bearer sk_hono_unknown_9' } })).status).toBe(
        401,
      );
    } finally {
      await fetchVerifier.close();
    }
  });
});

describe('keyguard() for Hono on @hono/node-server', () => {
  let server: ServerType;
  let url: string;

  beforeAll(async () => {
    await new Promise<void>((resolve) => {
      server = serve({ fetch: buildApp().fetch, port: 0, hostname: '127.0.0.1' }, () => resolve());
    });
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('answers over real HTTP: a denial with its headers, and a verified key', async () => {
    const denied = await fetch(`${url}/private`, { headers: { authorization: 'Basic dXNlcjpwYXNz' } });
    expect(denied.status).toBe(401);
    expect(denied.headers.get('www-authenticate')).toBe('Bearer realm="api"');
    expect(denied.headers.get('content-type')).toBe('application/problem+json');
    expect(await denied.json()).toMatchObject({ code: 'MISSING_KEY' });
    const allowed = await fetch(`${url}/private`, { headers: { authorization: `Bearer ${READER}` } });
    expect(await allowed.json()).toEqual({ id: 'key_reader' });
  });

  // Here the RateLimit headers go on the Node response (c.env.outgoing); with app.request, through c.header. The
  // client sees the same either way.
  it('sends RateLimit headers with whatever the handler answers, the handler having the last word', async () => {
    const app = buildApp();
    const viaNode = (path: string) => fetch(`${url}${path}`, { headers: { 'x-api-key': ROOMY } });
    const viaFetchApi = (path: string) => app.request(path, { headers: { 'x-api-key': ROOMY } });
    for (const send of [viaNode, viaFetchApi]) {
      const json = await send('/private');
      expect(json.status).toBe(200);
      expect(json.headers.get('ratelimit-limit')).toBe('10');
      expect(json.headers.get('content-type')).toMatch(/^application\/json/);
      expect(await json.json()).toEqual({ id: 'key_roomy' });
      const raw = await send('/raw-response');
      expect(await raw.text()).toBe('raw');
      expect(raw.headers.get('ratelimit-policy'), send.name).toBe('10;w=60');
      const own = await send('/own-header');
      expect(own.headers.get('ratelimit-remaining')).toBe('the handler');
      expect(own.headers.get('ratelimit-limit')).toBe('10');
    }
  });

  it("never sends them over the app's own fields or into the app's header objects, and sends them on a stream", async () => {
    const send = (path: string) => fetch(`${url}${path}`, { headers: { 'x-api-key': SPACIOUS } });
    const ownResponse = await send('/own-response');
    expect(await ownResponse.text()).toBe('own');
    expect(ownResponse.headers.get('ratelimit-remaining')).toBe('the handler');
    expect(ownResponse.headers.get('ratelimit-policy')).toBe('100;w=60');
    const nodeSet = await send('/node-set');
    expect(nodeSet.headers.get('ratelimit-limit')).toBe('the handler');
    expect(nodeSet.headers.get('ratelimit-reset')).toMatch(/^\d+$/);
    const first = await send('/shared-headers');
    const second = await send('/shared-headers');
    expect(await second.text()).toBe('shared');
    expect(Number(second.headers.get('ratelimit-remaining'))).toBe(
      Number(first.headers.get('ratelimit-remaining')) - 1,
    );
    expect(Object.keys(SHARED_HEADERS).filter((name) => /ratelimit/i.test(name))).toEqual([]);
    const streamed = await send('/stream');
    expect(await streamed.text()).toBe('streamed');
    expect(streamed.headers.get('ratelimit-limit')).toBe('100');
  });
});

describe('waitUntil on platforms with an execution context', () => {
  it("hands a stale answer's refresh to c.executionCtx.waitUntil, and works without one on Node", async () => {
    const staleVerifier = createFetchVerifier({
      provider: unkey({ rootKey: fake.rootKey, baseUrl: fake.url, timeoutMs: 15_000 }, fetchRuntime),
      cache: { freshMs: 1 },
    });
    try {
      const app = new Hono().get('/private', keyguard({ verifier: staleVerifier }), (c) =>
        c.json({ id: c.get('apiKey').id }),
      );
      const request = () =>
        new Request('http://worker.test/private', { headers: { authorization: `Bearer ${READER}` } });
      const handed: Promise<unknown>[] = [];
      const executionContext = {
        waitUntil: (promise: Promise<unknown>) => void handed.push(promise),
        passThroughOnException: () => undefined,
        props: {},
      };
      expect((await app.fetch(request(), {}, executionContext)).status).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, 5));
      expect((await app.fetch(request(), {}, executionContext)).status).toBe(200);
      expect(handed).toHaveLength(1);
      await handed[0];
      await new Promise((resolve) => setTimeout(resolve, 5));
      // No execution context (Node): the refresh runs on its own and the answer is the same.
      expect((await app.fetch(request())).status).toBe(200);
    } finally {
      await staleVerifier.close();
    }
  });
});
