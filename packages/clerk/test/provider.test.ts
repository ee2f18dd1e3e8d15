import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVerifier, type Logger, type Verifier, type VerifierOptions } from '@keyguard/core';
import { createVerifier as createEdgeVerifier } from '@keyguard/core/edge';
import { runtime as fetchRuntime } from '@keyguard/core/runtime-edge';
import { ClerkClient, clerk, type ClerkProviderOptions } from '@keyguard/clerk';
import { FakeClerk, type ClerkFault } from '../../../test/support/fake-clerk.js';
import { closedAfterEach } from '../../../test/support/client-test-helpers.js';
import { closedPortUrl } from '../../../test/support/loopback-server.js';
import { findLeaks, registerSecret } from '../../../test/support/secrets.js';

const fake = new FakeClerk();
const closeAfterTest = closedAfterEach(() => fake.reset());

/**
 * A verifier in front of the Clerk provider pointed at the fake; closed after each test. Its deadline is one no loaded
 * machine reaches on loopback; the test of a hanging service sets a short one.
 */
function verifierFor(provider: Partial<ClerkProviderOptions> = {}, options: Partial<VerifierOptions> = {}): Verifier {
  const verifier = createVerifier({
    provider: clerk({ secretKey: fake.secretKey, baseUrl: fake.url, timeoutMs: 15_000, ...provider }),
    ...options,
  });
  return closeAfterTest(verifier);
}

/** A 200 whose body is this APIKey object, as a misbehaving or racing Clerk could send. */
function answerWith(fields: Record<string, unknown>): ClerkFault {
  const key = {
    object: 'api_key',
    id: 'ak_0123456789abcdef0123456789abcdef',
    type: 'api_key',
    subject: 'user_1',
    name: 'raced',
    scopes: [],
    claims: null,
    revoked: false,
    expired: false,
    expiration: null,
  };
  return { kind: 'status', status: 200, body: JSON.stringify({ ...key, ...fields }) };
}

function recordingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const record = (message: string, details?: Record<string, unknown>) =>
    lines.push(`${message} ${inspect(details, { depth: 5 })}`);
  return { lines, warn: record, error: record };
}

beforeAll(async () => {
  await fake.start();
});
afterAll(() => fake.stop());

describe('clerk provider: answers', () => {
  it('maps the APIKey object to a VerifiedKey', async () => {
    const expiration = Date.now() + 3_600_000;
    const { id, secret } = fake.add({
      subject: 'user_2abc',
      name: 'reporting',
      scopes: ['reports.read', 'reports.write'],
      claims: { plan: 'pro', seats: 5 },
      expiration,
    });
    const verification = await verifierFor().verify(secret);
    expect(verification).toEqual({
      valid: true,
      code: 'VALID',
      source: 'upstream',
      requestId: undefined,
      key: {
        id,
        provider: 'clerk',
        kind: 'api_key',
        name: 'reporting',
        identity: { id: 'user_2abc', externalId: 'user_2abc', meta: {} },
        permissions: ['reports.read', 'reports.write'],
        roles: [],
        meta: { plan: 'pro', seats: 5 },
        expires: expiration,
        enabled: true,
      },
    });
    expect(fake.requests[0]).toMatchObject({ method: 'POST', url: '/v1/api_keys/verify', body: { secret } });
    expect(fake.requests[0]!.headers).toMatchObject({
      authorization: `Bearer ${fake.secretKey}`,
      'clerk-api-version': '2026-05-12',
    });
  });

  it('maps a key without claims, scopes or expiration to empty meta and permissions and no expiry', async () => {
    const { secret } = fake.add({ subject: 'org_7' });
    const verification = await verifierFor().verify(secret);
    expect(verification.key).toMatchObject({
      identity: { id: 'org_7', externalId: 'org_7' },
      permissions: [],
      meta: {},
    });
    expect(verification.key?.expires).toBeUndefined();
  });

  it('caches a valid answer: a second verification makes no call', async () => {
    const { secret } = fake.add();
    const verifier = verifierFor();
    expect(await verifier.verify(secret)).toMatchObject({ valid: true, source: 'upstream' });
    expect(await verifier.verify(secret)).toMatchObject({ valid: true, source: 'cache' });
    expect(fake.calls('verify')).toBe(1);
  });

  it.each([
    ['unknown', () => 'ak_unknown_key_0000000000'],
    ['revoked', () => fake.add({ revoked: true }).secret],
    ['expired', () => fake.add({ expiration: Date.now() - 1000 }).secret],
  ])('answers NOT_FOUND for a 404 (%s key) and remembers it', async (_label, secretOf) => {
    const secret = secretOf();
    const verifier = verifierFor();
    expect(await verifier.verify(secret)).toMatchObject({
      valid: false,
      code: 'NOT_FOUND',
      source: 'upstream',
      requestId: expect.stringMatching(/^trace_fake/),
    });
    expect(await verifier.verify(secret)).toMatchObject({ valid: false, code: 'NOT_FOUND', source: 'cache' });
    expect(fake.calls('verify')).toBe(1);
  });

  it.each([
    ['revoked', { revoked: true, revocation_reason: 'leaked' }, 'DISABLED'],
    ['expired', { expired: true }, 'EXPIRED'],
    ['past its expiration', { expired: false, expiration: Date.now() - 1 }, 'EXPIRED'],
  ] as const)('treats a 200 for a key %s as invalid, and remembers it', async (_label, fields, code) => {
    const verifier = verifierFor();
    fake.failNext(answerWith(fields));
    expect(await verifier.verify('ak_raced_key_000000000001')).toMatchObject({
      valid: false,
      code,
      source: 'upstream',
    });
    expect(await verifier.verify('ak_raced_key_000000000001')).toMatchObject({ valid: false, code, source: 'cache' });
    expect(fake.calls('verify')).toBe(1);
  });
});

