import { afterEach, describe, expect, it, vi } from 'vitest';
import { runtime as nodeRuntime } from '@keyguard/core/runtime';
import { runtime as fetchRuntime } from '@keyguard/core/runtime-edge';
import type { Runtime } from '@keyguard/core/service';
import { ClerkClient, clerk } from '@keyguard/clerk';

// Without `baseUrl`, clerk() and ClerkClient must call Clerk's Backend API at https://api.clerk.com/v1 (the server
// of Clerk's OpenAPI document): POST https://api.clerk.com/v1/api_keys/verify and so on. Nothing leaves the
// machine: the fetch runtime runs as shipped over a global fetch that records the URL and answers 503, and the
// Node runtime's transports are asked for by base URL, which is recorded, and answer 503 themselves.

const SECRET_KEY = 'sk_test_default_url_pin_0000000000';
const ID = `ak_${'0'.repeat(32)}`;

const CALLS: [string, (client: ClerkClient) => Promise<unknown>, string][] = [
  [
    'create',
    (client) => client.apiKeys.create({ name: 'pin', subject: 'user_1' }),
    'POST https://api.clerk.com/v1/api_keys',
  ],
  [
    'list',
    (client) => client.apiKeys.list({ subject: 'user_1' }),
    'GET https://api.clerk.com/v1/api_keys?subject=user_1',
  ],
  ['get', (client) => client.apiKeys.get(ID), `GET https://api.clerk.com/v1/api_keys/${ID}`],
  ['update', (client) => client.apiKeys.update(ID, { scopes: [] }), `PATCH https://api.clerk.com/v1/api_keys/${ID}`],
  ['delete', (client) => client.apiKeys.delete(ID), `DELETE https://api.clerk.com/v1/api_keys/${ID}`],
  ['getSecret', (client) => client.apiKeys.getSecret(ID), `GET https://api.clerk.com/v1/api_keys/${ID}/secret`],
  ['revoke', (client) => client.apiKeys.revoke(ID), `POST https://api.clerk.com/v1/api_keys/${ID}/revoke`],
  ['verify', (client) => client.apiKeys.verify({ secret: 'ak_pin' }), 'POST https://api.clerk.com/v1/api_keys/verify'],
];

/** Requests as `METHOD url`, from the shipped fetch runtime over a recording global fetch. */
function recordFetch(): string[] {
  const seen: string[] = [];
  vi.stubGlobal('fetch', (url: string | URL, init?: RequestInit) => {
    seen.push(`${init?.method ?? 'GET'} ${String(url)}`);
    return Promise.resolve(new Response('{}', { status: 503, headers: { 'content-type': 'application/json' } }));
  });
  return seen;
}

/** Node's runtime with transports that record `METHOD base URL + path` and answer 503 without a connection. */
function recordingNodeRuntime(): Runtime & { seen: string[] } {
  const seen: string[] = [];
  return {
    ...nodeRuntime,
    seen,
    createTransport: (baseUrl) => ({
      request: (request) => {
        seen.push(`${request.method} ${baseUrl}${request.path}`);
        return Promise.resolve({ status: 503, headers: { 'content-type': 'application/json' }, body: '{}' });
      },
      close: () => Promise.resolve(),
    }),
  };
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('the default Clerk URL', () => {
  it.each(CALLS)('ClerkClient.apiKeys.%s requests %s on the fetch runtime', async (_name, call, expected) => {
    const seen = recordFetch();
    const client = new ClerkClient({ secretKey: SECRET_KEY, retry: false }, fetchRuntime);
    await call(client).catch(() => undefined);
    await client.close();
    expect(seen).toEqual([expected]);
  });

  it.each(CALLS)('ClerkClient.apiKeys.%s requests %s on the Node runtime', async (_name, call, expected) => {
    const runtime = recordingNodeRuntime();
    const client = new ClerkClient({ secretKey: SECRET_KEY, retry: false }, runtime);
    await call(client).catch(() => undefined);
    await client.close();
    expect(runtime.seen).toEqual([expected]);
  });

  it('clerk() verifies with POST https://api.clerk.com/v1/api_keys/verify on both runtimes', async () => {
    const seen = recordFetch();
    const onFetch = clerk({ secretKey: SECRET_KEY }, fetchRuntime);
    await onFetch.verify('ak_pin').catch(() => undefined);
    const runtime = recordingNodeRuntime();
    const onNode = clerk({ secretKey: SECRET_KEY }, runtime);
    await onNode.verify('ak_pin').catch(() => undefined);
    await Promise.all([onFetch.close?.(), onNode.close?.()]);
    expect(seen).toEqual(['POST https://api.clerk.com/v1/api_keys/verify']);
    expect(runtime.seen).toEqual(['POST https://api.clerk.com/v1/api_keys/verify']);
  });
});
