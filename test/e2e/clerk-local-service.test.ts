import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVerifier, type Verifier } from '@keyguard/core';
import { ClerkClient, clerk } from '@keyguard/clerk';
import { createKeyServer, type KeyServer } from '@keyguard/server';
import { registerSecret } from '../support/secrets.js';

// core's clerk() provider, through createVerifier, against the local key service's /v1/api_keys over loopback.
let server: KeyServer;
let client: ClerkClient;
let secretKey: string;
let baseUrl: string;
let clockOffsetMs = 0;
const verifiers: Verifier[] = [];

const verifierWith = (options: { secretKey?: string; clients?: ClerkClient[] } = {}): Verifier => {
  const verifier = createVerifier({
    provider: clerk({ secretKey: options.secretKey ?? secretKey, baseUrl }),
    clients: options.clients,
  });
  verifiers.push(verifier);
  return verifier;
};
const createKey = async (fields: Parameters<ClerkClient['apiKeys']['create']>[0]) => {
  const key = await client.apiKeys.create(fields);
  registerSecret(key.secret as string);
  return key as typeof key & { secret: string };
};

beforeAll(async () => {
  server = createKeyServer({ clock: () => Date.now() + clockOffsetMs });
  const boot = server.bootstrap();
  secretKey = boot.clerkSecretKey as string;
  registerSecret(boot.rootKey as string, secretKey);
  baseUrl = `${(await server.start()).url}/v1`;
  client = new ClerkClient({ secretKey, baseUrl, retry: false });
});
afterAll(async () => {
  await Promise.all(verifiers.map((verifier) => verifier.close()));
  await client.close();
  await server.stop();
});

describe('clerk() provider against the local service', () => {
  it('maps a valid key to VerifiedKey: subject → identity, scopes → permissions, claims → meta, expiration → expires', async () => {
    const key = await createKey({
      name: 'e2e valid',
      subject: 'user_e2e',
      scopes: ['docs:read', 'docs:write'],
      claims: { plan: 'pro' },
      secondsUntilExpiration: 3600,
    });
    const verification = await verifierWith().verify(key.secret);
    expect(verification).toMatchObject({ valid: true, code: 'VALID', source: 'upstream' });
    expect(verification.key).toEqual({
      id: key.id,
      provider: 'clerk',
      kind: 'api_key',
      name: 'e2e valid',
      identity: { id: 'user_e2e', externalId: 'user_e2e', meta: {} },
      permissions: ['docs:read', 'docs:write'],
      roles: [],
      meta: { plan: 'pro' },
      expires: key.expiration,
      enabled: true,
    });
    expect((await client.apiKeys.get(key.id)).lastUsedAt).not.toBeNull();
  });

  it('treats unknown, revoked and expired keys as invalid', async () => {
    const verifier = verifierWith();
    expect(await verifier.verify('ak_unknownUnknownUnknown123456')).toMatchObject({ valid: false });
    const revoked = await createKey({ name: 'e2e revoked', subject: 'user_e2e' });
    await client.apiKeys.revoke(revoked.id, { revocationReason: 'test' });
    expect(await verifier.verify(revoked.secret)).toMatchObject({ valid: false });
    const expiring = await createKey({ name: 'e2e expiring', subject: 'user_e2e', secondsUntilExpiration: 60 });
    clockOffsetMs += 61_000;
    try {
      expect(await verifier.verify(expiring.secret)).toMatchObject({ valid: false });
    } finally {
      clockOffsetMs -= 61_000;
    }
  });

  it('rejects tokens without the ak_ prefix before any network call', async () => {
    expect(await verifierWith().verify('sk_not_an_api_key_secret')).toMatchObject({ valid: false, source: 'local' });
  });

  it('a revoke through a ClerkClient handed to the verifier invalidates its cached answer at once', async () => {
    const key = await createKey({ name: 'e2e cached', subject: 'org_e2e', scopes: ['a'] });
    const verifier = verifierWith({ clients: [client] });
    expect(await verifier.verify(key.secret)).toMatchObject({ valid: true, source: 'upstream' });
    expect(await verifier.verify(key.secret)).toMatchObject({ valid: true, source: 'cache' });
    await client.apiKeys.revoke(key.id, { revocationReason: 'rotated' });
    expect(await verifier.verify(key.secret)).toMatchObject({ valid: false, source: 'upstream' });
  });

  it('answers PROVIDER_MISCONFIGURED when the service refuses the secret key (401)', async () => {
    const key = await createKey({ name: 'e2e wrong secret key', subject: 'user_e2e' });
    const wrong = 'sk_test_wrong_secret_key_for_e2e_0000';
    registerSecret(wrong);
    const verification = await verifierWith({ secretKey: wrong }).verify(key.secret);
    expect(verification).toMatchObject({ valid: false, code: 'PROVIDER_MISCONFIGURED' });
    expect(JSON.stringify(verification)).not.toContain(wrong);
  });
});
