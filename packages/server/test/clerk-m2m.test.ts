import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consoleLogger } from '../src/index.js';
import { expectClerkError, startClerkHarness, type ClerkHarness } from './clerk-helpers.js';
import { bare, machine, mint, verifyM2M } from './clerk-m2m-helpers.js';

// consoleLogger: every log line goes through the console, where the suite's leak watch reads it; every machine
// secret key and token is registered with it, so none may show in a log line or an error body.
let h: ClerkHarness;
let target: { id: string; secret: string };
let caller: { id: string; secret: string };
beforeAll(async () => {
  h = await startClerkHarness({ logger: consoleLogger });
  target = await machine(h, { name: 'billing api' });
  caller = await machine(h, { name: 'worker', scoped_machines: [target.id], default_token_ttl: 600 });
});
afterAll(() => h.stop());

describe('machines (/v1/machines, instance secret key)', () => {
  it('creates with its secret key, scopes and default TTL; gets, lists and shows the secret again', async () => {
    const created = await machine(h, { name: 'reporter', scoped_machines: [target.id, caller.id] });
    expect(created.id).toMatch(/^mch_\w{27}$/);
    expect(created.secret).toMatch(/^ak_/);
    expect(created.body).toMatchObject({ object: 'machine', name: 'reporter', default_token_ttl: 3600 });
    expect(created.body.scoped_machines.map((m: { id: string }) => m.id)).toEqual([target.id, caller.id]);
    const got = await h.request('GET', `/machines/${created.id}`);
    expect(got.body).toEqual({ ...created.body, secret_key: undefined });
    expect((await h.request('GET', `/machines/${created.id}/secret_key`)).body).toEqual({
      object: 'machine_secret_key',
      secret: created.secret,
    });
    const listed = await h.request('GET', '/machines?query=report');
    expect(listed.body).toMatchObject({ total_count: 1, data: [{ id: created.id }] });
  });

  it('answers 404 for a scoped machine that does not exist, and 401 to a machine secret key', async () => {
    expectClerkError(await h.request('POST', '/machines', { name: 'x', scoped_machines: ['mch_nope'] }), 404);
    expectClerkError(await h.request('GET', '/machines', undefined, caller.secret), 401, 'clerk_key_invalid');
  });
});

