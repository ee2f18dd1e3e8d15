import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAST_RETRY, caught, closedAfterEach } from '../../../test/support/client-test-helpers.js';
import { LoopbackServer } from '../../../test/support/loopback-server.js';
import { registerSecret } from '../../../test/support/secrets.js';
import { ConfigurationError, KeyguardError } from '@keyguard/core';
import { runtime as fetchRuntime } from '@keyguard/core/runtime-edge';
import { TransportError } from '@keyguard/core/service';
import { UnkeyApiError, UnkeyClient } from '@keyguard/unkey';

const ROOT_KEY = 'unkey_root_test_9f8e7d6c5b4a3210';
registerSecret(ROOT_KEY);

interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: unknown;
  at: number;
}

/** What the server does with one request: answer, or drop the connection without answering. */
type Reply = { status?: number; body?: unknown; raw?: string; headers?: Record<string, string> } | 'destroy';

/** A loopback HTTP server that records requests and answers from a script (per path), else a default envelope. */
class ScriptedServer {
  readonly requests: RecordedRequest[] = [];
  private readonly scripts = new Map<string, Reply[]>();
  private readonly server = new LoopbackServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const path = request.url ?? '';
      this.requests.push({
        method: request.method ?? '',
        path,
        headers: request.headers,
        body: text ? JSON.parse(text) : undefined,
        at: Date.now(),
      });
      this.answer(path, response);
    });
  });
  url = '';

  script(path: string, ...replies: Reply[]): void {
    this.scripts.set(path, replies);
  }

  reset(): void {
    this.requests.length = 0;
    this.scripts.clear();
  }

  count(path: string): number {
    return this.requests.filter((request) => request.path === path).length;
  }

  private answer(path: string, response: ServerResponse): void {
    const reply = this.scripts.get(path)?.shift() ?? { body: envelope({}) };
    if (reply === 'destroy') {
      response.socket?.destroy();
      return;
    }
    const text = reply.raw ?? JSON.stringify(reply.body);
    response.writeHead(reply.status ?? 200, { 'content-type': 'application/json', ...reply.headers });
    response.end(text);
  }

  async start(): Promise<this> {
    this.url = await this.server.start();
    return this;
  }

  async stop(): Promise<void> {
    await this.server.stop();
  }
}

const envelope = (data: unknown, extra: Record<string, unknown> = {}) => ({
  meta: { requestId: 'req_test' },
  data,
  ...extra,
});
const problem = (status: number, title: string, detail: string, extra: Record<string, unknown> = {}) => ({
  meta: { requestId: `req_${status}` },
  error: { title, detail, status, type: `https://unkey.com/docs/errors/${status}`, ...extra },
});

const server = new ScriptedServer();
const closeAfterTest = closedAfterEach(() => server.reset());
const client = (options: Partial<ConstructorParameters<typeof UnkeyClient>[0]> = {}): UnkeyClient =>
  closeAfterTest(new UnkeyClient({ rootKey: ROOT_KEY, baseUrl: server.url, retry: FAST_RETRY, ...options }));

beforeAll(async () => {
  await server.start();
});
afterAll(async () => {
  await server.stop();
});

