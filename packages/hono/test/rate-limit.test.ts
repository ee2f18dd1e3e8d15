import { createAdaptorServer } from '@hono/node-server';
import type { Server } from 'node:http';
import { Hono } from 'hono';
import type { Context } from 'hono';
import type { GetConnInfo } from 'hono/conninfo';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { memoryRateLimitBackend } from '@keyguard/core';
import { keyguard, rateLimit } from '@keyguard/hono';
import type { KeyguardEnv } from '@keyguard/hono';
import { STANDARD_KEYS, useFakeUnkeyService } from '../../../test/support/adapter-test-service.js';
import { httpGet } from '../../../test/support/http-get.js';
import { LoopbackServer } from '../../../test/support/loopback-server.js';
import { registerSecret } from '../../../test/support/secrets.js';
import { awayFromWindowEdge } from '../../../test/support/window-edge.js';

const READER = 'sk_hono_rl_reader_1';
const LIMITED = 'sk_hono_rl_limited_2';
const LIMITED_TOO = 'sk_hono_rl_limited_3';
registerSecret(READER, LIMITED, LIMITED_TOO);

const { verifier } = await useFakeUnkeyService({
  [READER]: STANDARD_KEYS.reader,
  [LIMITED]: STANDARD_KEYS.limited,
  [LIMITED_TOO]: { ...STANDARD_KEYS.limited, keyId: 'key_limited_too' },
});

const limits = { limit: 1, duration: '1m' } as const;
/** What Cloudflare's `getConnInfo` does: the address its edge puts in `CF-Connecting-IP`. */
const cloudflareLike: GetConnInfo = (c) => ({ remote: { address: c.req.header('cf-connecting-ip') } });

const servers: LoopbackServer[] = [];
afterAll(() => Promise.all(servers.map((server) => server.stop())));

async function listen(app: Hono<KeyguardEnv>): Promise<string> {
  const server = new LoopbackServer(createAdaptorServer({ fetch: app.fetch }) as Server);
  servers.push(server);
  return server.start();
}

// The limits here count in fixed windows of the clock: each test's requests start away from a window's end.
beforeEach(() => awayFromWindowEdge(60_000));

describe('rateLimit() for Hono', () => {
  it("on @hono/node-server counts by the socket's address, not by X-Forwarded-For", async () => {
    const limit = rateLimit({ backend: memoryRateLimitBackend(), namespace: 'node', ...limits });
    const url = await listen(new Hono<KeyguardEnv>().get('/', limit, (c) => c.json({ ok: true })));
    const first = await httpGet(url, { 'x-forwarded-for': '198.51.100.1' });
    expect(first.status).toBe(200);
    expect(first.headers['ratelimit-policy']).toBe('"1m";q=1;w=60');
    const second = await httpGet(url, { 'x-forwarded-for': '198.51.100.2' });
    expect(second.status).toBe(429);
    expect(second.headers['retry-after']).toMatch(/^\d+$/);
  });

  it("elsewhere counts by the runtime's getConnInfo, and adds headers to a Response the handler built itself", async () => {
    const limit = rateLimit({
      backend: memoryRateLimitBackend(),
      namespace: 'edge',
      ...limits,
      getConnInfo: cloudflareLike,
    });
    const app = new Hono<KeyguardEnv>().get('/', limit, () => new Response('plain'));
    const first = await app.request('/', { headers: { 'cf-connecting-ip': '203.0.113.9' } });
    expect(first.status).toBe(200);
    expect(first.headers.get('ratelimit')).toMatch(/^"1m";r=0;t=\d+$/);
    expect((await app.request('/', { headers: { 'cf-connecting-ip': '203.0.113.10' } })).status).toBe(200);
    expect((await app.request('/', { headers: { 'cf-connecting-ip': '203.0.113.9' } })).status).toBe(429);
  });

  it('without getConnInfo off Node, the address is unknown: the request is not limited (and gets no headers)', async () => {
    const limit = rateLimit({ backend: memoryRateLimitBackend(), namespace: 'unknown', ...limits });
    const app = new Hono<KeyguardEnv>().get('/', limit, (c) => c.json({ ok: true }));
    for (let attempt = 0; attempt < 3; attempt++) {
      const answer = await app.request('/');
      expect(answer.status).toBe(200);
      expect(answer.headers.get('ratelimit')).toBeNull();
    }
  });

  it("after keyguard(), counts by c.get('apiKey')", async () => {
    const limit = rateLimit({ backend: memoryRateLimitBackend(), namespace: 'key', ...limits, identifier: 'apiKey' });
    const app = new Hono<KeyguardEnv>().get('/', keyguard({ verifier }), limit, (c) =>
      c.json({ id: c.get('apiKey')?.id }),
    );
    const url = await listen(app);
    expect((await httpGet(url, { 'x-api-key': READER })).status).toBe(200);
    const denied = await httpGet(url, { 'x-api-key': READER });
    expect(denied.status).toBe(429);
    expect(denied.text).not.toContain(READER);
  });

  it("on a metered key, lists the key's limit and the route's (draft-8), on Node and on a fetch runtime", async () => {
    const app = (namespace: string, answer: (c: Context<KeyguardEnv>) => Response) =>
      new Hono<KeyguardEnv>().get(
        '/',
        keyguard({ verifier, rateLimitHeaders: 'draft-8' }),
        rateLimit({ backend: memoryRateLimitBackend(), namespace, limit: 5, duration: '1m', identifier: 'apiKey' }),
        answer,
      );
    const policy = '"requests";q=1;w=60, "1m";q=5;w=60';
    const state = /^"requests";r=0;t=\d+, "1m";r=4;t=\d+$/;
    const onNode = await httpGet(await listen(app('node-8', (c) => c.json({ ok: true }))), { 'x-api-key': LIMITED });
    expect(onNode.status).toBe(200);
    expect(onNode.headers['ratelimit-policy']).toBe(policy);
    expect(onNode.headers.ratelimit).toMatch(state);
    // Off Node, and on a Response the handler built itself.
    const onFetch = await app('fetch-8', () => new Response('plain')).request('/', {
      headers: { 'x-api-key': LIMITED_TOO },
    });
    expect(onFetch.status).toBe(200);
    expect(onFetch.headers.get('ratelimit-policy')).toBe(policy);
    expect(onFetch.headers.get('ratelimit')).toMatch(state);
  });
});
