import { afterEach, describe, expect, it } from 'vitest';
import * as edgeCore from '@keyguard/core/edge';
import { runtime as fetchRuntime } from '@keyguard/core/runtime-edge';
import { ConfigurationError } from '@keyguard/core/edge';
import type { VerifiedKey } from '@keyguard/core';
import { unkey } from '@keyguard/unkey';
import {
  apiKeyFromHeaders,
  keyguardMiddleware,
  signApiKey,
  verifySignedApiKey,
  withApiKey,
} from '../src/entries/index.edge.js';
import { useFakeUnkeyService } from '../../../test/support/adapter-test-service.js';
import { requestSeenByRoute as routedRequest } from '../../../test/support/next-router.js';
import { registerSecret } from '../../../test/support/secrets.js';

// The middleware runs on core's fetch build here (the edge entry), as it does in Next.js.
const SECRET = 'forward-secret-0123456789abcdef0123456789';
const OTHER_SECRET = 'another-secret-0123456789abcdef012345678';
const READER = 'sk_mw_reader_1';
const LIMITED = 'sk_mw_limited_2';
const HEADER = 'x-keyguard-api-key';
registerSecret(SECRET, OTHER_SECRET);

const { fake, verifier } = await useFakeUnkeyService(
  {
    [READER]: {
      keyId: 'key_reader',
      name: 'reader',
      permissions: ['docs.read'],
      identity: { id: 'id_1', externalId: 'user_1' },
    },
    [LIMITED]: { keyId: 'key_limited', ratelimit: { name: 'requests', limit: 3, duration: 60_000 } },
  },
  { createVerifier: edgeCore.createVerifier, runtime: fetchRuntime },
);

afterEach(() => {
  delete process.env.KEYGUARD_FORWARD_SECRET;
});

const request = (headers: Record<string, string> = {}, path = '/api/edge/documents') =>
  new Request(`http://localhost${path}`, { headers });

/** The request the route sees after the middleware let `original` through (which it must have). */
function requestSeenByRoute(original: Request, middlewareResponse: Response): Request {
  expect(middlewareResponse.headers.get('x-middleware-next')).toBe('1');
  return routedRequest(original, middlewareResponse);
}