describe('UnkeyClient requests', () => {
  it('sends POST /v2/<operation> with the bearer root key and a JSON body, and unwraps the envelope', async () => {
    server.script('/v2/apis.createApi', { body: envelope({ apiId: 'api_123' }) });
    const response = await client({ userAgent: 'keyguard-test/1' }).apis.createApi({ name: 'payments' });
    expect(response).toEqual({ meta: { requestId: 'req_test' }, data: { apiId: 'api_123' } });
    const [request] = server.requests;
    expect(request).toMatchObject({ method: 'POST', path: '/v2/apis.createApi', body: { name: 'payments' } });
    expect(request!.headers.authorization).toBe(`Bearer ${ROOT_KEY}`);
    expect(request!.headers['content-type']).toBe('application/json');
    expect(request!.headers['user-agent']).toBe('keyguard-test/1');
  });

  it('calls every operation at its path with the request as the body', async () => {
    const unkey = client();
    const calls: [string, () => Promise<unknown>, unknown][] = [
      ['apis.getApi', () => unkey.apis.getApi({ apiId: 'api_1' }), { apiId: 'api_1' }],
      ['apis.deleteApi', () => unkey.apis.deleteApi({ apiId: 'api_1' }), { apiId: 'api_1' }],
      ['apis.listKeys', () => unkey.apis.listKeys({ apiId: 'api_1', limit: 10 }), { apiId: 'api_1', limit: 10 }],
      [
        'keys.createKey',
        () => unkey.keys.createKey({ apiId: 'api_1', prefix: 'sk', permissions: ['a'] }),
        { apiId: 'api_1', prefix: 'sk', permissions: ['a'] },
      ],
      ['keys.getKey', () => unkey.keys.getKey({ keyId: 'key_1', decrypt: true }), { keyId: 'key_1', decrypt: true }],
      ['keys.whoami', () => unkey.keys.whoami({ key: 'sk_secret_whoami' }), { key: 'sk_secret_whoami' }],
      [
        'keys.deleteKey',
        () => unkey.keys.deleteKey({ keyId: 'key_1', permanent: true }),
        { keyId: 'key_1', permanent: true },
      ],
      [
        'keys.updateKey',
        () => unkey.keys.updateKey({ keyId: 'key_1', name: null, enabled: false }),
        { keyId: 'key_1', name: null, enabled: false },
      ],
      [
        'keys.updateCredits',
        () => unkey.keys.updateCredits({ keyId: 'key_1', operation: 'set', value: 5 }),
        { keyId: 'key_1', operation: 'set', value: 5 },
      ],
      [
        'keys.verifyKey',
        () => unkey.keys.verifyKey({ key: 'sk_secret_verify', permissions: 'a AND b' }),
        { key: 'sk_secret_verify', permissions: 'a AND b' },
      ],
      [
        'permissions.createPermission',
        () => unkey.permissions.createPermission({ name: 'Read', slug: 'api.read' }),
        { name: 'Read', slug: 'api.read' },
      ],
      ['permissions.createRole', () => unkey.permissions.createRole({ name: 'admin' }), { name: 'admin' }],
    ];
    for (const [operation, call, body] of calls) {
      server.reset();
      await expect(call()).resolves.toEqual({ meta: { requestId: 'req_test' }, data: {} });
      expect(server.requests).toHaveLength(1);
      expect(server.requests[0]).toMatchObject({ method: 'POST', path: `/v2/${operation}`, body });
    }
  });

  it('returns the pagination of listKeys', async () => {
    server.script('/v2/apis.listKeys', {
      body: envelope([{ keyId: 'key_1', start: 'sk_abcd', enabled: true, createdAt: 1 }], {
        pagination: { cursor: 'key_2', hasMore: true },
      }),
    });
    const page = await client().apis.listKeys({ apiId: 'api_1' });
    expect(page).toEqual({
      meta: { requestId: 'req_test' },
      data: [{ keyId: 'key_1', start: 'sk_abcd', enabled: true, createdAt: 1 }],
      pagination: { cursor: 'key_2', hasMore: true },
    });
  });

  it('iterates over every page following the cursor', async () => {
    const key = (id: string) => ({ keyId: id, start: 'sk_1234', enabled: true, createdAt: 1 });
    server.script(
      '/v2/apis.listKeys',
      { body: envelope([key('key_1'), key('key_2')], { pagination: { cursor: 'key_3', hasMore: true } }) },
      { body: envelope([key('key_3'), key('key_4')], { pagination: { cursor: 'key_5', hasMore: true } }) },
      { body: envelope([key('key_5')], { pagination: { hasMore: false } }) },
    );
    const ids: string[][] = [];
    for await (const page of client().apis.listKeysAll({ apiId: 'api_1', limit: 2 }))
      ids.push(page.data.map((item) => item.keyId));
    expect(ids).toEqual([['key_1', 'key_2'], ['key_3', 'key_4'], ['key_5']]);
    expect(server.requests.map((request) => request.body)).toEqual([
      { apiId: 'api_1', limit: 2 },
      { apiId: 'api_1', limit: 2, cursor: 'key_3' },
      { apiId: 'api_1', limit: 2, cursor: 'key_5' },
    ]);
  });

  it('stops a pagination that would loop forever', async () => {
    server.script(
      '/v2/apis.listKeys',
      { body: envelope([], { pagination: { cursor: 'key_3', hasMore: true } }) },
      { body: envelope([], { pagination: { cursor: 'key_3', hasMore: true } }) },
    );
    const pages: unknown[] = [];
    const error = await caught(
      (async () => {
        for await (const page of client().apis.listKeysAll({ apiId: 'api_1' })) pages.push(page);
      })(),
    );
    expect(pages).toHaveLength(2);
    expect(error).toMatchObject({ code: 'UNKEY_BAD_RESPONSE' });
  });

  it('works the same on the fetch runtime', async () => {
    server.script(
      '/v2/keys.getKey',
      { body: envelope({ keyId: 'key_1', start: 'sk_1234', enabled: true, createdAt: 5 }) },
      { status: 404, body: problem(404, 'Not Found', 'no such key') },
    );
    const fetchClient = new UnkeyClient({ rootKey: ROOT_KEY, baseUrl: server.url, retry: false }, fetchRuntime);
    closeAfterTest(fetchClient);
    await expect(fetchClient.keys.getKey({ keyId: 'key_1' })).resolves.toEqual({
      meta: { requestId: 'req_test' },
      data: { keyId: 'key_1', start: 'sk_1234', enabled: true, createdAt: 5 },
    });
    await expect(fetchClient.keys.getKey({ keyId: 'key_1' })).rejects.toMatchObject({ code: 'UNKEY_NOT_FOUND' });
    expect(server.requests[0]!.headers.authorization).toBe(`Bearer ${ROOT_KEY}`);
  });

  it('refuses to start without a root key', () => {
    expect(() => new UnkeyClient({ rootKey: '' })).toThrow(ConfigurationError);
  });
});