describe('M2M tokens: create, verify, revoke', () => {
  it('a machine secret key creates opaque tokens scoped to its machines; the instance key cannot (401)', async () => {
    const token = await mint(h, caller.secret, { claims: { job: 'nightly' } });
    expect(token).toMatchObject({
      object: 'machine_to_machine_token',
      subject: caller.id,
      scopes: [target.id],
      claims: { job: 'nightly' },
      revoked: false,
      expired: false,
      expiration: h.now() + 600_000,
      last_used_at: null,
    });
    expect(token.id).toMatch(/^mt_[0-9a-f]{32}$/);
    expect(token.token).toMatch(/^mt_/);
    const bySecretKey = await bare(h, 'POST', '/m2m_tokens', {}, h.secretKey);
    expectClerkError(bySecretKey, 401, 'machine_secret_key_invalid');
    expectClerkError(
      await bare(h, 'POST', '/m2m_tokens', {}, 'ak_wrong_wrong_wrong'),
      401,
      'machine_secret_key_invalid',
    );
    expectClerkError(await bare(h, 'POST', '/m2m_tokens', {}, null), 401);
  });

  it('verifies for a machine it is granted to and for the instance; 404 for its own creator and unknown tokens', async () => {
    const token = await mint(h, caller.secret);
    const verified = await verifyM2M(h, token.token, target.secret);
    expect(verified.status).toBe(200);
    expect(verified.body).toMatchObject({ id: token.id, subject: caller.id, last_used_at: h.now() });
    expect(verified.body.token).toBeUndefined();
    expect((await verifyM2M(h, token.token, h.secretKey)).status).toBe(200);
    expectClerkError(await verifyM2M(h, token.token, caller.secret), 404, 'resource_not_found');
    expectClerkError(await verifyM2M(h, 'mt_unknown_token_value', h.secretKey), 404, 'resource_not_found');
    expectClerkError(await verifyM2M(h, token.token, 'ak_not_a_machine_key'), 401, 'machine_secret_key_invalid');
  });

  it('revokes at once, keeps the first reason, and only its own machine or the instance may revoke', async () => {
    const token = await mint(h, caller.secret);
    expectClerkError(await bare(h, 'POST', `/m2m_tokens/${token.id}/revoke`, {}, target.secret), 404);
    const revoked = await bare(
      h,
      'POST',
      `/m2m_tokens/${token.id}/revoke`,
      { revocation_reason: 'rotated' },
      caller.secret,
    );
    expect(revoked.body).toMatchObject({ id: token.id, revoked: true, revocation_reason: 'rotated' });
    const again = await bare(h, 'POST', `/m2m_tokens/${token.id}/revoke`, { revocation_reason: 'other' }, h.secretKey);
    expect(again.body).toMatchObject({ revoked: true, revocation_reason: 'rotated' });
    expectClerkError(await verifyM2M(h, token.token, target.secret), 404, 'resource_not_found');
    expectClerkError(
      await bare(h, 'POST', '/m2m_tokens/mt_00000000000000000000000000000000/revoke', {}, h.secretKey),
      404,
    );
  });

  it('expires at seconds_until_expiration (server clock), and lists valid tokens unless asked for more', async () => {
    const lister = await machine(h, { name: 'lister', scoped_machines: [target.id] });
    const short = await mint(h, lister.secret, { seconds_until_expiration: 60 });
    const revoked = await mint(h, lister.secret);
    await bare(h, 'POST', `/m2m_tokens/${revoked.id}/revoke`, {}, lister.secret);
    h.advance(59_999);
    expect((await verifyM2M(h, short.token, target.secret)).status).toBe(200);
    h.advance(1);
    expectClerkError(await verifyM2M(h, short.token, target.secret), 404);
    const list = (query: string, key: string) =>
      bare(h, 'GET', `/m2m_tokens?subject=${lister.id}${query}`, undefined, key);
    expect((await list('', lister.secret)).body).toEqual({ m2m_tokens: [], total_count: 0 });
    const all = await list('&revoked=true&expired=true', h.secretKey);
    expect(all.body.total_count).toBe(2);
    expect(all.body.m2m_tokens.map((t: { id: string }) => t.id)).toEqual([revoked.id, short.id]);
    expect(all.body.m2m_tokens[0].token).toBeUndefined();
    expectClerkError(await list('', caller.secret), 403);
  });

  it('min_remaining_ttl_seconds answers an equal live token instead of a new one', async () => {
    const first = await mint(h, caller.secret, { claims: { pool: 1 }, min_remaining_ttl_seconds: 300 });
    const second = await mint(h, caller.secret, { claims: { pool: 1 }, min_remaining_ttl_seconds: 300 });
    expect(second).toMatchObject({ id: first.id, token: first.token });
    const other = await mint(h, caller.secret, { claims: { pool: 2 }, min_remaining_ttl_seconds: 300 });
    expect(other.id).not.toBe(first.id);
    h.advance(301_000);
    expect((await mint(h, caller.secret, { claims: { pool: 1 }, min_remaining_ttl_seconds: 300 })).id).not.toBe(
      first.id,
    );
    expectClerkError(await bare(h, 'POST', '/m2m_tokens', { min_remaining_ttl_seconds: 600 }, caller.secret), 400);
  });

  it('rejects unknown fields and a wrong token_format', async () => {
    expectClerkError(await bare(h, 'POST', '/m2m_tokens', { scopes: ['x'] }, caller.secret), 400, 'form_param_unknown');
    expectClerkError(await bare(h, 'POST', '/m2m_tokens', { token_format: 'paseto' }, caller.secret), 400);
  });
});
