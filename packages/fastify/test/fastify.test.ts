import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigurationError, PermissionQuerySyntaxError } from '@keyguard/core';
import type { AdapterOptions } from '@keyguard/core';
import { unkey } from '@keyguard/unkey';
import { keyguard, requirePermissions } from '@keyguard/fastify';
import type { KeyguardFastifyOptions } from '@keyguard/fastify';
import { STANDARD_KEYS, useFakeUnkeyService } from '../../../test/support/adapter-test-service.js';
import { httpGet } from '../../../test/support/http-get.js';

const READER = 'sk_fastify_reader_1';
const WRITER = 'sk_fastify_writer_2';
const LIMITED = 'sk_fastify_limited_3';
const METERED = 'sk_fastify_metered_4';

const { fake, verifier } = await useFakeUnkeyService({
  [READER]: STANDARD_KEYS.reader,
  [WRITER]: STANDARD_KEYS.writer,
  [LIMITED]: STANDARD_KEYS.limited,
  [METERED]: STANDARD_KEYS.metered,
});
const apps: FastifyInstance[] = [];

/** An app with keyguard on the root scope, the way most APIs use it. */
async function buildApp(options: AdapterOptions = {}): Promise<FastifyInstance> {
  const app = Fastify();
  apps.push(app);
  await app.register(keyguard, { verifier, ...options });
  app.get('/private', async (request) => ({ id: request.apiKey?.id }));
  app.get('/optional', { config: { keyguard: { optional: true } } }, async (request) => ({
    id: request.apiKey?.id ?? null,
  }));
  app.post('/write', { config: { keyguard: { permissions: 'docs.write' } } }, async (request, reply) =>
    reply.code(201).send(request.body),
  );
  app.get('/scoped', { onRequest: app.requirePermissions('docs.read AND (docs.write OR admin)') }, async () => ({
    ok: true,
  }));
  app.get('/handler-guard', { preHandler: requirePermissions('docs.write') }, async () => ({ ok: true }));
  return app;
}

afterEach(async () => {
  await Promise.all(apps.splice(0).map((app) => app.close()));
});

