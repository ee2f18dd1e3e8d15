import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeClerk, type ClerkFault } from '../../../test/support/fake-clerk.js';
import { FAST_RETRY, caught, closedAfterEach } from '../../../test/support/client-test-helpers.js';
import { closedPortUrl } from '../../../test/support/loopback-server.js';
import { registerSecret } from '../../../test/support/secrets.js';
import { CLERK_API_VERSION, ClerkApiError, ClerkClient, type ClerkClientOptions } from '@keyguard/clerk';
import { ConfigurationError, KeyguardError } from '@keyguard/core';
import { runtime as nodeRuntime } from '@keyguard/core/runtime';
import { runtime as fetchRuntime } from '@keyguard/core/runtime-edge';
import { TransportError, type Runtime } from '@keyguard/core/service';

const SERVER_ERROR: ClerkFault = { kind: 'status', status: 503 };
const RATE_LIMITED: ClerkFault = { kind: 'status', status: 429, headers: { 'retry-after': '0' } };

const fake = new FakeClerk();
const closeAfterTest = closedAfterEach(() => fake.reset());
const client = (options: Partial<ClerkClientOptions> = {}): ClerkClient =>
  closeAfterTest(new ClerkClient({ secretKey: fake.secretKey, baseUrl: fake.url, retry: FAST_RETRY, ...options }));

const lastRequest = () => fake.requests.at(-1)!;

beforeAll(async () => {
  await fake.start();
});
afterAll(() => fake.stop());