describe('clerk provider: revoked keys', () => {
  it('answers DISABLED for a revoked key that is also past its expiration: revocation decides', async () => {
    const verifier = verifierFor();
    fake.failNext(answerWith({ revoked: true, expired: true, expiration: Date.now() - 1000 }));
    expect(await verifier.verify('ak_revoked_expired_00001')).toMatchObject({ valid: false, code: 'DISABLED' });
  });

  it('refuses a key revoked after it was cached, and does not serve the old answer while Clerk is down', async () => {
    const verifier = verifierFor({}, { cache: { freshMs: 0, staleMs: 0, staleIfErrorMs: 60_000 } });
    const key = { id: 'ak_0123456789abcdef0123456789abcdef', subject: 'user_1' };
    fake.failNext(answerWith({ ...key, revoked: false }));
    expect(await verifier.verify('ak_revoked_later_0000001')).toMatchObject({ valid: true, source: 'upstream' });
    fake.failNext(answerWith({ ...key, revoked: true, revocation_reason: 'leaked' }));
    expect(await verifier.verify('ak_revoked_later_0000001')).toMatchObject({
      valid: false,
      code: 'DISABLED',
      source: 'upstream',
    });
    fake.fault = { kind: 'status', status: 503 };
    expect(await verifier.verify('ak_revoked_later_0000001')).toMatchObject({ valid: false });
  });
});

describe('clerk provider: prefix pre-check', () => {
  it('rejects tokens without the ak_ prefix with no network call', async () => {
    const verifier = verifierFor();
    for (const token of [
      'sk_live_abcdef123456',
      'mt_machine_token_1',
      'eyJhbGciOiJSUzI1NiJ9.e30.sig',
      'AK_upper_case_1',
    ]) {
      expect(await verifier.verify(token)).toEqual({ valid: false, code: 'INVALID_KEY_FORMAT', source: 'local' });
    }
    expect(fake.totalCalls).toBe(0);
  });

  it('uses a custom keyPrefix, or none with false', async () => {
    const custom = verifierFor({ keyPrefix: 'ak_live_' });
    expect(await custom.verify('ak_test_0123456789')).toMatchObject({ code: 'INVALID_KEY_FORMAT' });
    expect(fake.totalCalls).toBe(0);
    const open = verifierFor({ keyPrefix: false });
    expect(await open.verify('any_token_0123456789')).toMatchObject({ code: 'NOT_FOUND', source: 'upstream' });
    expect(fake.calls('verify')).toBe(1);
  });
});

