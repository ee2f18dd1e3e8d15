import Fastify from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigurationError, memoryRateLimitBackend } from '@keyguard/core';
import { keyguard, rateLimit, rateLimitPlugin } from '@keyguard/fastify';
import { STANDARD_KEYS, useFakeUnkeyService } from '../../../test/support/adapter-test-service.js';
import { httpGet } from '../../../test/support/http-get.js';
import { registerSecret } from '../../../test/support/secrets.js';
import { awayFromWindowEdge } from '../../../test/support/window-edge.js';

const READER = 'sk_fastify_rl_reader_1';
registerSecret(READER);

const { verifier } = await useFakeUnkeyService({ [READER]: STANDARD_KEYS.reader });

const apps: ReturnType<typeof Fastify>[] = [];
afterEach(async () => {
  await Promise.all(apps.splice(0).map((app) => app.close()));
});

async function listen(app: ReturnType<typeof Fastify>): Promise<string> {
  apps.push(app);
  return app.listen({ port: 0, host: '127.0.0.1' });
}

const statuses = async (url: string, count: number, headers: Record<string, string> = {}) => {
  const answers: number[] = [];
  for (let index = 0; index < count; index++) answers.push((await httpGet(url, headers)).status);
  return answers;
};

// The limits here count in fixed windows of the clock: each test's requests start away from a window's end.
beforeEach(async () => {
  await awayFromWindowEdge(60_000);
  await awayFromWindowEdge(10_000);
});

describe('rateLimitPlugin', () => {
  it("limits every route with the plugin's limits, each route counted on its own, config.rateLimit over them", async () => {
    const app = Fastify({ forceCloseConnections: true });
    await app.register(rateLimitPlugin, {
      backend: memoryRateLimitBackend(),
      namespace: 'api',
      limit: 2,
      duration: '1m',
    });
    app.get('/a', async () => ({ route: 'a' }));
    app.get('/b', async () => ({ route: 'b' }));
    app.get('/strict', { config: { rateLimit: { limit: 1, duration: '10s' } } }, async () => ({ route: 'strict' }));
    app.get('/free', { config: { rateLimit: false } }, async () => ({ route: 'free' }));
    const url = await listen(app);
    expect(await statuses(`${url}/a`, 3)).toEqual([200, 200, 429]);
    expect(await statuses(`${url}/b`, 2)).toEqual([200, 200]);
    const strict = await httpGet(`${url}/strict`);
    expect(strict.headers['ratelimit-policy']).toBe('"10s";q=1;w=10');
    expect((await httpGet(`${url}/strict`)).status).toBe(429);
    const free = await statuses(`${url}/free`, 4);
    expect(free).toEqual([200, 200, 200, 200]);
    expect((await httpGet(`${url}/free`)).headers.ratelimit).toBeUndefined();
  });

  it('with global: false, limits only the routes that ask, with the defaults they do not override', async () => {
    const app = Fastify({ forceCloseConnections: true });
    await app.register(rateLimitPlugin, {
      backend: memoryRateLimitBackend(),
      namespace: 'opt-in',
      limit: 1,
      duration: '1m',
      global: false,
    });
    app.get('/open', async () => ({}));
    app.get('/limited', { config: { rateLimit: { identifier: { header: 'x-tenant' } } } }, async () => ({}));
    const url = await listen(app);
    expect(await statuses(`${url}/open`, 3)).toEqual([200, 200, 200]);
    expect(await statuses(`${url}/limited`, 2, { 'x-tenant': 'acme' })).toEqual([200, 429]);
  });

  it('runs after keyguard, so routes count by request.apiKey', async () => {
    const app = Fastify({ forceCloseConnections: true });
    await app.register(keyguard, { verifier });
    await app.register(rateLimitPlugin, {
      backend: memoryRateLimitBackend(),
      namespace: 'keys',
      limit: 1,
      duration: '1m',
      identifier: 'apiKey',
      hook: 'preHandler',
    });
    app.get('/', async (request) => ({ id: request.apiKey?.id }));
    const url = await listen(app);
    expect((await httpGet(url, { 'x-api-key': READER })).status).toBe(200);
    const denied = await httpGet(url, { 'x-api-key': READER });
    expect(denied.status).toBe(429);
    expect(denied.text).not.toContain(READER);
  });

  it('refuses a route whose limits have no backend when the route is declared', async () => {
    const app = Fastify();
    apps.push(app);
    await app.register(rateLimitPlugin, { global: false } as never);
    expect(() => app.get('/', { config: { rateLimit: { limit: 1, duration: '1m' } } }, async () => ({}))).toThrow(
      ConfigurationError,
    );
  });
});

describe('rateLimit() as a route hook', () => {
  it("uses Fastify's request.ip (Fastify's trustProxy) unless keyguard's trustProxy is set", async () => {
    const app = Fastify({ forceCloseConnections: true, trustProxy: true });
    const fastifys = rateLimit({ backend: memoryRateLimitBackend(), namespace: 'f', limit: 1, duration: '1m' });
    const ours = rateLimit({
      backend: memoryRateLimitBackend(),
      namespace: 'k',
      limit: 1,
      duration: '1m',
      trustProxy: 1,
    });
    app.get('/fastify-trust', { onRequest: fastifys }, async () => ({}));
    app.get('/keyguard-trust', { onRequest: ours }, async () => ({}));
    app.addHook('onClose', () => Promise.all([fastifys.rateLimiter.close(), ours.rateLimiter.close()]));
    const url = await listen(app);
    for (const path of ['/fastify-trust', '/keyguard-trust']) {
      expect((await httpGet(url + path, { 'x-forwarded-for': '198.51.100.1' })).status).toBe(200);
      expect((await httpGet(url + path, { 'x-forwarded-for': '198.51.100.2' })).status).toBe(200);
      expect((await httpGet(url + path, { 'x-forwarded-for': '198.51.100.1' })).status).toBe(429);
    }
  });
});