describe('keyguardMiddleware (edge)', () => {
  const middleware = keyguardMiddleware(() => ({ verifier, forward: { secret: SECRET } }));

  it("denies a request without a key with keyguard's 401", async () => {
    const response = await middleware(request());
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Bearer realm="api"');
    expect(response.headers.get('x-middleware-next')).toBeNull();
    expect(await response.json()).toMatchObject({ status: 401, code: 'MISSING_KEY' });
  });

  it('lets a valid key through and forwards its identity, signed, to the route', async () => {
    const original = request({ authorization: `Bearer ${READER}` });
    const routeRequest = requestSeenByRoute(original, await middleware(original));
    expect(routeRequest.headers.get('authorization')).toBe(`Bearer ${READER}`);
    const forwarded = routeRequest.headers.get(HEADER);
    expect(forwarded).toMatch(/^kg1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
    expect(forwarded).not.toContain(READER);
    const apiKey = await apiKeyFromHeaders(routeRequest.headers, { secret: SECRET });
    expect(apiKey).toMatchObject({
      id: 'key_reader',
      name: 'reader',
      permissions: ['docs.read'],
      identity: { externalId: 'user_1' },
    });
  });

  it('strips an identity header sent by the client and replaces it with the verified one', async () => {
    const forgedKey: VerifiedKey = {
      id: 'key_admin',
      provider: 'unkey',
      permissions: ['admin'],
      roles: [],
      meta: {},
      enabled: true,
    };
    const forged = await signApiKey(forgedKey, { secret: OTHER_SECRET });
    const original = request({ 'x-api-key': READER, [HEADER]: forged });
    const routeRequest = requestSeenByRoute(original, await middleware(original));
    expect(routeRequest.headers.get(HEADER)).not.toBe(forged);
    expect((await apiKeyFromHeaders(routeRequest.headers, { secret: SECRET }))?.id).toBe('key_reader');
  });

  it('strips the header on optional routes called without a key, and on `forward: false`', async () => {
    const optional = keyguardMiddleware(() => ({ verifier, optional: true, forward: { secret: SECRET } }));
    const original = request({ [HEADER]: 'kg1.e30.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' });
    const routeRequest = requestSeenByRoute(original, await optional(original));
    expect(routeRequest.headers.has(HEADER)).toBe(false);

    const gateOnly = keyguardMiddleware(() => ({ verifier, forward: false }));
    const withKey = request({ 'x-api-key': READER, [HEADER]: 'forged' });
    const seen = requestSeenByRoute(withKey, await gateOnly(withKey));
    expect(seen.headers.has(HEADER)).toBe(false);
    expect(seen.headers.get('x-api-key')).toBe(READER);
  });

  it('applies a permission query: 403 insufficient_scope', async () => {
    const writers = keyguardMiddleware(() => ({ verifier, permissions: 'docs.write', forward: { secret: SECRET } }));
    const response = await writers(request({ 'x-api-key': READER }));
    expect(response.status).toBe(403);
    expect(response.headers.get('www-authenticate')).toMatch(/error="insufficient_scope"/);
    expect(await response.json()).toMatchObject({ code: 'INSUFFICIENT_PERMISSIONS' });
  });

  it('answers unknown keys 401 invalid_token and puts rate-limit state on the response, not the request', async () => {
    const unknown = await middleware(request({ 'x-api-key': 'sk_mw_unknown_9' }));
    expect(unknown.status).toBe(401);
    expect(unknown.headers.get('www-authenticate')).toBe('Bearer realm="api", error="invalid_token"');
    const limited = await middleware(request({ 'x-api-key': LIMITED }));
    expect(limited.headers.get('ratelimit-remaining')).toBe('2');
    expect(limited.headers.get('x-middleware-request-ratelimit-remaining')).toBeNull();
  });

  it('reads the secret from KEYGUARD_FORWARD_SECRET and refuses missing or short secrets', async () => {
    expect(() => keyguardMiddleware({ verifier })).toThrow(ConfigurationError);
    expect(() => keyguardMiddleware({ verifier, forward: { secret: 'short' } })).toThrow(/at least 32 characters/);
    process.env.KEYGUARD_FORWARD_SECRET = SECRET;
    const fromEnv = keyguardMiddleware({ verifier });
    const original = request({ 'x-api-key': READER });
    const routeRequest = requestSeenByRoute(original, await fromEnv(original));
    expect((await apiKeyFromHeaders(routeRequest.headers))?.id).toBe('key_reader');
  });

  it('runs an options factory once, on the first request', async () => {
    let calls = 0;
    const lazy = keyguardMiddleware(() => {
      calls++;
      return { verifier, forward: { secret: SECRET } };
    });
    expect(calls).toBe(0);
    await lazy(request({ 'x-api-key': READER }));
    await lazy(request());
    expect(calls).toBe(1);
  });
});

describe('keyguardMiddleware waitUntil', () => {
  it("hands a stale answer's refresh to the NextFetchEvent's waitUntil", async () => {
    const staleVerifier = edgeCore.createVerifier({
      provider: unkey({ rootKey: fake.rootKey, baseUrl: fake.url, timeoutMs: 15_000 }, fetchRuntime),
      cache: { freshMs: 1 },
    });
    try {
      const middleware = keyguardMiddleware({ verifier: staleVerifier, forward: false });
      const request = () => new Request('http://app.test/api/x', { headers: { 'x-api-key': READER } });
      const handed: Promise<unknown>[] = [];
      const event = { waitUntil: (promise: Promise<unknown>) => void handed.push(promise) };
      expect((await middleware(request(), event)).status).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, 5));
      expect((await middleware(request(), event)).status).toBe(200);
      expect(handed).toHaveLength(1);
      await handed[0];
    } finally {
      await staleVerifier.close();
    }
  });
});