describe('ClerkClient requests', () => {
  it('creates with a snake_case body and answers a camelCase APIKey with its secret', async () => {
    const before = Date.now();
    const created = await client({ userAgent: 'keyguard-test/1' }).apiKeys.create({
      name: 'billing export',
      subject: 'user_123',
      description: 'nightly',
      claims: { tenant_id: 't_1', nested: { plan_name: 'pro' } },
      scopes: ['invoices.read'],
      createdBy: 'user_admin',
      secondsUntilExpiration: 3600,
    });
    const request = lastRequest();
    expect(request).toMatchObject({ method: 'POST', url: '/v1/api_keys', operation: 'create' });
    expect(request.body).toEqual({
      name: 'billing export',
      subject: 'user_123',
      description: 'nightly',
      claims: { tenant_id: 't_1', nested: { plan_name: 'pro' } },
      scopes: ['invoices.read'],
      created_by: 'user_admin',
      seconds_until_expiration: 3600,
    });
    expect(request.headers).toMatchObject({
      authorization: `Bearer ${fake.secretKey}`,
      'clerk-api-version': CLERK_API_VERSION,
      'content-type': 'application/json',
      'user-agent': 'keyguard-test/1',
    });
    expect(created).toMatchObject({
      object: 'api_key',
      type: 'api_key',
      subject: 'user_123',
      name: 'billing export',
      description: 'nightly',
      // Claims are user data: their keys keep their spelling.
      claims: { tenant_id: 't_1', nested: { plan_name: 'pro' } },
      scopes: ['invoices.read'],
      revoked: false,
      revocationReason: null,
      expired: false,
      createdBy: 'user_admin',
      lastUsedAt: null,
    });
    expect(created.id).toMatch(/^ak_[0-9a-f]{32}$/);
    expect(created.secret).toMatch(/^ak_/);
    expect(created.expiration).toBeGreaterThanOrEqual(before + 3_600_000);
    expect(created.createdAt).toBeGreaterThanOrEqual(before);
    expect(Object.keys(created)).not.toContain('created_at');
  });

  it('lists one page with an encoded query and answers {data, totalCount}', async () => {
    fake.add({ subject: 'org_9', name: 'a b&c one' });
    fake.add({ subject: 'org_9', name: 'a b&c two', revoked: true });
    fake.add({ subject: 'org_9', name: 'other' });
    const page = await client().apiKeys.list({
      subject: 'org_9',
      type: 'api_key',
      includeInvalid: true,
      limit: 5,
      offset: 0,
      query: 'A B&C',
    });
    expect(lastRequest()).toMatchObject({ method: 'GET', operation: 'list' });
    expect(lastRequest().url).toBe(
      '/v1/api_keys?subject=org_9&type=api_key&include_invalid=true&limit=5&offset=0&query=A+B%26C',
    );
    expect(lastRequest().query).toEqual({
      subject: 'org_9',
      type: 'api_key',
      include_invalid: 'true',
      limit: '5',
      offset: '0',
      query: 'A B&C',
    });
    expect(page.totalCount).toBe(2);
    expect(page.data.map((key) => key.name).sort()).toEqual(['a b&c one', 'a b&c two']);
    expect(page.data.find((key) => key.revoked)).toMatchObject({ revoked: true, name: 'a b&c two' });
  });

  it('sends only the subject when nothing else is asked, and leaves invalid keys out by default', async () => {
    fake.add({ subject: 'user_only', name: 'live' });
    fake.add({ subject: 'user_only', name: 'gone', expiration: Date.now() - 1000 });
    const page = await client().apiKeys.list({ subject: 'user_only' });
    expect(lastRequest().url).toBe('/v1/api_keys?subject=user_only');
    expect(page).toMatchObject({ totalCount: 1, data: [{ name: 'live' }] });
  });

  it('walks every page with listAll, offset by offset', async () => {
    for (let index = 0; index < 5; index++) fake.add({ subject: 'user_pages', name: `key ${index}` });
    const pages: string[][] = [];
    for await (const page of client().apiKeys.listAll({ subject: 'user_pages', limit: 2 })) {
      expect(page.totalCount).toBe(5);
      pages.push(page.data.map((key) => key.name));
    }
    expect(pages).toEqual([['key 4', 'key 3'], ['key 2', 'key 1'], ['key 0']]);
    expect(fake.requests.map((request) => request.query.offset)).toEqual(['0', '2', '4']);
  });

  it('ends listAll on an empty page even when totalCount says more', async () => {
    const page = (data: unknown[], total: number): ClerkFault => ({
      kind: 'status',
      status: 200,
      body: JSON.stringify({ data, total_count: total }),
    });
    const key = { id: 'ak_1', subject: 'user_1', name: 'one' };
    fake.failNext(page([key], 10), page([], 10));
    const seen: number[] = [];
    for await (const current of client().apiKeys.listAll({ subject: 'user_1', offset: 3 }))
      seen.push(current.data.length);
    expect(seen).toEqual([1, 0]);
    expect(fake.requests.map((request) => request.query.offset)).toEqual(['3', '4']);
  });

  it('calls get, getSecret, update, revoke, delete and verify at their methods and paths', async () => {
    const clerk = client();
    const { id, secret } = fake.add({ subject: 'user_ops', name: 'ops key', scopes: ['a'] });

    await expect(clerk.apiKeys.get(id)).resolves.toMatchObject({ id, name: 'ops key', scopes: ['a'] });
    expect(lastRequest()).toMatchObject({ method: 'GET', url: `/v1/api_keys/${id}`, body: undefined });

    await expect(clerk.apiKeys.getSecret(id)).resolves.toEqual({ secret });
    expect(lastRequest()).toMatchObject({ method: 'GET', url: `/v1/api_keys/${id}/secret` });

    const updated = await clerk.apiKeys.update(id, {
      scopes: ['a', 'b'],
      claims: { tier_name: 'gold' },
      description: null,
      subject: 'user_other',
      secondsUntilExpiration: 60,
    });
    expect(lastRequest()).toMatchObject({
      method: 'PATCH',
      url: `/v1/api_keys/${id}`,
      body: {
        scopes: ['a', 'b'],
        claims: { tier_name: 'gold' },
        description: null,
        subject: 'user_other',
        seconds_until_expiration: 60,
      },
    });
    expect(updated).toMatchObject({
      scopes: ['a', 'b'],
      claims: { tier_name: 'gold' },
      description: null,
      subject: 'user_other',
    });

    await expect(clerk.apiKeys.verify({ secret })).resolves.toMatchObject({
      id,
      subject: 'user_other',
      revoked: false,
    });
    expect(lastRequest()).toMatchObject({ method: 'POST', url: '/v1/api_keys/verify', body: { secret } });
    const verified = await clerk.apiKeys.get(id);
    expect(verified.secret).toBeUndefined();
    expect(verified.lastUsedAt).toEqual(expect.any(Number));

    await expect(clerk.apiKeys.revoke(id, { revocationReason: 'leaked in a log' })).resolves.toMatchObject({
      revoked: true,
      revocationReason: 'leaked in a log',
    });
    expect(lastRequest()).toMatchObject({
      method: 'POST',
      url: `/v1/api_keys/${id}/revoke`,
      body: { revocation_reason: 'leaked in a log' },
    });

    await expect(clerk.apiKeys.delete(id)).resolves.toEqual({ id, object: 'api_key', deleted: true });
    expect(lastRequest()).toMatchObject({ method: 'DELETE', url: `/v1/api_keys/${id}`, body: undefined });
    await expect(clerk.apiKeys.get(id)).rejects.toMatchObject({ code: 'CLERK_NOT_FOUND' });
  });

  it('sends a revocation without a reason as an empty object, and never a field Clerk does not know', async () => {
    const clerk = client();
    const { id } = fake.add();
    await clerk.apiKeys.revoke(id);
    expect(lastRequest().body).toEqual({});
    // A JavaScript caller passing `name` (which cannot change) or a typo: neither reaches Clerk.
    await clerk.apiKeys.update(id, { scopes: [], name: 'renamed', scope: 'typo' } as never);
    expect(lastRequest().body).toEqual({ scopes: [] });
  });

  it('keeps an id to one path segment', async () => {
    const error = await caught(client().apiKeys.get('ak_1/revoke?x=1'));
    expect(lastRequest().url).toBe('/v1/api_keys/ak_1%2Frevoke%3Fx%3D1');
    expect(lastRequest().operation).toBe('get');
    expect(error).toMatchObject({ code: 'CLERK_NOT_FOUND' });
  });

  it('works the same on the fetch runtime', async () => {
    const { id } = fake.add({ name: 'edge key' });
    const fetchClient = new ClerkClient({ secretKey: fake.secretKey, baseUrl: fake.url, retry: false }, fetchRuntime);
    closeAfterTest(fetchClient);
    await expect(fetchClient.apiKeys.get(id)).resolves.toMatchObject({ id, name: 'edge key' });
    await expect(fetchClient.apiKeys.get('ak_missing')).rejects.toBeInstanceOf(ClerkApiError);
    expect(lastRequest().headers['clerk-api-version']).toBe(CLERK_API_VERSION);
  });

  it('refuses to start without a secret key', () => {
    expect(() => new ClerkClient({ secretKey: '' })).toThrow(ConfigurationError);
  });
});

