import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consoleLogger } from '../src/index.js';
import { expectClerkError, startClerkHarness, type ClerkHarness } from './clerk-helpers.js';

// consoleLogger: every log line goes through the console, where the suite's leak watch reads it.
let h: ClerkHarness;
beforeAll(async () => {
  h = await startClerkHarness({ logger: consoleLogger });
});
afterAll(() => h.stop());

const verify = (secret: string) => h.request('POST', '/api_keys/verify', { secret });

describe('expiry from seconds_until_expiration (server clock)', () => {
  it('verifies until the expiration, then answers 404 and reports expired: true', async () => {
    const created = await h.create({ name: 'one minute', subject: 'user_e', seconds_until_expiration: 60 });
    expect(created.expiration).toBe(h.now() + 60_000);
    h.advance(59_999);
    expect((await verify(created.secret)).status).toBe(200);
    h.advance(1);
    expectClerkError(await verify(created.secret), 404, 'resource_not_found');
    const got = (await h.request('GET', `/api_keys/${created.id}`)).body;
    expect(got).toMatchObject({ expired: true, revoked: false, expiration: h.now() });
  });

  it('an update can give an expired key more time, or none at all', async () => {
    const created = await h.create({ name: 'extend me', subject: 'user_e', seconds_until_expiration: 1 });
    h.advance(2000);
    expect((await verify(created.secret)).status).toBe(404);
    const extended = await h.request('PATCH', `/api_keys/${created.id}`, { seconds_until_expiration: 10 });
    expect(extended.body).toMatchObject({ expired: false, expiration: h.now() + 10_000 });
    expect((await verify(created.secret)).status).toBe(200);
    await h.request('PATCH', `/api_keys/${created.id}`, { seconds_until_expiration: null });
    h.advance(365 * 86_400_000);
    expect((await verify(created.secret)).body).toMatchObject({ expiration: null, expired: false });
  });

  it('a revoked key stays invalid whatever its expiration', async () => {
    const created = await h.create({ name: 'revoked early', subject: 'user_e', seconds_until_expiration: 3600 });
    await h.request('POST', `/api_keys/${created.id}/revoke`, { revocation_reason: 'compromised' });
    await h.request('PATCH', `/api_keys/${created.id}`, { seconds_until_expiration: null });
    expect((await verify(created.secret)).status).toBe(404);
  });
});

describe('secrets stay out of error bodies and logs', () => {
  it('logs ids only, and no error answer carries a secret', async () => {
    const created = await h.create({ name: 'watched', subject: 'user_w' });
    await h.request('PATCH', `/api_keys/${created.id}`, { name: created.secret });
    await h.request('POST', '/api_keys', { name: created.secret.slice(0, 2), subject: created.secret });
    await h.request('POST', `/api_keys/${created.id}/revoke`, { revocation_reason: 'done' });
    await verify(created.secret);
    await h.request('GET', `/api_keys?subject=${encodeURIComponent(created.secret)}`);
    await h.request('GET', `/api_keys/${encodeURIComponent(created.secret)}`);
    await h.request('DELETE', `/api_keys/${created.id}`);
    // The suite-wide leak watch fails this file if `created.secret` or the secret key appears in any of it.
  });
});
