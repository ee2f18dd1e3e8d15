/* eslint-disable @typescript-eslint/no-explicit-any -- JSON answers of the wire format, checked by assertions */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { registerSecret } from '../../../test/support/secrets.js';
import { createKeyServer } from '../src/index.js';
import { expectClerkError, startClerkHarness, type ClerkHarness } from './clerk-helpers.js';
import { rawRequest } from './helpers.js';

let h: ClerkHarness;
beforeAll(async () => {
  h = await startClerkHarness();
});
afterAll(() => h.stop());

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
const tempFile = () => {
  const dir = mkdtempSync(join(tmpdir(), 'keyguard-clerk-'));
  dirs.push(dir);
  return join(dir, 'keys.sqlite');
};

describe('the Clerk secret key', () => {
  it('401 in Clerk’s format when missing, malformed or unknown, for every operation, never echoing it', async () => {
    const wrong = 'sk_test_wrongwrongwrongwrongwrong';
    registerSecret(wrong);
    const calls: [string, string, unknown?][] = [
      ['POST', '/api_keys', { name: 'nope', subject: 'user_1' }],
      ['GET', '/api_keys?subject=user_1'],
      ['GET', '/api_keys/ak_ffffffffffffffffffffffffffffffff'],
      ['PATCH', '/api_keys/ak_ffffffffffffffffffffffffffffffff', {}],
      ['DELETE', '/api_keys/ak_ffffffffffffffffffffffffffffffff'],
      ['GET', '/api_keys/ak_ffffffffffffffffffffffffffffffff/secret'],
      ['POST', '/api_keys/ak_ffffffffffffffffffffffffffffffff/revoke', {}],
      ['POST', '/api_keys/verify', { secret: 'ak_x' }],
    ];
    for (const [method, path, body] of calls) {
      expectClerkError(await h.request(method, path, body, null), 401, 'authorization_invalid');
      const unknown = await h.request(method, path, body, wrong);
      expectClerkError(unknown, 401, 'clerk_key_invalid');
      expect(JSON.stringify(unknown.body)).not.toContain('wrongwrong');
    }
    for (const header of ['Basic abc', 'Bearer', 'Bearer two words', `Token ${h.secretKey}`]) {
      const answer = await fetch(`${h.baseUrl}/api_keys?subject=user_1`, { headers: { authorization: header } });
      expect(answer.status).toBe(401);
      const body = (await answer.json()) as any;
      expect(body.errors[0].code).toBe('authorization_header_format_invalid');
      expect(JSON.stringify(body)).not.toContain(h.secretKey);
    }
  });

  it('400 in Clerk’s format when Authorization is sent twice, whichever comes first', async () => {
    const wrong = 'sk_test_wrongwrongwrongwrongwrong';
    registerSecret(wrong);
    for (const pair of [
      [h.secretKey, wrong],
      [wrong, h.secretKey],
    ]) {
      const answer = await rawRequest(h.url, {
        method: 'GET',
        path: '/v1/api_keys?subject=user_1',
        headers: { authorization: pair.map((key) => `Bearer ${key}`) },
      });
      expectClerkError(answer, 400, 'authorization_header_format_invalid');
      expect(JSON.stringify(answer.body)).not.toContain('wrongwrong');
      expect(JSON.stringify(answer.body)).not.toContain(h.secretKey);
    }
  });

  it('is a credential of its own: the root key cannot call /v1, the secret key cannot call /v2', async () => {
    const server = createKeyServer();
    const boot = server.bootstrap();
    const rootKey = boot.rootKey as string;
    const secretKey = boot.clerkSecretKey as string;
    registerSecret(rootKey, secretKey);
    const { url } = await server.start();
    expect(secretKey).toMatch(/^sk_test_[1-9A-HJ-NP-Za-km-z]{30,}$/);
    const v1 = await fetch(`${url}/v1/api_keys?subject=user_1`, { headers: { authorization: `Bearer ${rootKey}` } });
    expect(v1.status).toBe(401);
    const v2 = await fetch(`${url}/v2/apis.createApi`, {
      method: 'POST',
      headers: { authorization: `Bearer ${secretKey}`, 'content-type': 'application/json' },
      body: '{"name":"nope"}',
    });
    expect(v2.status).toBe(401);
    await server.stop();
  });

  it('is generated once by bootstrap(), or taken from the clerkSecretKey option', async () => {
    const server = createKeyServer();
    const first = server.bootstrap();
    registerSecret(first.rootKey as string, first.clerkSecretKey as string);
    expect(first.clerkSecretKey).toMatch(/^sk_test_/);
    expect(server.bootstrap()).toEqual({ workspaceId: first.workspaceId });
    await server.stop();

    const given = 'sk_live_given_0123456789abcdef';
    const withGiven = await startClerkHarness({ clerkSecretKey: given });
    expect(withGiven.server.bootstrap().clerkSecretKey).toBeUndefined();
    expect((await withGiven.request('GET', '/api_keys?subject=user_1')).status).toBe(200);
    await withGiven.stop();
    for (const unusable of [
      'short',
      'sk_test_short',
      'pk_test_0123456789abcdef0123',
      'sk_test_has spaces in it 0123',
    ]) {
      expect(() => createKeyServer({ clerkSecretKey: unusable }), unusable).toThrow(/clerkSecretKey/);
    }
  });
});

describe('a file database', () => {
  it('keeps API keys, the secret key and sealed secrets across a restart with the same server secret', async () => {
    const database = tempFile();
    const first = await startClerkHarness({ database, secret: 's3cret' });
    const created = await first.create({ name: 'persisted', subject: 'user_p', scopes: ['a'] });
    await first.stop();

    const again = await startClerkHarness({ database, secret: 's3cret', clerkSecretKey: first.secretKey });
    expect(again.server.bootstrap().clerkSecretKey).toBeUndefined();
    expect((await again.request('POST', '/api_keys/verify', { secret: created.secret })).body).toMatchObject({
      id: created.id,
      scopes: ['a'],
    });
    expect((await again.request('GET', `/api_keys/${created.id}/secret`)).body).toEqual({ secret: created.secret });
    await again.stop();

    const otherSecret = await startClerkHarness({ database, secret: 'another', clerkSecretKey: first.secretKey });
    expect((await otherSecret.request('POST', '/api_keys/verify', { secret: created.secret })).status).toBe(200);
    const sealed = await otherSecret.request('GET', `/api_keys/${created.id}/secret`);
    expectClerkError(sealed, 422, 'api_key_secret_unavailable');
    await otherSecret.stop();
  });
});