describe('clerk provider: failures', () => {
  it('answers PROVIDER_MISCONFIGURED for a 401, logged once and without the secret key', async () => {
    const wrongSecretKey = 'sk_test_wrong_provider_key_0001';
    registerSecret(wrongSecretKey);
    const logger = recordingLogger();
    const errors: unknown[] = [];
    const verifier = verifierFor(
      { secretKey: wrongSecretKey },
      { logger, hooks: { onProviderError: (error) => errors.push(error) } },
    );
    const { secret } = fake.add();
    expect(await verifier.verify(secret)).toMatchObject({
      valid: false,
      code: 'PROVIDER_MISCONFIGURED',
      requestId: expect.stringMatching(/^trace_fake/),
    });
    expect(await verifier.verify('ak_another_key_00000001')).toMatchObject({
      valid: false,
      code: 'PROVIDER_MISCONFIGURED',
    });
    expect(logger.lines).toHaveLength(1);
    expect(logger.lines[0]).toContain('clerk');
    expect(errors).toHaveLength(2);
    const texts = [
      ...logger.lines,
      ...errors.map((error) => inspect(error, { depth: 10, showHidden: true })),
      ...errors.map((error) => JSON.stringify(error)),
    ];
    expect(findLeaks(texts, [wrongSecretKey, fake.secretKey, secret])).toEqual([]);
  });

  it('honours a 429 Retry-After: fails closed with retryAt and makes no call until then', async () => {
    const verifier = verifierFor();
    fake.failNext({ kind: 'status', status: 429, headers: { 'retry-after': '30' } });
    const before = Date.now();
    const verification = await verifier.verify('ak_first_key_0000000001');
    expect(verification).toMatchObject({ valid: false, code: 'PROVIDER_UNAVAILABLE' });
    expect(verification.retryAt).toBeGreaterThanOrEqual(before + 30_000);
    const { secret } = fake.add();
    expect(await verifier.verify(secret)).toMatchObject({
      valid: false,
      code: 'PROVIDER_UNAVAILABLE',
      retryAt: verification.retryAt,
    });
    expect(fake.calls('verify')).toBe(1);
  });

  it('keeps serving a cached key while Clerk rate limits', async () => {
    const verifier = verifierFor();
    const { secret } = fake.add();
    await verifier.verify(secret);
    fake.fault = { kind: 'status', status: 429, headers: { 'retry-after': '30' } };
    expect(await verifier.verify(secret)).toMatchObject({ valid: true, source: 'cache' });
    expect(await verifier.verify('ak_uncached_key_000000001')).toMatchObject({
      valid: false,
      code: 'PROVIDER_UNAVAILABLE',
    });
  });

  it.each([
    ['a 500', { kind: 'status', status: 500 }],
    ['a 503', { kind: 'status', status: 503 }],
    ['a timeout', { kind: 'hang' }],
    ['a non-JSON 200', { kind: 'non-json' }],
    ['a non-JSON 502', { kind: 'non-json', status: 502 }],
    ['a 200 that is not an APIKey', { kind: 'status', status: 200, body: '{"data":[]}' }],
    ['a dropped connection', { kind: 'reset' }],
  ] as const satisfies readonly (readonly [string, ClerkFault])[])(
    'fails closed with PROVIDER_UNAVAILABLE on %s',
    async (_label, fault) => {
      const logger = recordingLogger();
      const verifier = verifierFor(fault.kind === 'hang' ? { timeoutMs: 200 } : {}, { logger });
      fake.fault = fault;
      const verification = await verifier.verify('ak_uncached_key_000000002');
      expect(verification).toMatchObject({
        valid: false,
        code: 'PROVIDER_UNAVAILABLE',
        source: 'upstream',
        retryAt: expect.any(Number),
      });
      // A verification may have reached Clerk (and been billed): it is not repeated.
      expect(fake.calls('verify')).toBe(1);
      // The start of the outage is logged once, naming the service and the error, never the key; nothing per request.
      expect(logger.lines).toHaveLength(1);
      expect(logger.lines[0]).toMatch(/clerk key service (cannot be reached|gives no usable answer)/);
      expect(logger.lines[0]).not.toContain('ak_uncached_key_000000002');
    },
  );

  it('fails closed when the connection is refused', async () => {
    const verifier = createVerifier({ provider: clerk({ secretKey: fake.secretKey, baseUrl: await closedPortUrl() }) });
    closeAfterTest(verifier);
    expect(await verifier.verify('ak_refused_key_00000001')).toMatchObject({
      valid: false,
      code: 'PROVIDER_UNAVAILABLE',
    });
  });

  it('serves the last good answer while Clerk is down', async () => {
    const verifier = verifierFor({}, { cache: { freshMs: 0, staleMs: 0 } });
    const { secret } = fake.add();
    await verifier.verify(secret);
    fake.fault = { kind: 'status', status: 503 };
    expect(await verifier.verify(secret)).toMatchObject({ valid: true, source: 'stale' });
  });
});

