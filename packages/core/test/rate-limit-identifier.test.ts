import { describe, expect, it } from 'vitest';
import { createRateLimiter, MAX_IDENTIFIER_LENGTH } from '@keyguard/core';
import type { RateLimitBackend, RateLimitCall, RateLimitOptions, RateLimitRequest, VerifiedKey } from '@keyguard/core';

/** A backend that records whom each request was counted against, and always admits. */
function recorder(): RateLimitBackend & { identifiers: string[] } {
  const identifiers: string[] = [];
  return {
    kind: 'recorder',
    batching: false,
    identifiers,
    limit: async (call: RateLimitCall) => {
      identifiers.push(call.identifier);
      return { success: true, limit: call.limit, remaining: call.limit - 1, reset: Date.now() + call.duration };
    },
  };
}

async function identifierOf(request: RateLimitRequest, options: Partial<RateLimitOptions> = {}) {
  const backend = recorder();
  const limiter = createRateLimiter({ backend, namespace: 'id', limit: 5, duration: '1m', ...options });
  const outcome = await limiter.check(request);
  return outcome.limits.length === 0 ? undefined : backend.identifiers[0];
}

const key = (identity?: string): VerifiedKey => ({
  id: 'key_123',
  provider: 'unkey',
  permissions: [],
  roles: [],
  meta: {},
  enabled: true,
  ...(identity ? { identity: { id: 'id_1', externalId: identity, meta: {} } } : {}),
});

describe('identifier sources', () => {
  it("counts by the socket's address by default, ignoring forwarded headers a client can write", async () => {
    const headers = { 'x-forwarded-for': '1.1.1.1', forwarded: 'for=2.2.2.2' };
    expect(await identifierOf({ headers, ip: '203.0.113.7' })).toBe('203.0.113.7');
    expect(await identifierOf({ headers, ip: '::ffff:203.0.113.7' })).toBe('203.0.113.7');
    expect(await identifierOf({ headers })).toBeUndefined();
  });

  it('with trustProxy hops believes that many proxies, from the socket leftwards', async () => {
    const headers = { 'x-forwarded-for': '6.6.6.6, 198.51.100.1, 10.0.0.2' };
    expect(await identifierOf({ headers, ip: '10.0.0.1' }, { trustProxy: 1 })).toBe('10.0.0.2');
    expect(await identifierOf({ headers, ip: '10.0.0.1' }, { trustProxy: 2 })).toBe('198.51.100.1');
    // More hops than entries: the leftmost, as Express does.
    expect(await identifierOf({ headers, ip: '10.0.0.1' }, { trustProxy: 9 })).toBe('6.6.6.6');
  });

  it('with trusted ranges skips trusted proxies only, so a spoofed leftmost entry is ignored', async () => {
    const trustProxy = ['10.0.0.0/8', 'fd00::/8'];
    const headers = { 'x-forwarded-for': '6.6.6.6, 198.51.100.1, 10.1.2.3' };
    expect(await identifierOf({ headers, ip: '10.0.0.1' }, { trustProxy })).toBe('198.51.100.1');
    expect(await identifierOf({ headers, ip: 'fd00::1' }, { trustProxy })).toBe('198.51.100.1');
    // The socket is not a trusted proxy: its address counts, whatever the headers say.
    expect(await identifierOf({ headers, ip: '203.0.113.9' }, { trustProxy })).toBe('203.0.113.9');
  });

  it('reads Forwarded (RFC 7239) when there is no X-Forwarded-For, quotes, brackets and ports removed', async () => {
    const headers = { forwarded: 'for=192.0.2.60;proto=http, for="[2001:DB8::1]:4711"' };
    expect(await identifierOf({ headers, ip: '10.0.0.1' }, { trustProxy: 1 })).toBe('2001:db8::/64');
    expect(await identifierOf({ headers, ip: '10.0.0.1' }, { trustProxy: 2 })).toBe('192.0.2.60');
  });

  it('counts an IPv6 client by its /64, which one host can pick any address of', async () => {
    for (const ip of ['2001:db8:1:2::1', '2001:DB8:1:2:ffff:eeee:dddd:cccc', '2001:db8:1:2:0:0:0:9%eth0'])
      expect(await identifierOf({ headers: {}, ip })).toBe('2001:db8:1:2::/64');
    expect(await identifierOf({ headers: {}, ip: '2001:db8:1:3::1' })).toBe('2001:db8:1:3::/64');
    expect(await identifierOf({ headers: {}, ip: '::1' })).toBe('::/64');
  });

  it('never leaves a request unlimited because a trusted chain holds a non-address', async () => {
    const headers = { 'x-forwarded-for': 'unknown' };
    expect(await identifierOf({ headers, ip: '10.0.0.1' }, { trustProxy: true })).toBe('10.0.0.1');
  });

  it("counts by the verified key's id or its identity's external id, falling back in order", async () => {
    const request = (apiKey?: VerifiedKey): RateLimitRequest => ({
      headers: {},
      ip: '192.0.2.1',
      ...(apiKey ? { apiKey } : {}),
    });
    expect(await identifierOf(request(key()), { identifier: 'apiKey' })).toBe('key_123');
    expect(await identifierOf(request(key('user_42')), { identifier: 'identity' })).toBe('user_42');
    expect(await identifierOf(request(key()), { identifier: ['identity', 'ip'] })).toBe('192.0.2.1');
    expect(await identifierOf(request(), { identifier: 'apiKey' })).toBeUndefined();
  });

  it('takes a header or a function, sync or async', async () => {
    const headers = { 'X-Tenant': ' acme ' };
    expect(await identifierOf({ headers }, { identifier: { header: 'X-Tenant' } })).toBe('acme');
    expect(await identifierOf({ headers: {}, url: '/t/9' }, { identifier: (r) => r.url?.split('/')[2] })).toBe('9');
    expect(await identifierOf({ headers: {} }, { identifier: [async () => undefined, async () => 'late'] })).toBe(
      'late',
    );
  });

  it(`hashes identifiers longer than ${MAX_IDENTIFIER_LENGTH} characters`, async () => {
    const long = 'x'.repeat(MAX_IDENTIFIER_LENGTH + 1);
    const hashed = await identifierOf({ headers: { 'x-tenant': long } }, { identifier: { header: 'x-tenant' } });
    expect(hashed).toMatch(/^sha256:[0-9a-f]{64}$/);
    const edge = 'y'.repeat(MAX_IDENTIFIER_LENGTH);
    expect(await identifierOf({ headers: { 'x-tenant': edge } }, { identifier: { header: 'x-tenant' } })).toBe(edge);
  });
});
