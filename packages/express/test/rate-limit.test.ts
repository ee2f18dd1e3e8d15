import express from 'express';
import request from 'supertest';
import { beforeEach, describe, expect, it } from 'vitest';
import { ConfigurationError, memoryRateLimitBackend } from '@keyguard/core';
import type { RateLimitBackend } from '@keyguard/core';
import { keyguard, rateLimit } from '@keyguard/express';
import { STANDARD_KEYS, useFakeUnkeyService } from '../../../test/support/adapter-test-service.js';
import { registerSecret } from '../../../test/support/secrets.js';
import { awayFromWindowEdge } from '../../../test/support/window-edge.js';

const READER = 'sk_express_rl_reader_1';
const WRITER = 'sk_express_rl_writer_2';
const LIMITED = 'sk_express_rl_limited_3';
const LIMITED_TOO = 'sk_express_rl_limited_4';
registerSecret(READER, WRITER, LIMITED, LIMITED_TOO);

const { verifier } = await useFakeUnkeyService({
  [READER]: STANDARD_KEYS.reader,
  [WRITER]: STANDARD_KEYS.writer,
  [LIMITED]: STANDARD_KEYS.limited,
  [LIMITED_TOO]: { ...STANDARD_KEYS.limited, keyId: 'key_limited_too' },
});

function app(...handlers: express.RequestHandler[]) {
  const server = express();
  server.get('/', ...handlers, (req, res) => void res.json({ id: req.apiKey?.id ?? null }));
  return server;
}

// The limits here count in fixed windows of the clock: each test's requests start away from a window's end.
beforeEach(() => awayFromWindowEdge(60_000));

describe('rateLimit() for Express', () => {
  it("counts by the socket's address and ignores X-Forwarded-For unless trustProxy says so", async () => {
    const limit = rateLimit({ backend: memoryRateLimitBackend(), namespace: 'ip', limit: 2, duration: '1m' });
    const server = app(limit);
    await request(server).get('/').set('x-forwarded-for', '198.51.100.1').expect(200);
    const second = await request(server).get('/').set('x-forwarded-for', '198.51.100.2').expect(200);
    expect(second.headers.ratelimit).toMatch(/^"1m";r=0;t=\d+$/);
    const third = await request(server).get('/').set('x-forwarded-for', '198.51.100.3').expect(429);
    expect(third.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(third.headers['retry-after']).toMatch(/^\d+$/);
    expect(third.body.code).toBe('RATE_LIMITED');
    expect(limit.rateLimiter.stats()).toMatchObject({ allowed: 2, limited: 1 });
  });

  it('believes X-Forwarded-For from a trusted proxy', async () => {
    const limit = rateLimit({
      backend: memoryRateLimitBackend(),
      namespace: 'proxied',
      limit: 1,
      duration: '1m',
      trustProxy: ['127.0.0.1', '::1'],
    });
    const server = app(limit);
    await request(server).get('/').set('x-forwarded-for', '198.51.100.1').expect(200);
    await request(server).get('/').set('x-forwarded-for', '198.51.100.2').expect(200);
    await request(server).get('/').set('x-forwarded-for', '198.51.100.1').expect(429);
  });

  it('after keyguard(), counts by req.apiKey: each key has its own window, and the key never shows in the answer', async () => {
    const auth = keyguard({ verifier });
    const limit = rateLimit({
      backend: memoryRateLimitBackend(),
      namespace: 'keys',
      limit: 1,
      duration: '1m',
      identifier: 'apiKey',
    });
    const server = app(auth, limit);
    await request(server).get('/').set('x-api-key', READER).expect(200, { id: 'key_reader' });
    await request(server).get('/').set('x-api-key', WRITER).expect(200, { id: 'key_writer' });
    const denied = await request(server).get('/').set('x-api-key', READER).expect(429);
    expect(JSON.stringify(denied.headers) + denied.text).not.toContain(READER);
  });

  it("on a metered key, reports the key's limit and the route's: draft-8 lists both, draft-6 the most restrictive", async () => {
    const both = rateLimit({ backend: memoryRateLimitBackend(), namespace: 'both-8', limit: 5, duration: '1m' });
    const listed = await request(app(keyguard({ verifier, rateLimitHeaders: 'draft-8' }), both))
      .get('/')
      .set('x-api-key', LIMITED)
      .expect(200);
    expect(listed.headers['ratelimit-policy']).toBe('"requests";q=1;w=60, "1m";q=5;w=60');
    expect(listed.headers.ratelimit).toMatch(/^"requests";r=0;t=\d+, "1m";r=4;t=\d+$/);
  });

  it('on a metered key in draft-6, keeps the most restrictive limit whole (the key has none left, the route 4)', async () => {
    const style = { rateLimitHeaders: 'draft-6' } as const;
    const limit = rateLimit({
      backend: memoryRateLimitBackend(),
      namespace: 'both-6',
      limit: 5,
      duration: '1m',
      ...style,
    });
    const answer = await request(app(keyguard({ verifier, ...style }), limit))
      .get('/')
      .set('x-api-key', LIMITED_TOO)
      .expect(200);
    expect(answer.headers['ratelimit-limit']).toBe('1');
    expect(answer.headers['ratelimit-remaining']).toBe('0');
    expect(answer.headers['ratelimit-policy']).toBe('1;w=60');
  });

  it('passes a backend failure on as a 503 (fail-closed) with Retry-After', async () => {
    const down: RateLimitBackend = { kind: 'down', batching: false, limit: () => Promise.reject(new Error('down')) };
    const quiet = { warn: () => undefined, error: () => undefined };
    const limit = rateLimit({ backend: down, namespace: 'down', limit: 1, duration: '1m', logger: quiet });
    const answer = await request(app(limit)).get('/').expect(503);
    expect(answer.headers['retry-after']).toBe('1');
    expect(answer.body.code).toBe('RATE_LIMIT_UNAVAILABLE');
  });

  it('refuses wrong options at start-up', () => {
    expect(() => rateLimit({ backend: memoryRateLimitBackend(), namespace: 'x', limit: 0, duration: '1m' })).toThrow(
      ConfigurationError,
    );
  });
});