describe('clerk provider with a ClerkClient', () => {
  function clientFor(): ClerkClient {
    const client = new ClerkClient({ secretKey: fake.secretKey, baseUrl: fake.url });
    closeAfterTest(client);
    return client;
  }

  it('drops a cached key at once when it is revoked through the client', async () => {
    const client = clientFor();
    const verifier = verifierFor({}, { clients: [client] });
    const { id, secret } = fake.add({ scopes: ['a'] });
    expect(await verifier.verify(secret)).toMatchObject({ valid: true, source: 'upstream' });
    expect(await verifier.verify(secret)).toMatchObject({ valid: true, source: 'cache' });
    await client.apiKeys.revoke(id, { revocationReason: 'compromised' });
    expect(await verifier.verify(secret)).toMatchObject({ valid: false, code: 'NOT_FOUND', source: 'upstream' });
    expect(fake.calls('verify')).toBe(2);
  });

  it('drops a cached key at once when it is updated or deleted through the client', async () => {
    const client = clientFor();
    const verifier = verifierFor({}, { clients: [client] });
    const { id, secret } = fake.add({ scopes: ['a'] });
    await verifier.verify(secret);
    await client.apiKeys.update(id, { scopes: ['a', 'b'] });
    expect(await verifier.verify(secret)).toMatchObject({
      valid: true,
      source: 'upstream',
      key: { permissions: ['a', 'b'] },
    });
    await client.apiKeys.delete(id);
    expect(await verifier.verify(secret)).toMatchObject({ valid: false, code: 'NOT_FOUND', source: 'upstream' });
  });

  it('verifies a key created through the client', async () => {
    const client = clientFor();
    const created = await client.apiKeys.create({
      name: 'round trip',
      subject: 'user_rt',
      scopes: ['docs.read'],
      claims: { team: 'x' },
    });
    expect(await verifierFor().verify(created.secret!)).toMatchObject({
      valid: true,
      key: {
        id: created.id,
        name: 'round trip',
        permissions: ['docs.read'],
        meta: { team: 'x' },
        identity: { externalId: 'user_rt' },
      },
    });
  });
});

describe('clerk provider: fetch build', () => {
  it('verifies and caches like the Node build', async () => {
    const verifier = createEdgeVerifier({
      provider: clerk({ secretKey: fake.secretKey, baseUrl: fake.url, timeoutMs: 15_000 }, fetchRuntime),
    });
    closeAfterTest(verifier);
    const { id, secret } = fake.add({ scopes: ['edge.read'] });
    expect(await verifier.verify(secret)).toMatchObject({
      valid: true,
      key: { id, provider: 'clerk', permissions: ['edge.read'] },
    });
    expect(await verifier.verify(secret)).toMatchObject({ source: 'cache' });
    expect(await verifier.verify('sk_not_a_clerk_key_1')).toMatchObject({ code: 'INVALID_KEY_FORMAT' });
    expect(fake.calls('verify')).toBe(1);
  });
});