describe('apiKeyFromHeaders', () => {
  const key: VerifiedKey = {
    id: 'key_1',
    provider: 'unkey',
    name: 'Zoë ☕',
    permissions: ['a'],
    roles: [],
    meta: { plan: 'pro' },
    enabled: true,
  };

  it('round-trips a key, including non-ASCII names, from fetch Headers and from Node header records', async () => {
    const value = await signApiKey(key, { secret: SECRET });
    expect(await apiKeyFromHeaders(new Headers({ [HEADER]: value }), { secret: SECRET })).toEqual(key);
    expect(await apiKeyFromHeaders({ [HEADER]: value }, { secret: SECRET })).toEqual(key);
    expect(await apiKeyFromHeaders({ [HEADER]: [value, value] }, { secret: SECRET })).toBeUndefined();
  });

  it('answers undefined for an absent, forged, tampered, malformed or stale value', async () => {
    const value = await signApiKey(key, { secret: SECRET });
    expect(await apiKeyFromHeaders(new Headers(), { secret: SECRET })).toBeUndefined();
    expect(
      await apiKeyFromHeaders(new Headers({ [HEADER]: await signApiKey(key, { secret: OTHER_SECRET }) }), {
        secret: SECRET,
      }),
    ).toBeUndefined();
    const [version, payload, signature] = value.split('.') as [string, string, string];
    const tamperedPayload = `${version}.${payload.slice(0, -2)}${payload.endsWith('A') ? 'B' : 'A'}${payload.slice(-1)}.${signature}`;
    expect(await verifySignedApiKey(tamperedPayload, { secret: SECRET })).toBeUndefined();
    const admin = Buffer.from(JSON.stringify({ iat: Date.now(), key: { ...key, permissions: ['admin'] } })).toString(
      'base64url',
    );
    expect(await verifySignedApiKey(`${version}.${admin}.${signature}`, { secret: SECRET })).toBeUndefined();
    for (const malformed of [
      '',
      'kg1',
      'kg1..',
      `${value}.x`,
      `kg2.${payload}.${signature}`,
      'Bearer x',
      '{"id":"key_1"}',
    ]) {
      expect(await verifySignedApiKey(malformed, { secret: SECRET })).toBeUndefined();
    }
    const old = await signApiKey(key, { secret: SECRET, now: 1_000_000 });
    expect(await verifySignedApiKey(old, { secret: SECRET, now: 1_000_000 + 60_000 })).toEqual(key);
    expect(await verifySignedApiKey(old, { secret: SECRET, now: 1_000_000 + 60_001 })).toBeUndefined();
    expect(await verifySignedApiKey(old, { secret: SECRET, now: 1_000_000 + 5_000, maxAgeMs: 1_000 })).toBeUndefined();
  });

  it('reads a custom header name and needs a secret', async () => {
    const value = await signApiKey(key, { secret: SECRET });
    expect(await apiKeyFromHeaders(new Headers({ 'x-caller': value }), { secret: SECRET, header: 'X-Caller' })).toEqual(
      key,
    );
    await expect(apiKeyFromHeaders(new Headers({ [HEADER]: value }))).rejects.toThrow(ConfigurationError);
  });
});

describe('withApiKey from the edge entry', () => {
  it("protects a route handler with core's fetch build", async () => {
    const GET = withApiKey(
      (_request, { apiKey }) => Response.json({ id: apiKey.id }),
      () => ({ verifier }),
    );
    expect((await GET(request(), { params: Promise.resolve({}) })).status).toBe(401);
    expect(await (await GET(request({ 'x-api-key': READER }), { params: Promise.resolve({}) })).json()).toEqual({
      id: 'key_reader',
    });
  });
});