describe('UnkeyClient errors', () => {
  it.each([
    [400, 'UNKEY_BAD_REQUEST'],
    [401, 'UNKEY_UNAUTHORIZED'],
    [403, 'UNKEY_FORBIDDEN'],
    [404, 'UNKEY_NOT_FOUND'],
    [409, 'UNKEY_CONFLICT'],
    [412, 'UNKEY_PRECONDITION_FAILED'],
    [429, 'UNKEY_TOO_MANY_REQUESTS'],
    [500, 'UNKEY_INTERNAL_SERVER_ERROR'],
    [502, 'UNKEY_SERVER_ERROR'],
    [410, 'UNKEY_HTTP_ERROR'],
  ] as const)('maps HTTP %i to %s', async (status, code) => {
    server.script('/v2/keys.getKey', { status, body: problem(status, 'Some title', 'Some detail') });
    const error = await caught(client({ retry: false }).keys.getKey({ keyId: 'key_1' }));
    expect(error).toBeInstanceOf(UnkeyApiError);
    expect(error).toBeInstanceOf(KeyguardError);
    expect(error).toMatchObject({
      code,
      status,
      operation: 'keys.getKey',
      requestId: `req_${status}`,
      type: `https://unkey.com/docs/errors/${status}`,
      title: 'Some title',
      detail: 'Some detail',
      errors: [],
    });
    expect(error.message).toContain(`keys.getKey`);
    expect(error.message).toContain(`HTTP ${status}`);
    expect(server.requests).toHaveLength(1);
  });

  it('carries the validation errors of a 400', async () => {
    const errors = [
      { location: 'body.name', message: 'too short', fix: 'use 3 or more characters' },
      { location: 'body', message: 'unknown field' },
    ];
    server.script('/v2/apis.createApi', { status: 400, body: problem(400, 'Bad Request', 'invalid body', { errors }) });
    const error = await caught(client().apis.createApi({ name: 'x' }));
    expect(error).toMatchObject({ code: 'UNKEY_BAD_REQUEST' });
    expect((error as UnkeyApiError).errors).toEqual(errors);
  });

  it('gives a 429 its retryAt from Retry-After', async () => {
    server.script('/v2/apis.createApi', {
      status: 429,
      body: problem(429, 'Too Many Requests', 'slow down'),
      headers: { 'retry-after': '30' },
    });
    const before = Date.now();
    const error = (await caught(client().apis.createApi({ name: 'abc' }))) as UnkeyApiError;
    expect(error).toMatchObject({ code: 'UNKEY_TOO_MANY_REQUESTS' });
    expect(error.retryAt).toBeGreaterThanOrEqual(before + 30_000);
  });

  it('answers UNKEY_BAD_RESPONSE for a success that is not an envelope', async () => {
    server.script(
      '/v2/keys.getKey',
      { raw: '<html>hello</html>' },
      { body: { meta: { requestId: 'req_x' } } },
      { body: [1, 2] },
    );
    const unkey = client();
    for (let index = 0; index < 3; index++) {
      const error = await caught(unkey.keys.getKey({ keyId: 'key_1' }));
      expect(error).toBeInstanceOf(UnkeyApiError);
      expect(error).toMatchObject({ code: 'UNKEY_BAD_RESPONSE', status: 200 });
    }
  });

  it('answers UNKEY_BAD_RESPONSE for a body over the size limit', async () => {
    server.script('/v2/keys.getKey', { body: envelope({ blob: 'x'.repeat(10_000) }) });
    const error = await caught(client({ maxResponseBytes: 1024 }).keys.getKey({ keyId: 'key_1' }));
    expect(error).toBeInstanceOf(UnkeyApiError);
    expect(error).toMatchObject({ code: 'UNKEY_BAD_RESPONSE' });
    expect(error.cause).toBeInstanceOf(TransportError);
  });

  it('keeps the status class of an error whose body is not JSON', async () => {
    server.script('/v2/keys.getKey', {
      status: 502,
      raw: '<html>bad gateway</html>',
      headers: { 'content-type': 'text/html' },
    });
    const error = await caught(client({ retry: false }).keys.getKey({ keyId: 'key_1' }));
    expect(error).toMatchObject({ code: 'UNKEY_SERVER_ERROR', status: 502, title: 'Bad Gateway' });
  });

  it('turns a dropped connection into UNKEY_CONNECTION_FAILED, its cause saying the call may have arrived', async () => {
    server.script('/v2/keys.createKey', 'destroy');
    const error = await caught(client().keys.createKey({ apiId: 'api_1' }));
    expect(error).toBeInstanceOf(UnkeyApiError);
    expect(error).toMatchObject({ code: 'UNKEY_CONNECTION_FAILED', status: undefined });
    expect(error.cause).toBeInstanceOf(TransportError);
    expect((error.cause as TransportError).sent).toBe(true);
  });
});