describe('keyguard plugin for Fastify', () => {
  it('answers 401 with a Bearer challenge and a problem body when no key is sent', async () => {
    const app = await buildApp();
    const response = await app.inject({ url: '/private' });
    expect(response.statusCode).toBe(401);
    expect(response.headers['www-authenticate']).toBe('Bearer realm="api"');
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.json()).toMatchObject({
      status: 401,
      code: 'MISSING_KEY',
      type: expect.stringMatching(/^urn:keyguard:problem:/),
    });
  });

  it('sets request.apiKey from a bearer token or x-api-key', async () => {
    const app = await buildApp();
    for (const headers of [
      { authorization: `Bearer ${READER}` },
      { authorization: `bEaReR ${READER}` },
      { 'x-api-key': READER },
    ]) {
      const response = await app.inject({ url: '/private', headers });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({ id: 'key_reader' });
    }
  });

  it('answers 400 invalid_request for malformed or doubled credentials, 401 invalid_token for an unknown key', async () => {
    const app = await buildApp();
    const malformed = await app.inject({ url: '/private', headers: { authorization: 'Bearer not a token' } });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.headers['www-authenticate']).toBe('Bearer realm="api", error="invalid_request"');
    const doubled = await app.inject({
      url: '/private',
      headers: { authorization: `Bearer ${READER}`, 'x-api-key': READER },
    });
    expect(doubled.statusCode).toBe(400);
    const unknown = await app.inject({ url: '/private', headers: { 'x-api-key': 'sk_fastify_unknown_9' } });
    expect(unknown.statusCode).toBe(401);
    expect(unknown.headers['www-authenticate']).toBe('Bearer realm="api", error="invalid_token"');
    expect(unknown.body).not.toContain('sk_fastify_unknown_9');
  });

  it('answers 400 invalid_request for a credential header sent twice, whichever line holds the valid key', async () => {
    const app = await buildApp();
    const url = await app.listen({ port: 0, host: '127.0.0.1' });
    const callsBefore = fake.totalCalls;
    for (const headers of [
      { authorization: [`Bearer ${READER}`, 'Bearer sk_fastify_unknown_9'] },
      { authorization: ['Bearer sk_fastify_unknown_9', `Bearer ${READER}`] },
      { 'x-api-key': [READER, READER] },
    ]) {
      const response = await httpGet(`${url}/private`, headers);
      expect(response.status).toBe(400);
      expect(response.headers['www-authenticate']).toBe('Bearer realm="api", error="invalid_request"');
      expect(JSON.parse(response.text)).toMatchObject({ code: 'AMBIGUOUS_KEY' });
    }
    expect(fake.totalCalls).toBe(callsBefore);
  });

  it('answers 401 naming the Bearer scheme for a key sent without it or another scheme', async () => {
    const app = await buildApp();
    for (const authorization of [READER, 'Basic dXNlcjpwYXNz']) {
      const response = await app.inject({ url: '/private', headers: { authorization } });
      expect(response.statusCode).toBe(401);
      expect(response.headers['www-authenticate']).toBe('Bearer realm="api"');
      expect(response.json()).toMatchObject({
        code: 'MISSING_KEY',
        detail: expect.stringContaining('Authorization: Bearer <key>'),
      });
    }
  });

  it('serves routes with `config.keyguard.optional` with and without a key, but not with a bad one', async () => {
    const app = await buildApp();
    expect((await app.inject({ url: '/optional' })).json()).toEqual({ id: null });
    expect((await app.inject({ url: '/optional', headers: { 'x-api-key': READER } })).json()).toEqual({
      id: 'key_reader',
    });
    expect((await app.inject({ url: '/optional', headers: { 'x-api-key': 'sk_fastify_unknown_9' } })).statusCode).toBe(
      401,
    );
  });

  it('checks `config.keyguard.permissions` in onRequest, before the body is parsed', async () => {
    const app = await buildApp();
    const denied = await app.inject({
      method: 'POST',
      url: '/write',
      headers: { 'x-api-key': READER, 'content-type': 'application/json' },
      payload: '{broken json',
    });
    expect(denied.statusCode).toBe(403);
    expect(denied.headers['www-authenticate']).toBe(
      'Bearer realm="api", error="insufficient_scope", scope="docs.write"',
    );
    expect(denied.json()).toMatchObject({ status: 403, code: 'INSUFFICIENT_PERMISSIONS' });
    const allowed = await app.inject({
      method: 'POST',
      url: '/write',
      headers: { 'x-api-key': WRITER },
      payload: { title: 'a' },
    });
    expect(allowed.statusCode).toBe(201);
    expect(allowed.json()).toEqual({ title: 'a' });
  });

  it('guards with fastify.requirePermissions (onRequest) and the standalone requirePermissions (preHandler)', async () => {
    const app = await buildApp();
    expect((await app.inject({ url: '/scoped', headers: { 'x-api-key': READER } })).statusCode).toBe(403);
    expect((await app.inject({ url: '/scoped', headers: { 'x-api-key': WRITER } })).statusCode).toBe(200);
    expect((await app.inject({ url: '/handler-guard', headers: { 'x-api-key': READER } })).statusCode).toBe(403);
    expect((await app.inject({ url: '/handler-guard', headers: { 'x-api-key': WRITER } })).json()).toEqual({
      ok: true,
    });
  });

  it('throws at start-up for a bad permission query, in a guard or in route config', async () => {
    expect(() => requirePermissions('docs.read AND')).toThrow(PermissionQuerySyntaxError);
    const app = Fastify();
    apps.push(app);
    await app.register(keyguard, { verifier });
    expect(() => app.requirePermissions('(docs.read')).toThrow(PermissionQuerySyntaxError);
    expect(() => app.get('/bad', { config: { keyguard: { permissions: 'OR docs.read' } } }, async () => ({}))).toThrow(
      PermissionQuerySyntaxError,
    );
  });

  it('honours route settings of routes declared before the plugin was loaded', async () => {
    const app = Fastify();
    apps.push(app);
    app.get('/early-optional', { config: { keyguard: { optional: true } } }, async (request) => ({
      id: request.apiKey?.id ?? null,
    }));
    app.get('/early-write', { config: { keyguard: { permissions: 'docs.write' } } }, async () => ({ ok: true }));
    void app.register(keyguard, { verifier });
    await app.ready();
    expect((await app.inject({ url: '/early-optional' })).json()).toEqual({ id: null });
    expect((await app.inject({ url: '/early-write', headers: { 'x-api-key': READER } })).statusCode).toBe(403);
    expect((await app.inject({ url: '/early-write', headers: { 'x-api-key': WRITER } })).statusCode).toBe(200);
  });

  it('runs before routing answers 404: an unknown route is 401 without a key, 404 with one', async () => {
    const app = await buildApp();
    expect((await app.inject({ url: '/nowhere' })).statusCode).toBe(401);
    expect((await app.inject({ url: '/nowhere', headers: { 'x-api-key': READER } })).statusCode).toBe(404);
  });

  it('protects only the scope it is registered in', async () => {
    const app = Fastify();
    apps.push(app);
    app.get('/health', async () => ({ ok: true }));
    await app.register(
      async (api) => {
        await api.register(keyguard, { verifier });
        api.get('/me', async (request) => ({ id: request.apiKey?.id }));
      },
      { prefix: '/api' },
    );
    await app.register(async (sibling) => {
      sibling.get('/open', async (request) => ({ id: request.apiKey ?? null }));
    });
    await app.ready();
    expect(app.hasDecorator('requirePermissions')).toBe(false);
    expect((await app.inject({ url: '/health' })).statusCode).toBe(200);
    expect((await app.inject({ url: '/open' })).json()).toEqual({ id: null });
    expect((await app.inject({ url: '/api/me' })).statusCode).toBe(401);
    expect((await app.inject({ url: '/api/me', headers: { 'x-api-key': READER } })).json()).toEqual({
      id: 'key_reader',
    });
  });

  it('refuses a `prefix` option instead of silently protecting the whole parent scope', async () => {
    const app = Fastify();
    apps.push(app);
    await expect(app.register(keyguard, { verifier, prefix: '/api' } as KeyguardFastifyOptions)).rejects.toThrow(
      ConfigurationError,
    );
  });

  it('verifies a metered key once when a nested scope registers keyguard with the same verifier', async () => {
    const app = Fastify();
    apps.push(app);
    await app.register(keyguard, { verifier });
    await app.register(async (admin) => {
      await admin.register(keyguard, { verifier, realm: 'admin' });
      admin.get('/admin', { onRequest: admin.requirePermissions('admin') }, async (request) => ({
        id: request.apiKey?.id,
      }));
    });
    const before = fake.callsFor(METERED);
    const response = await app.inject({ url: '/admin', headers: { 'x-api-key': METERED } });
    expect(response.statusCode).toBe(403);
    expect(response.headers['www-authenticate']).toBe(
      'Bearer realm="admin", error="insufficient_scope", scope="admin"',
    );
    expect(fake.callsFor(METERED) - before).toBe(1);
  });

  it('answers 429 with Retry-After and RateLimit headers, and sends RateLimit headers on success', async () => {
    const app = await buildApp();
    const ok = await app.inject({ url: '/private', headers: { 'x-api-key': LIMITED } });
    expect(ok.statusCode).toBe(200);
    expect(ok.headers['ratelimit-limit']).toBe('1');
    expect(ok.headers['ratelimit-remaining']).toBe('0');
    const limited = await app.inject({ url: '/private', headers: { 'x-api-key': LIMITED } });
    expect(limited.statusCode).toBe(429);
    // The key's one-minute window started with the first request: come back when it resets, not before.
    expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(50);
    expect(Number(limited.headers['retry-after'])).toBeLessThanOrEqual(60);
    expect(limited.headers['retry-after']).toBe(limited.headers['ratelimit-reset']);
    expect(limited.json()).toMatchObject({ status: 429, code: 'RATE_LIMITED' });
  });

  it('answers 503 with Retry-After when the provider is down and the key is not cached', async () => {
    const app = await buildApp();
    fake.fault = { kind: 'status', status: 500 };
    const response = await app.inject({ url: '/private', headers: { 'x-api-key': 'sk_fastify_uncached_7' } });
    expect(response.statusCode).toBe(503);
    expect(response.headers['retry-after']).toBe('1');
    expect(response.json()).toMatchObject({ status: 503, code: 'PROVIDER_UNAVAILABLE' });
  });

  it('lets onDenied reshape a denial and realm name the challenge', async () => {
    const app = await buildApp({
      realm: 'docs',
      onDenied: (denial) => ({ ...denial, body: { ...denial.body, hint: 'see /docs/auth' } }),
    });
    const response = await app.inject({ url: '/private' });
    expect(response.headers['www-authenticate']).toBe('Bearer realm="docs"');
    expect(response.json().hint).toBe('see /docs/auth');
  });

  it('closes a verifier it created itself when the app closes', async () => {
    const app = Fastify();
    await app.register(keyguard, { provider: unkey({ rootKey: fake.rootKey, baseUrl: fake.url }) });
    app.get('/private', async (request) => ({ id: request.apiKey?.id }));
    expect((await app.inject({ url: '/private', headers: { 'x-api-key': READER } })).json()).toEqual({
      id: 'key_reader',
    });
    const own = app.keyguard.verifier;
    expect(own).not.toBe(verifier);
    expect(own.stats().entries).toBe(1);
    const callsBefore = fake.callsFor(READER);
    await app.close();
    // Closed: its cache is empty and its provider's connection pool shut, so the key it just verified is neither
    // answered from memory nor sent to the key service again.
    expect(own.stats().entries).toBe(0);
    const after = await own.verify(READER).then(
      (verification) => verification,
      (error: unknown) => error,
    );
    expect(after).toMatchObject({ valid: false, code: 'PROVIDER_UNAVAILABLE' });
    expect(fake.callsFor(READER)).toBe(callsBefore);
  });
});
