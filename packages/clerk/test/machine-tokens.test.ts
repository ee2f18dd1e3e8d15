import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVerifier } from '@keyguard/core';
import { ClerkClient, clerk, type ClerkProviderOptions } from '@keyguard/clerk';
import { closedPortUrl } from '../../../test/support/loopback-server.js';
import { findLeaks, registerSecret } from '../../../test/support/secrets.js';
import { MachineService } from './support/machine-service.js';

const service = new MachineService();
let api: { id: string; secretKey: string };
let worker: { id: string; secretKey: string };
let client: ClerkClient;

const provider = (options: Partial<ClerkProviderOptions> = {}) =>
  clerk({ secretKey: service.secretKey, baseUrl: service.baseUrl, timeoutMs: 15_000, ...options });

beforeAll(async () => {
  await service.start();
  api = service.machine('api');
  worker = service.machine('worker', [api.id]);
  client = new ClerkClient({ secretKey: service.secretKey, baseUrl: service.baseUrl, retry: false });
});
afterAll(async () => {
  await client.close();
  await service.stop();
});

describe('clerk provider: routing by kind', () => {
  it('rejects an M2M token, an OAuth token and a token of no kind without a call when only API keys are accepted', async () => {
    const { token } = await service.mint(worker.secretKey);
    const before = new Map(service.calls);
    const clerkProvider = provider();
    for (const key of [token, 'oat_0123456789abcdef', 'xyz_1234'])
      expect(await clerkProvider.verify(key)).toEqual({ valid: false, code: 'INVALID_KEY_FORMAT', metered: false });
    expect(service.calls).toEqual(before);
    expect(clerkProvider.keyPrefix).toBe('ak_');
  });

  it('with several kinds, has no single prefix and still rejects kinds not accepted locally', async () => {
    const clerkProvider = provider({ accepts: ['m2m_token'] });
    expect(clerkProvider.keyPrefix).toBeUndefined();
    const before = new Map(service.calls);
    expect((await clerkProvider.verify('ak_0123456789abcdef0123456789abcdef')).code).toBe('INVALID_KEY_FORMAT');
    expect((await clerkProvider.verify('oat_0123456789abcdef0123456789abcdef')).code).toBe('INVALID_KEY_FORMAT');
    expect(service.calls).toEqual(before);
  });

  it('refuses an unknown kind, an empty list, and keyPrefix beside several kinds', () => {
    expect(() => provider({ accepts: [] })).toThrow(/accepts/);
    expect(() => provider({ accepts: ['session_token' as never] })).toThrow(/accepts/);
    expect(() => provider({ accepts: ['api_key', 'm2m_token'], keyPrefix: 'ak_' })).toThrow(/keyPrefix/);
  });
});

describe('clerk provider: each kind at its endpoint, reported as its kind', () => {
  it('verifies an API key, an opaque M2M token and an OAuth access token on one provider', async () => {
    const apiKey = await client.apiKeys.create({ name: 'reporting', subject: 'user_1', scopes: ['docs.read'] });
    registerSecret(apiKey.secret!);
    const m2m = await service.mint(worker.secretKey, { claims: { team: 'billing' } });
    const oauth = service.keyServer.createOAuthAccessToken({ subject: 'user_2', scopes: ['profile'] });
    registerSecret(oauth.token);
    const verifier = createVerifier({ provider: provider({ accepts: ['api_key', 'm2m_token', 'oauth_token'] }) });
    try {
      const a = await verifier.verify(apiKey.secret!);
      const m = await verifier.verify(m2m.token);
      const o = await verifier.verify(oauth.token);
      expect(a.key).toMatchObject({ id: apiKey.id, kind: 'api_key', permissions: ['docs.read'], name: 'reporting' });
      expect(m.key).toMatchObject({
        id: m2m.id,
        kind: 'm2m_token',
        identity: { id: worker.id },
        permissions: [api.id],
        meta: { team: 'billing' },
      });
      expect(o.key).toMatchObject({
        id: oauth.id,
        kind: 'oauth_token',
        identity: { id: 'user_2' },
        permissions: ['profile'],
        meta: { clientId: oauth.clientId },
      });
      expect(service.callsTo('/m2m_tokens/verify')).toBeGreaterThan(0);
      expect(service.callsTo('/oauth_applications/access_tokens/verify')).toBeGreaterThan(0);
    } finally {
      await verifier.close();
    }
  });

  it('answers NOT_FOUND for an unknown opaque M2M token or OAuth token (Clerk 404 resource_not_found)', async () => {
    const clerkProvider = provider({ accepts: ['m2m_token', 'oauth_token'] });
    expect((await clerkProvider.verify('mt_00000000000000000000000000000000')).code).toBe('NOT_FOUND');
    expect((await clerkProvider.verify('oat_00000000000000000000000000000000')).code).toBe('NOT_FOUND');
    await clerkProvider.close?.();
  });

  it('with a machine secret key, verifies only tokens granted to that machine', async () => {
    const granted = await service.mint(worker.secretKey);
    const other = service.machine('other');
    const notGranted = await service.mint(other.secretKey);
    const clerkProvider = provider({ accepts: ['m2m_token'], machineSecretKey: api.secretKey });
    expect((await clerkProvider.verify(granted.token)).valid).toBe(true);
    expect((await clerkProvider.verify(notGranted.token)).valid).toBe(false);
    await clerkProvider.close?.();
  });

  it('drops a cached M2M token at once when ClerkClient revokes it', async () => {
    const m2m = await service.mint(worker.secretKey);
    const verifier = createVerifier({ provider: provider({ accepts: ['m2m_token'] }), clients: [client] });
    try {
      expect((await verifier.verify(m2m.token)).valid).toBe(true);
      expect(verifier.verifyCached(m2m.token)?.valid).toBe(true);
      await client.m2mTokens.revoke(m2m.id, { revocationReason: 'rotated' });
      expect(verifier.verifyCached(m2m.token)).toBeUndefined();
      const after = await verifier.verify(m2m.token);
      expect(after).toMatchObject({ valid: false, code: 'NOT_FOUND', source: 'upstream' });
    } finally {
      await verifier.close();
    }
  });

  it('puts no token or secret key in a ProviderError when Clerk is down', async () => {
    const m2m = await service.mint(worker.secretKey);
    const oauth = service.keyServer.createOAuthAccessToken({ subject: 'user_3' });
    registerSecret(oauth.token);
    const down = clerk({
      secretKey: service.secretKey,
      machineSecretKey: api.secretKey,
      baseUrl: await closedPortUrl(),
      timeoutMs: 15_000,
      accepts: ['m2m_token', 'oauth_token'],
    });
    const errors = await Promise.all(
      [m2m.token, oauth.token].map((key) =>
        down.verify(key).then(
          () => undefined,
          (error: unknown) => error,
        ),
      ),
    );
    expect(errors.map((error) => (error as Error).name)).toEqual(['ProviderError', 'ProviderError']);
    const texts = errors.map((error) => inspect(error, { depth: 5 }));
    expect(findLeaks(texts, [m2m.token, oauth.token, service.secretKey, api.secretKey])).toEqual([]);
  });
});