describe('UnkeyClient retries', () => {
  it('retries a read after 503 and succeeds', async () => {
    server.script(
      '/v2/apis.getApi',
      { status: 503, body: problem(503, 'Unavailable', 'try again') },
      { status: 500, body: problem(500, 'Oops', 'x') },
      { body: envelope({ id: 'api_1', name: 'payments' }) },
    );
    await expect(client().apis.getApi({ apiId: 'api_1' })).resolves.toEqual({
      meta: { requestId: 'req_test' },
      data: { id: 'api_1', name: 'payments' },
    });
    expect(server.count('/v2/apis.getApi')).toBe(3);
  });

  it('retries reads and deletes after a dropped connection', async () => {
    server.script('/v2/keys.getKey', 'destroy', { body: envelope({ keyId: 'key_1' }) });
    server.script('/v2/keys.deleteKey', 'destroy', { body: envelope({}) });
    const unkey = client();
    await expect(unkey.keys.getKey({ keyId: 'key_1' })).resolves.toMatchObject({ data: { keyId: 'key_1' } });
    await expect(unkey.keys.deleteKey({ keyId: 'key_1' })).resolves.toMatchObject({ data: {} });
    expect(server.count('/v2/keys.getKey')).toBe(2);
    expect(server.count('/v2/keys.deleteKey')).toBe(2);
  });

  it('does not retry dropped connections of reads when retryConnectionErrors is false', async () => {
    server.script('/v2/keys.getKey', 'destroy', { body: envelope({ keyId: 'key_1' }) });
    await expect(
      client({ retry: { ...FAST_RETRY, retryConnectionErrors: false } }).keys.getKey({ keyId: 'key_1' }),
    ).rejects.toMatchObject({ code: 'UNKEY_CONNECTION_FAILED' });
    expect(server.count('/v2/keys.getKey')).toBe(1);
  });

  it.each([
    ['keys.createKey', (unkey: UnkeyClient) => unkey.keys.createKey({ apiId: 'api_1' })],
    ['keys.verifyKey', (unkey: UnkeyClient) => unkey.keys.verifyKey({ key: 'sk_verify_no_retry' })],
    ['apis.createApi', (unkey: UnkeyClient) => unkey.apis.createApi({ name: 'abc' })],
    ['keys.updateKey', (unkey: UnkeyClient) => unkey.keys.updateKey({ keyId: 'key_1', enabled: false })],
  ] as const)('never repeats %s after a 503, a 429 or a dropped connection', async (operation, call) => {
    const path = `/v2/${operation}`;
    const unkey = client();
    server.script(
      path,
      { status: 503, body: problem(503, 'Unavailable', 'x') },
      { status: 429, body: problem(429, 'Slow', 'x'), headers: { 'retry-after': '0' } },
      'destroy',
      {
        body: envelope({}),
      },
    );
    await expect(call(unkey)).rejects.toMatchObject({ status: 503 });
    await expect(call(unkey)).rejects.toMatchObject({ status: 429 });
    await expect(call(unkey)).rejects.toMatchObject({ code: 'UNKEY_CONNECTION_FAILED' });
    expect(server.count(path)).toBe(3);
  });

  it('retries a call with effects only when the connection never opened', async () => {
    // A port with nothing listening: the request cannot have been sent, so even createKey may be repeated.
    const closed = new ScriptedServer();
    await closed.start();
    const url = closed.url;
    await closed.stop();
    const unkey = client({
      baseUrl: url,
      retry: { strategy: 'backoff', backoff: { initialInterval: 1, maxInterval: 2, exponent: 1, maxElapsedTime: 50 } },
    });
    const error = await caught(unkey.keys.createKey({ apiId: 'api_1' }));
    expect(error).toMatchObject({
      code: 'UNKEY_CONNECTION_FAILED',
      cause: { code: 'TRANSPORT_CONNECTION_FAILED', sent: false },
    });
  });

  it('honours Retry-After on 429: the retry comes no earlier', async () => {
    server.script(
      '/v2/keys.getKey',
      { status: 429, body: problem(429, 'Slow down', 'x'), headers: { 'retry-after': '1' } },
      { body: envelope({ keyId: 'key_1' }) },
    );
    await expect(client().keys.getKey({ keyId: 'key_1' })).resolves.toMatchObject({ data: { keyId: 'key_1' } });
    const [first, second] = server.requests;
    expect(server.requests).toHaveLength(2);
    // Retry-After: 1 against backoff waits of at most 5 ms: only an honoured header separates them by a second.
    expect(second!.at - first!.at).toBeGreaterThanOrEqual(950);
  });

  it('gives up at once when Retry-After is past the retry budget', async () => {
    server.script(
      '/v2/keys.getKey',
      { status: 429, body: problem(429, 'Slow down', 'x'), headers: { 'retry-after': '3600' } },
      { body: envelope({}) },
    );
    const error = await caught(client().keys.getKey({ keyId: 'key_1' }));
    expect(error).toMatchObject({ code: 'UNKEY_TOO_MANY_REQUESTS' });
    expect(server.requests).toHaveLength(1);
  });

  it('does not retry 4xx other than 429', async () => {
    server.script('/v2/keys.getKey', { status: 404, body: problem(404, 'Not Found', 'x') }, { body: envelope({}) });
    await expect(client().keys.getKey({ keyId: 'key_1' })).rejects.toMatchObject({ code: 'UNKEY_NOT_FOUND' });
    expect(server.requests).toHaveLength(1);
  });

  it('does not retry at all with retry: false', async () => {
    server.script('/v2/apis.getApi', { status: 503, body: problem(503, 'Unavailable', 'x') }, { body: envelope({}) });
    await expect(client({ retry: false }).apis.getApi({ apiId: 'api_1' })).rejects.toMatchObject({
      code: 'UNKEY_SERVER_ERROR',
      status: 503,
    });
    expect(server.requests).toHaveLength(1);
  });

  it('stops waiting to retry when closed', async () => {
    server.script(
      '/v2/apis.getApi',
      { status: 503, body: problem(503, 'Unavailable', 'x'), headers: { 'retry-after': '5' } },
      { body: envelope({}) },
    );
    const unkey = client();
    const pending = caught(unkey.apis.getApi({ apiId: 'api_1' }));
    while (server.requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    await unkey.close();
    expect(await pending).toMatchObject({ status: 503 });
    expect(server.requests).toHaveLength(1);
  });
});

describe('UnkeyClient key changes', () => {
  it('emits the key id after a successful delete, update and credits update, and the API id after deleteApi', async () => {
    const unkey = client();
    const changes: string[] = [];
    unkey.onKeyChange(({ keyId, apiId }) => changes.push(keyId ?? `api:${apiId}`));
    await unkey.keys.deleteKey({ keyId: 'key_a' });
    await unkey.keys.updateKey({ keyId: 'key_b', enabled: false });
    await unkey.keys.updateCredits({ keyId: 'key_c', operation: 'increment', value: 1 });
    await unkey.keys.getKey({ keyId: 'key_d' });
    await unkey.apis.deleteApi({ apiId: 'api_1' });
    expect(changes).toEqual(['key_a', 'key_b', 'key_c', 'api:api_1']);
  });

  it('emits nothing when the call failed, and stops after unsubscribing', async () => {
    const unkey = client();
    const changes: string[] = [];
    const unsubscribe = unkey.onKeyChange(({ keyId }) => changes.push(keyId ?? '(api)'));
    server.script('/v2/keys.deleteKey', { status: 404, body: problem(404, 'Not Found', 'x') });
    await expect(unkey.keys.deleteKey({ keyId: 'key_a' })).rejects.toMatchObject({ code: 'UNKEY_NOT_FOUND' });
    unsubscribe();
    await unkey.keys.deleteKey({ keyId: 'key_b' });
    expect(changes).toEqual([]);
  });

  it('keeps the call successful when a listener throws', async () => {
    const unkey = client();
    const changes: string[] = [];
    unkey.onKeyChange(() => {
      throw new Error('listener bug');
    });
    unkey.onKeyChange(({ keyId }) => changes.push(keyId ?? '(api)'));
    await expect(unkey.keys.deleteKey({ keyId: 'key_a' })).resolves.toMatchObject({ data: {} });
    expect(changes).toEqual(['key_a']);
  });
});

describe('UnkeyClient secrecy', () => {
  const everything = (error: unknown): string =>
    [
      String(error),
      (error as Error).message,
      JSON.stringify(error),
      inspect(error, { depth: 10, showHidden: true }),
      JSON.stringify({ ...(error as object) }),
    ].join('\n');

  it('never puts the root key in an error', async () => {
    const errors: unknown[] = [];
    const unkey = client({ retry: false, maxResponseBytes: 2048 });
    for (const status of [400, 401, 403, 404, 409, 412, 429, 500, 503]) {
      server.script('/v2/keys.getKey', {
        status,
        body: problem(status, 'Title', 'Detail', { errors: [{ location: 'header', message: 'bad' }] }),
      });
      errors.push(await caught(unkey.keys.getKey({ keyId: 'key_1' })));
    }
    server.script('/v2/keys.getKey', { raw: 'not json' }, { body: envelope({ blob: 'y'.repeat(5000) }) }, 'destroy');
    errors.push(await caught(unkey.keys.getKey({ keyId: 'key_1' })));
    errors.push(await caught(unkey.keys.getKey({ keyId: 'key_1' })));
    errors.push(await caught(unkey.keys.getKey({ keyId: 'key_1' })));
    expect(errors).toHaveLength(12);
    for (const error of errors) expect(everything(error)).not.toContain(ROOT_KEY);
    expect(inspect(unkey, { depth: 10, showHidden: true })).not.toContain(ROOT_KEY);
    expect(JSON.stringify(unkey)).not.toContain(ROOT_KEY);
  });

  it('redacts a root key or looked-up key that the server echoes', async () => {
    // Not registered with the leak watch: this server writes it into an error body on purpose.
    const echoedRootKey = 'unkey_root_echoed_abcdef0123456789';
    const lookedUp = 'sk_looked_up_0123456789';
    const unkey = client({ rootKey: echoedRootKey, retry: false });
    const echo = {
      status: 400,
      body: problem(400, `bad ${echoedRootKey}`, `key ${lookedUp} with root ${echoedRootKey}`, {
        type: `https://x/${echoedRootKey}`,
        errors: [{ location: echoedRootKey, message: lookedUp, fix: echoedRootKey }],
      }),
    };
    server.script('/v2/keys.whoami', echo);
    server.script('/v2/keys.verifyKey', echo);
    for (const error of [
      await caught(unkey.keys.whoami({ key: lookedUp })),
      await caught(unkey.keys.verifyKey({ key: lookedUp })),
    ]) {
      expect(error).toMatchObject({ code: 'UNKEY_BAD_REQUEST' });
      const text = everything(error);
      expect(text).not.toContain(echoedRootKey);
      expect(text).not.toContain(lookedUp);
      expect(text).toContain('[redacted]');
    }
  });
});