describe('ClerkClient errors', () => {
  it.each([
    [400, 'CLERK_BAD_REQUEST'],
    [401, 'CLERK_UNAUTHORIZED'],
    [403, 'CLERK_FORBIDDEN'],
    [404, 'CLERK_NOT_FOUND'],
    [409, 'CLERK_CONFLICT'],
    [422, 'CLERK_UNPROCESSABLE_ENTITY'],
    [429, 'CLERK_TOO_MANY_REQUESTS'],
    [500, 'CLERK_SERVER_ERROR'],
    [503, 'CLERK_SERVER_ERROR'],
    [410, 'CLERK_HTTP_ERROR'],
  ] as const)('maps HTTP %i to %s with errors[] and clerkTraceId', async (status, code) => {
    fake.failNext({ kind: 'status', status });
    const error = await caught(client({ retry: false }).apiKeys.get('ak_1'));
    expect(error).toBeInstanceOf(ClerkApiError);
    expect(error).toBeInstanceOf(KeyguardError);
    expect(error).toMatchObject({
      code,
      status,
      operation: 'apiKeys.get',
      clerkTraceId: expect.stringMatching(/^trace_fake\d+$/),
      errors: [{ code: 'injected', message: 'injected', longMessage: 'an injected fault' }],
    });
    expect(error.message).toBe(`Clerk apiKeys.get failed (HTTP ${status}): an injected fault`);
    expect(fake.requests).toHaveLength(1);
  });

  it('camelCases the items of a real validation error, meta included', async () => {
    const error = (await caught(client().apiKeys.create({ name: ' padded ', subject: 'user_1' }))) as ClerkApiError;
    expect(error).toMatchObject({ code: 'CLERK_BAD_REQUEST', status: 400 });
    expect(error.errors).toEqual([
      {
        code: 'form_param_format_invalid',
        message: 'is invalid',
        longMessage: 'name must be at least 3 characters long, without leading or trailing spaces',
        meta: { paramName: 'name' },
      },
    ]);
  });

  it('answers 409 for a duplicate, 404 for an unknown key and 401 for a wrong secret key', async () => {
    const clerk = client();
    await clerk.apiKeys.create({ name: 'dup', subject: 'user_dup' });
    await expect(clerk.apiKeys.create({ name: 'dup', subject: 'user_dup' })).rejects.toMatchObject({
      code: 'CLERK_CONFLICT',
      status: 409,
    });
    await expect(clerk.apiKeys.verify({ secret: 'ak_unknown_secret_value' })).rejects.toMatchObject({
      code: 'CLERK_NOT_FOUND',
      errors: [{ code: 'resource_not_found' }],
    });
    const wrong = 'sk_test_wrong_secret_key_0000';
    registerSecret(wrong);
    await expect(client({ secretKey: wrong }).apiKeys.get('ak_1')).rejects.toMatchObject({
      code: 'CLERK_UNAUTHORIZED',
      status: 401,
      errors: [{ code: 'authentication_invalid' }],
    });
  });

  it("rejects an out-of-range limit with the server's 400", async () => {
    await expect(client().apiKeys.list({ subject: 'user_1', limit: 101 })).rejects.toMatchObject({
      code: 'CLERK_BAD_REQUEST',
      errors: [{ meta: { paramName: 'limit' } }],
    });
  });

  it('gives a 429 its retryAt from Retry-After', async () => {
    fake.failNext({ kind: 'status', status: 429, headers: { 'retry-after': '30' } });
    const before = Date.now();
    const error = (await caught(client().apiKeys.create({ name: 'abc', subject: 'user_1' }))) as ClerkApiError;
    expect(error.code).toBe('CLERK_TOO_MANY_REQUESTS');
    expect(error.retryAt).toBeGreaterThanOrEqual(before + 30_000);
  });

  it('keeps the status class of an error whose body is not JSON', async () => {
    fake.failNext({ kind: 'non-json', status: 502 });
    const error = await caught(client({ retry: false }).apiKeys.get('ak_1'));
    expect(error).toMatchObject({ code: 'CLERK_SERVER_ERROR', status: 502, errors: [] });
    expect(error.message).toContain('no Clerk error body');
  });

  it('answers CLERK_BAD_RESPONSE for a success that is not the documented object', async () => {
    fake.failNext(
      { kind: 'non-json' },
      { kind: 'status', status: 200, body: '{"meta":{}}' },
      { kind: 'status', status: 200, body: '[1,2]' },
    );
    const clerk = client();
    for (let index = 0; index < 3; index++) {
      const error = await caught(clerk.apiKeys.get('ak_1'));
      expect(error).toBeInstanceOf(ClerkApiError);
      expect(error).toMatchObject({ code: 'CLERK_BAD_RESPONSE', status: 200 });
    }
  });

  it('answers CLERK_BAD_RESPONSE for a body over the size limit', async () => {
    for (let index = 0; index < 40; index++)
      fake.add({ subject: 'user_big', name: `key number ${index}`, description: 'x'.repeat(100) });
    const error = await caught(client({ maxResponseBytes: 1024 }).apiKeys.list({ subject: 'user_big', limit: 100 }));
    expect(error).toMatchObject({ code: 'CLERK_BAD_RESPONSE', status: undefined });
    expect(error.cause).toBeInstanceOf(TransportError);
  });

  it('turns a dropped connection into CLERK_CONNECTION_FAILED, its cause saying the call may have arrived', async () => {
    fake.failNext({ kind: 'reset' });
    const error = await caught(client().apiKeys.create({ name: 'abc', subject: 'user_1' }));
    expect(error).toBeInstanceOf(ClerkApiError);
    expect(error).toMatchObject({ code: 'CLERK_CONNECTION_FAILED', status: undefined });
    expect(error.cause).toBeInstanceOf(TransportError);
    expect((error.cause as TransportError).sent).toBe(true);
  });
});

