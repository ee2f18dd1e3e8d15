import { afterEach, describe, expect, it, vi } from 'vitest';
import { runtime as fetchRuntime } from '@keyguard/core/runtime-edge';
import { UnkeyClient, unkey } from '@keyguard/unkey';

// Without `baseUrl`, unkey() and UnkeyClient must call https://api.unkey.com/v2/<group>.<operation>. The shipped
// fetch runtime runs over a global fetch that records the URL and answers 503: nothing leaves the machine.

const ROOT_KEY = 'unkey_root_default_url_pin_000000';

function recordFetch(): string[] {
  const seen: string[] = [];
  vi.stubGlobal('fetch', (url: string | URL, init?: RequestInit) => {
    seen.push(`${init?.method ?? 'GET'} ${String(url)}`);
    return Promise.resolve(new Response('{}', { status: 503, headers: { 'content-type': 'application/json' } }));
  });
  return seen;
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('the default Unkey URL', () => {
  it.each([
    ['keys.verifyKey', (client: UnkeyClient) => client.keys.verifyKey({ key: 'sk_pin' })],
    ['keys.rerollKey', (client: UnkeyClient) => client.keys.rerollKey({ keyId: 'key_pin', expiration: 0 })],
    [
      'identities.createIdentity',
      (client: UnkeyClient) => client.identities.createIdentity({ externalId: 'user_pin' }),
    ],
    ['permissions.listRoles', (client: UnkeyClient) => client.permissions.listRoles()],
    [
      'ratelimit.setOverride',
      (client: UnkeyClient) =>
        client.ratelimit.setOverride({ namespace: 'n', identifier: 'i', limit: 1, duration: 1000 }),
    ],
  ] as const)('UnkeyClient calls POST https://api.unkey.com/v2/%s', async (operation, call) => {
    const seen = recordFetch();
    const client = new UnkeyClient({ rootKey: ROOT_KEY, retry: false }, fetchRuntime);
    await call(client).catch(() => undefined);
    await client.close();
    expect(seen).toEqual([`POST https://api.unkey.com/v2/${operation}`]);
  });

  it('unkey() verifies with POST https://api.unkey.com/v2/keys.verifyKey', async () => {
    const seen = recordFetch();
    const provider = unkey({ rootKey: ROOT_KEY }, fetchRuntime);
    await provider.verify('sk_pin').catch(() => undefined);
    await provider.close?.();
    expect(seen).toEqual(['POST https://api.unkey.com/v2/keys.verifyKey']);
  });
});
