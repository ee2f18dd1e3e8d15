import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consoleLogger, KeyServerOptionError } from '../src/index.js';
import { registerSecret } from '../../../test/support/secrets.js';
import { expectClerkError, startClerkHarness, type ClerkHarness } from './clerk-helpers.js';
import { bare } from './clerk-m2m-helpers.js';

let h: ClerkHarness;
beforeAll(async () => {
  h = await startClerkHarness({ logger: consoleLogger });
});
afterAll(() => h.stop());

const verify = (token: string, key: string | null = h.secretKey) =>
  bare(h, 'POST', '/oauth_applications/access_tokens/verify', { access_token: token }, key);

describe('OAuth access tokens (/oauth_applications/access_tokens/verify)', () => {
  it('verifies a created token with the instance secret key, in Clerk fields', async () => {
    const created = h.server.createOAuthAccessToken({
      subject: 'user_alice',
      clientId: 'client_app',
      scopes: ['email', 'profile'],
    });
    registerSecret(created.token);
    expect(created.token).toMatch(/^oat_/);
    expect(created.id).toMatch(/^oat_[0-9a-f]{32}$/);
    const answer = await verify(created.token);
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({
      object: 'clerk_idp_oauth_access_token',
      id: created.id,
      client_id: 'client_app',
      subject: 'user_alice',
      scopes: ['email', 'profile'],
      revoked: false,
      revocation_reason: null,
      expired: false,
      expiration: h.now() + 86_400_000,
      created_at: h.now(),
      updated_at: h.now(),
    });
    const legacy = await bare(
      h,
      'POST',
      '/v1/oauth_applications/access_tokens/verify',
      { secret: created.token },
      h.secretKey,
    );
    expect(legacy.body.id).toBe(created.id);
  });

  it('answers 404 for unknown, expired and revoked tokens, 401 without the instance secret key', async () => {
    expectClerkError(await verify('oat_unknown_unknown_unknown'), 404, 'resource_not_found');
    const short = h.server.createOAuthAccessToken({ subject: 'user_bob', secondsUntilExpiration: 10 });
    registerSecret(short.token);
    h.advance(10_000);
    expectClerkError(await verify(short.token), 404, 'resource_not_found');
    const created = await h.request('POST', '/keyguard/oauth_access_tokens', {
      subject: 'user_carol',
      scopes: ['read'],
    });
    expect(created.status).toBe(201);
    registerSecret(created.body.token);
    expect((await verify(created.body.token)).status).toBe(200);
    expect((await h.request('POST', `/keyguard/oauth_access_tokens/${created.body.id}/revoke`, {})).status).toBe(200);
    expectClerkError(await verify(created.body.token), 404);
    expectClerkError(await verify(created.body.token, null), 401);
    expectClerkError(await verify(created.body.token, 'sk_test_not_the_right_key_at_all'), 401, 'clerk_key_invalid');
    expectClerkError(await bare(h, 'POST', '/oauth_applications/access_tokens/verify', {}, h.secretKey), 400);
  });

  it('refuses unusable options of createOAuthAccessToken and createMachine with a typed error', () => {
    expect(() => h.server.createOAuthAccessToken({ subject: 'org_x' })).toThrow(KeyServerOptionError);
    expect(() => h.server.createMachine({ name: '' })).toThrow(KeyServerOptionError);
    expect(() => h.server.createMachine({ name: 'x', scopedMachines: ['mch_missing'] })).toThrow(KeyServerOptionError);
    const made = h.server.createMachine({ name: 'from code', defaultTokenTtl: 60 });
    registerSecret(made.secretKey);
    expect(made).toMatchObject({ name: 'from code', defaultTokenTtl: 60, scopedMachines: [] });
  });
});