/** Node's runtime, with the first `failures` requests refused before anything was sent. */
function refusingFirst(failures: number): Runtime & { attempts: () => number } {
  let attempts = 0;
  return {
    ...nodeRuntime,
    attempts: () => attempts,
    createTransport(baseUrl, options) {
      const inner = nodeRuntime.createTransport(baseUrl, options);
      return {
        request: (request) => {
          attempts += 1;
          return attempts <= failures
            ? Promise.reject(new TransportError('TRANSPORT_CONNECTION_FAILED', 'refused', false))
            : inner.request(request);
        },
        close: () => inner.close(),
      };
    },
  };
}

describe('ClerkClient retries', () => {
  it('retries get, getSecret and list after 5xx, 429 and a dropped connection', async () => {
    const clerk = client();
    const { id, secret } = fake.add({ subject: 'user_retry' });
    fake.failNext(SERVER_ERROR, { kind: 'status', status: 500 }, RATE_LIMITED, { kind: 'reset' });
    await expect(clerk.apiKeys.get(id)).resolves.toMatchObject({ id });
    expect(fake.calls('get')).toBe(5);
    fake.failNext({ kind: 'reset' });
    await expect(clerk.apiKeys.getSecret(id)).resolves.toEqual({ secret });
    expect(fake.calls('getSecret')).toBe(2);
    fake.failNext(RATE_LIMITED);
    await expect(clerk.apiKeys.list({ subject: 'user_retry' })).resolves.toMatchObject({ totalCount: 1 });
    expect(fake.calls('list')).toBe(2);
  });

  it('retries a delete whose answer was lost, and reports the 404 of the repeat', async () => {
    const clerk = client();
    const { id } = fake.add();
    fake.failNext(SERVER_ERROR);
    await expect(clerk.apiKeys.delete(id)).resolves.toMatchObject({ id, deleted: true });
    expect(fake.calls('delete')).toBe(2);
  });

  it.each([
    ['create', (clerk: ClerkClient) => clerk.apiKeys.create({ name: 'abc', subject: 'user_1' })],
    ['update', (clerk: ClerkClient) => clerk.apiKeys.update('ak_1', { scopes: [] })],
    ['revoke', (clerk: ClerkClient) => clerk.apiKeys.revoke('ak_1')],
    ['verify', (clerk: ClerkClient) => clerk.apiKeys.verify({ secret: 'ak_verify_no_retry_1' })],
  ] as const)('never repeats %s after a 503, a 429 or a dropped connection', async (operation, call) => {
    const clerk = client();
    fake.failNext(SERVER_ERROR, RATE_LIMITED, { kind: 'reset' });
    await expect(call(clerk)).rejects.toMatchObject({ status: 503 });
    await expect(call(clerk)).rejects.toMatchObject({ status: 429 });
    await expect(call(clerk)).rejects.toMatchObject({ code: 'CLERK_CONNECTION_FAILED' });
    expect(fake.calls(operation)).toBe(3);
  });

  it('repeats a call with effects when the request certainly never left', async () => {
    const runtime = refusingFirst(2);
    const clerk = new ClerkClient({ secretKey: fake.secretKey, baseUrl: fake.url, retry: FAST_RETRY }, runtime);
    closeAfterTest(clerk);
    await expect(clerk.apiKeys.create({ name: 'after refusals', subject: 'user_1' })).resolves.toMatchObject({
      name: 'after refusals',
    });
    expect(runtime.attempts()).toBe(3);
    expect(fake.calls('create')).toBe(1);
  });

  it('does not retry dropped connections of reads when retryConnectionErrors is false', async () => {
    fake.failNext({ kind: 'reset' });
    await expect(
      client({ retry: { ...FAST_RETRY, retryConnectionErrors: false } }).apiKeys.get('ak_1'),
    ).rejects.toMatchObject({ code: 'CLERK_CONNECTION_FAILED' });
    expect(fake.calls('get')).toBe(1);
  });

  it('gives up at once when Retry-After is past the retry budget', async () => {
    fake.failNext({ kind: 'status', status: 429, headers: { 'retry-after': '3600' } });
    await expect(client().apiKeys.get('ak_1')).rejects.toMatchObject({ code: 'CLERK_TOO_MANY_REQUESTS' });
    expect(fake.calls('get')).toBe(1);
  });

  it('does not retry 4xx other than 429, nor anything with retry: false', async () => {
    await expect(client().apiKeys.get('ak_missing')).rejects.toMatchObject({ code: 'CLERK_NOT_FOUND' });
    fake.failNext(SERVER_ERROR);
    await expect(client({ retry: false }).apiKeys.get('ak_missing')).rejects.toMatchObject({
      code: 'CLERK_SERVER_ERROR',
    });
    expect(fake.calls('get')).toBe(2);
  });

  it('times out a hanging call and retries it when it is a read', async () => {
    const { id } = fake.add();
    fake.failNext({ kind: 'hang' });
    // Short, since the first call waits all of it; not shorter, as the retry must be answered within it too.
    await expect(client({ timeoutMs: 1_000 }).apiKeys.get(id)).resolves.toMatchObject({ id });
    expect(fake.calls('get')).toBe(2);
  });

  it('stops waiting to retry when closed', async () => {
    fake.failNext({ kind: 'status', status: 503, headers: { 'retry-after': '5' } });
    const clerk = client();
    const pending = caught(clerk.apiKeys.get('ak_1'));
    while (fake.requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    await clerk.close();
    expect(await pending).toMatchObject({ status: 503 });
    expect(fake.calls('get')).toBe(1);
  });
});

describe('ClerkClient key changes', () => {
  it('emits the key id after an update, a revocation and a delete, and for nothing else', async () => {
    const clerk = client();
    const changes: string[] = [];
    clerk.onKeyChange(({ keyId }) => changes.push(keyId ?? '(api)'));
    const a = fake.add();
    const b = fake.add();
    const c = fake.add();
    await clerk.apiKeys.update(a.id, { scopes: ['x'] });
    await clerk.apiKeys.revoke(b.id, { revocationReason: 'rotated' });
    await clerk.apiKeys.delete(c.id);
    await clerk.apiKeys.get(a.id);
    await clerk.apiKeys.getSecret(a.id);
    await clerk.apiKeys.verify({ secret: a.secret });
    await clerk.apiKeys.create({ name: 'new key', subject: 'user_1' });
    expect(changes).toEqual([a.id, b.id, c.id]);
  });

  it('emits when the change may have happened: a lost answer, a 5xx, a 404', async () => {
    const clerk = client();
    const changes: string[] = [];
    clerk.onKeyChange(({ keyId }) => changes.push(keyId ?? '(api)'));
    fake.failNext({ kind: 'reset' });
    await expect(clerk.apiKeys.revoke('ak_lost')).rejects.toMatchObject({ code: 'CLERK_CONNECTION_FAILED' });
    fake.failNext(SERVER_ERROR);
    await expect(clerk.apiKeys.update('ak_5xx', {})).rejects.toMatchObject({ status: 503 });
    await expect(clerk.apiKeys.delete('ak_gone')).rejects.toMatchObject({ status: 404 });
    expect(changes).toEqual(['ak_lost', 'ak_5xx', 'ak_gone']);
  });

  it('emits nothing when the request was refused, and stops after unsubscribing', async () => {
    const clerk = client();
    const changes: string[] = [];
    const unsubscribe = clerk.onKeyChange(({ keyId }) => changes.push(keyId ?? '(api)'));
    const { id } = fake.add();
    await expect(clerk.apiKeys.update(id, { subject: 'not a subject' })).rejects.toMatchObject({ status: 400 });
    fake.failNext({ kind: 'status', status: 401 });
    await expect(clerk.apiKeys.revoke(id)).rejects.toMatchObject({ status: 401 });
    unsubscribe();
    await clerk.apiKeys.revoke(id);
    expect(changes).toEqual([]);
  });

  it('keeps the call successful when a listener throws', async () => {
    const clerk = client();
    const changes: string[] = [];
    clerk.onKeyChange(() => {
      throw new Error('listener bug');
    });
    clerk.onKeyChange(({ keyId }) => changes.push(keyId ?? '(api)'));
    const { id } = fake.add();
    await expect(clerk.apiKeys.revoke(id)).resolves.toMatchObject({ revoked: true });
    expect(changes).toEqual([id]);
  });
});

describe('ClerkClient secrecy', () => {
  const everything = (error: unknown): string =>
    [
      String(error),
      (error as Error).message,
      JSON.stringify(error),
      inspect(error, { depth: 10, showHidden: true }),
      JSON.stringify({ ...(error as object) }),
    ].join('\n');

  it('never puts the secret key or an API key secret in an error', async () => {
    const clerk = client({ retry: false, maxResponseBytes: 4096 });
    const { id, secret } = fake.add({ subject: 'user_secrecy' });
    const errors: unknown[] = [];
    for (const status of [400, 401, 403, 404, 409, 422, 429, 500, 503]) {
      fake.failNext({ kind: 'status', status });
      errors.push(await caught(clerk.apiKeys.verify({ secret })));
    }
    // Successes that cannot be read, although they carry a secret.
    fake.failNext({ kind: 'status', status: 200, body: JSON.stringify({ secret: 42, hint: secret }) });
    errors.push(await caught(clerk.apiKeys.getSecret(id)));
    fake.failNext({ kind: 'status', status: 200, body: JSON.stringify({ id: 7, secret }) });
    errors.push(await caught(clerk.apiKeys.create({ name: 'abc', subject: 'user_1' })));
    fake.failNext({
      kind: 'status',
      status: 200,
      body: JSON.stringify({ id, subject: 'user_1', secret, blob: 'y'.repeat(8000) }),
    });
    errors.push(await caught(clerk.apiKeys.create({ name: 'abd', subject: 'user_1' })));
    fake.failNext({ kind: 'reset' }, { kind: 'non-json', status: 502 });
    errors.push(await caught(clerk.apiKeys.verify({ secret })));
    errors.push(await caught(clerk.apiKeys.verify({ secret })));
    const refused = client({ baseUrl: await closedPortUrl(), retry: false });
    errors.push(await caught(refused.apiKeys.verify({ secret })));

    expect(errors).toHaveLength(15);
    for (const error of errors) {
      const text = everything(error);
      expect(text).not.toContain(fake.secretKey);
      expect(text).not.toContain(secret);
    }
    expect(inspect(clerk, { depth: 10, showHidden: true })).not.toContain(fake.secretKey);
    expect(JSON.stringify(clerk)).not.toContain(fake.secretKey);
  });

  it('redacts a secret key or API key secret that the server echoes', async () => {
    // Not registered with the leak watch: this server writes them into an error body on purpose.
    const echoedSecretKey = 'sk_test_echoed_abcdef0123456789';
    const verified = 'ak_echoed_secret_0123456789abcdef';
    const body = {
      errors: [
        {
          code: `bad_${echoedSecretKey}`,
          message: `secret ${verified}`,
          long_message: `with ${echoedSecretKey} and ${verified}`,
          meta: { param_value: verified, [verified]: [echoedSecretKey] },
        },
      ],
      clerk_trace_id: echoedSecretKey,
    };
    fake.failNext({ kind: 'status', status: 400, body: JSON.stringify(body) });
    const error = (await caught(
      client({ secretKey: echoedSecretKey }).apiKeys.verify({ secret: verified }),
    )) as ClerkApiError;
    expect(error).toMatchObject({ code: 'CLERK_BAD_REQUEST', clerkTraceId: '[redacted]' });
    expect(error.errors[0]).toEqual({
      code: 'bad_[redacted]',
      message: 'secret [redacted]',
      longMessage: 'with [redacted] and [redacted]',
      meta: { paramValue: '[redacted]', '[redacted]': ['[redacted]'] },
    });
    const text = everything(error);
    expect(text).not.toContain(echoedSecretKey);
    expect(text).not.toContain(verified);
  });
});
