import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consoleLogger } from '../src/index.js';
import { registerSecret } from '../../../test/support/secrets.js';
import { expectClerkError, startClerkHarness, type ClerkHarness } from './clerk-helpers.js';
import { bare, machine, mint, verifyM2M } from './clerk-m2m-helpers.js';

let h: ClerkHarness;
beforeAll(async () => {
  h = await startClerkHarness({ logger: consoleLogger });
});
afterAll(() => h.stop());

describe('machines: update, delete, secret-key rotation, scopes', () => {
  it('updates name and default TTL; delete takes its tokens along', async () => {
    const worker = await machine(h, { name: 'worker' });
    const updated = await h.request('PATCH', `/machines/${worker.id}`, { default_token_ttl: 30 });
    expect(updated.body).toMatchObject({ name: 'worker', default_token_ttl: 30, updated_at: h.now() });
    expect((await mint(h, worker.secret)).expiration).toBe(h.now() + 30_000);
    const token = await mint(h, worker.secret);
    const deleted = await h.request('DELETE', `/machines/${worker.id}`);
    expect(deleted.body).toEqual({ object: 'machine', id: worker.id, deleted: true });
    expectClerkError(await h.request('GET', `/machines/${worker.id}`), 404, 'resource_not_found');
    expectClerkError(await verifyM2M(h, token.token, h.secretKey), 404);
    expectClerkError(await bare(h, 'POST', '/m2m_tokens', {}, worker.secret), 401, 'machine_secret_key_invalid');
  });

  it('rotation: the previous key works for previous_token_ttl seconds, then answers 401', async () => {
    const worker = await machine(h, { name: 'rotating' });
    const rotated = await h.request('POST', `/machines/${worker.id}/secret_key/rotate`, { previous_token_ttl: 60 });
    expect(rotated.body).toEqual({ object: 'machine_secret_key', secret: expect.stringMatching(/^ak_/) });
    registerSecret(rotated.body.secret);
    expect((await h.request('GET', `/machines/${worker.id}/secret_key`)).body.secret).toBe(rotated.body.secret);
    h.advance(59_999);
    await mint(h, worker.secret);
    h.advance(1);
    expectClerkError(await bare(h, 'POST', '/m2m_tokens', {}, worker.secret), 401, 'machine_secret_key_invalid');
    await mint(h, rotated.body.secret);
    const immediate = await h.request('POST', `/machines/${worker.id}/secret_key/rotate`, { previous_token_ttl: 0 });
    registerSecret(immediate.body.secret);
    expectClerkError(await bare(h, 'POST', '/m2m_tokens', {}, rotated.body.secret), 401);
    expectClerkError(
      await h.request('POST', `/machines/${worker.id}/secret_key/rotate`, {}),
      400,
      'form_param_missing',
    );
  });

  it('a scope added later is carried by tokens made after it; a removed one is not', async () => {
    const api = await machine(h, { name: 'api' });
    const worker = await machine(h, { name: 'scoped later' });
    const before = await mint(h, worker.secret);
    const scope = await h.request('POST', `/machines/${worker.id}/scopes`, { to_machine_id: api.id });
    expect(scope.body).toEqual({
      object: 'machine_scope',
      from_machine_id: worker.id,
      to_machine_id: api.id,
      created_at: h.now(),
    });
    expect((await h.request('POST', `/machines/${worker.id}/scopes`, { to_machine_id: api.id })).body).toEqual(
      scope.body,
    );
    const after = await mint(h, worker.secret);
    expect(after.scopes).toEqual([api.id]);
    expectClerkError(await verifyM2M(h, before.token, api.secret), 404);
    expect((await verifyM2M(h, after.token, api.secret)).status).toBe(200);

    const removed = await h.request('DELETE', `/machines/${worker.id}/scopes/${api.id}`);
    expect(removed.body).toEqual({
      object: 'machine_scope',
      from_machine_id: worker.id,
      to_machine_id: api.id,
      deleted: true,
    });
    expectClerkError(await h.request('DELETE', `/machines/${worker.id}/scopes/${api.id}`), 404);
    expect((await mint(h, worker.secret)).scopes).toEqual([]);
    expectClerkError(await h.request('POST', `/machines/${worker.id}/scopes`, { to_machine_id: worker.id }), 400);
    expectClerkError(await h.request('POST', `/machines/${worker.id}/scopes`, { to_machine_id: 'mch_none' }), 404);
  });
});
