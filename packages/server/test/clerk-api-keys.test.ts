/* eslint-disable @typescript-eslint/no-explicit-any -- JSON answers of the wire format, checked by assertions */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectClerkError, startClerkHarness, type ClerkHarness } from './clerk-helpers.js';

let h: ClerkHarness;
beforeAll(async () => {
  h = await startClerkHarness();
});
afterAll(() => h.stop());

const API_KEY_FIELDS = [
  'object',
  'id',
  'type',
  'subject',
  'name',
  'description',
  'claims',
  'scopes',
  'revoked',
  'revocation_reason',
  'expired',
  'expiration',
  'created_by',
  'last_used_at',
  'created_at',
  'updated_at',
];

describe('POST /v1/api_keys', () => {
  it('answers the APIKey object with its secret, once', async () => {
    const created = await h.create({
      name: 'billing export',
      subject: 'user_123',
      description: 'nightly job',
      claims: { plan: 'pro' },
      scopes: ['invoices:read', 'invoices:write'],
      created_by: 'user_admin',
    });
    expect(Object.keys(created).sort()).toEqual([...API_KEY_FIELDS, 'secret'].sort());
    expect(created).toMatchObject({
      object: 'api_key',
      type: 'api_key',
      subject: 'user_123',
      name: 'billing export',
      description: 'nightly job',
      claims: { plan: 'pro' },
      scopes: ['invoices:read', 'invoices:write'],
      revoked: false,
      revocation_reason: null,
      expired: false,
      expiration: null,
      created_by: 'user_admin',
      last_used_at: null,
      created_at: h.now(),
      updated_at: h.now(),
    });
    expect(created.id).toMatch(/^ak_[0-9a-f]{32}$/);
    expect(created.secret).toMatch(/^ak_[1-9A-HJ-NP-Za-km-z]{40,44}$/);
    expect(created.secret).not.toBe(created.id);
    const got = await h.request('GET', `/api_keys/${created.id}`);
    expect(got.status).toBe(200);
    expect(Object.keys(got.body).sort()).toEqual([...API_KEY_FIELDS].sort());
    expect(JSON.stringify(got.body)).not.toContain(created.secret);
  });

  it('fills defaults: no description, claims or scopes, never expires', async () => {
    const created = await h.create({ name: 'minimal', subject: 'org_42' });
    expect(created).toMatchObject({
      description: null,
      claims: null,
      scopes: [],
      created_by: null,
      expiration: null,
      type: 'api_key',
    });
  });

  it('accepts any JSON as claims, and machine subjects', async () => {
    expect((await h.create({ name: 'string claims', subject: 'mch_7', claims: 'tier-1' })).claims).toBe('tier-1');
    expect((await h.create({ name: 'array claims', subject: 'mch_7', claims: [1, { a: true }] })).claims).toEqual([
      1,
      { a: true },
    ]);
  });

  it('sets the expiration from seconds_until_expiration', async () => {
    const created = await h.create({ name: 'for an hour', subject: 'user_exp', seconds_until_expiration: 3600 });
    expect(created.expiration).toBe(h.now() + 3_600_000);
    expect(
      (await h.create({ name: 'fractional', subject: 'user_exp', seconds_until_expiration: 1.5 })).expiration,
    ).toBe(h.now() + 1500);
  });
});

describe('GET /v1/api_keys (list)', () => {
  const subject = 'user_lister';
  const ids: string[] = [];
  beforeAll(async () => {
    for (const name of ['alpha key', 'beta key', 'gamma', 'delta', 'epsilon']) {
      ids.push(
        (await h.create({ name, subject, description: name === 'gamma' ? 'has the Word beta inside' : null })).id,
      );
      h.advance(1);
    }
    await h.create({ name: 'other subject', subject: 'user_someone_else' });
  });

  it('answers {data, total_count}, newest first, default limit 10', async () => {
    const answer = await h.request('GET', `/api_keys?subject=${subject}`);
    expect(answer.status).toBe(200);
    expect(Object.keys(answer.body).sort()).toEqual(['data', 'total_count']);
    expect(answer.body.total_count).toBe(5);
    expect(answer.body.data.map((key: any) => key.id)).toEqual([...ids].reverse());
    for (const key of answer.body.data) expect(key.secret).toBeUndefined();
  });

  it('pages with limit and offset; total_count counts every match', async () => {
    const page = await h.request('GET', `/api_keys?subject=${subject}&limit=2&offset=1`);
    expect(page.body.total_count).toBe(5);
    expect(page.body.data.map((key: any) => key.id)).toEqual([ids[3], ids[2]]);
    const past = await h.request('GET', `/api_keys?subject=${subject}&offset=10`);
    expect(past.body).toEqual({ data: [], total_count: 5 });
  });

  it('searches name and description with query, case-insensitively, % and _ taken literally', async () => {
    const found = await h.request('GET', `/api_keys?subject=${subject}&query=BETA`);
    expect(found.body.data.map((key: any) => key.name).sort()).toEqual(['beta key', 'gamma']);
    expect(found.body.total_count).toBe(2);
    expect((await h.request('GET', `/api_keys?subject=${subject}&query=%25`)).body.total_count).toBe(0);
    expect((await h.request('GET', `/api_keys?subject=${subject}&query=_`)).body.total_count).toBe(0);
  });

  it('filters by type and answers an empty list for a subject without keys', async () => {
    expect((await h.request('GET', `/api_keys?subject=${subject}&type=api_key`)).body.total_count).toBe(5);
    expect((await h.request('GET', '/api_keys?subject=org_nobody')).body).toEqual({ data: [], total_count: 0 });
  });

  it('hides revoked and expired keys unless include_invalid=true', async () => {
    const listed = 'user_invalids';
    const valid = await h.create({ name: 'valid one', subject: listed });
    const revoked = await h.create({ name: 'revoked one', subject: listed });
    const expiring = await h.create({ name: 'expiring one', subject: listed, seconds_until_expiration: 1 });
    await h.request('POST', `/api_keys/${revoked.id}/revoke`, { revocation_reason: 'leaked' });
    h.advance(1000);
    const ids = async (query: string) =>
      (await h.request('GET', `/api_keys?subject=${listed}${query}`)).body.data.map((key: any) => key.id).sort();
    expect(await ids('')).toEqual([valid.id]);
    expect(await ids('&include_invalid=false')).toEqual([valid.id]);
    expect(await ids('&include_invalid=true')).toEqual([valid.id, revoked.id, expiring.id].sort());
    const all = (await h.request('GET', `/api_keys?subject=${listed}&include_invalid=true`)).body;
    expect(all.total_count).toBe(3);
    expect(all.data.find((key: any) => key.id === expiring.id)).toMatchObject({ expired: true, revoked: false });
    expect(all.data.find((key: any) => key.id === revoked.id)).toMatchObject({
      revoked: true,
      revocation_reason: 'leaked',
      expired: false,
    });
  });
});

describe('GET /v1/api_keys/{id} and /secret', () => {
  it('gets a key, and its secret from the sealed copy', async () => {
    const created = await h.create({ name: 'with secret', subject: 'user_s' });
    expect((await h.request('GET', `/api_keys/${created.id}`)).body.id).toBe(created.id);
    const secret = await h.request('GET', `/api_keys/${created.id}/secret`);
    expect(secret.status).toBe(200);
    expect(secret.body).toEqual({ secret: created.secret });
  });

  it('404 for unknown ids, without repeating them', async () => {
    const unknown = 'ak_0123456789abcdef0123456789abcdef';
    for (const path of [`/api_keys/${unknown}`, `/api_keys/${unknown}/secret`, '/api_keys/not-an-id']) {
      const answer = await h.request('GET', path);
      expectClerkError(answer, 404, 'resource_not_found');
      expect(JSON.stringify(answer.body)).not.toContain(unknown);
    }
  });
});

describe('PATCH /v1/api_keys/{id}', () => {
  it('changes claims, scopes, description, subject and expiration; omitted fields stay', async () => {
    const created = await h.create({
      name: 'to update',
      subject: 'user_u',
      description: 'before',
      claims: { a: 1 },
      scopes: ['a'],
    });
    h.advance(5);
    const updated = await h.request('PATCH', `/api_keys/${created.id}`, {
      scopes: ['a', 'b'],
      claims: null,
      seconds_until_expiration: 60,
    });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({
      scopes: ['a', 'b'],
      claims: null,
      description: 'before',
      subject: 'user_u',
      name: 'to update',
      expiration: h.now() + 60_000,
      updated_at: h.now(),
      created_at: created.created_at,
    });
    expect(updated.body.secret).toBeUndefined();
    const moved = await h.request('PATCH', `/api_keys/${created.id}`, {
      subject: 'org_u',
      description: null,
      seconds_until_expiration: null,
    });
    expect(moved.body).toMatchObject({ subject: 'org_u', description: null, expiration: null, scopes: ['a', 'b'] });
    expect((await h.request('PATCH', `/api_keys/${created.id}`)).body.subject).toBe('org_u');
    expect((await h.request('PATCH', `/api_keys/${created.id}`, {})).status).toBe(200);
  });

  it('cannot change the name (400), and 404 for an unknown id', async () => {
    const created = await h.create({ name: 'fixed name', subject: 'user_u' });
    const errors = expectClerkError(await h.request('PATCH', `/api_keys/${created.id}`, { name: 'new name' }), 400);
    expect(errors[0]).toMatchObject({ meta: { param_name: 'name' }, message: 'cannot be changed after creation' });
    expect((await h.request('GET', `/api_keys/${created.id}`)).body.name).toBe('fixed name');
    expectClerkError(
      await h.request('PATCH', '/api_keys/ak_ffffffffffffffffffffffffffffffff', { scopes: [] }),
      404,
      'resource_not_found',
    );
  });
});

describe('POST /v1/api_keys/{id}/revoke', () => {
  it('revokes with a reason; again changes nothing; verify then answers 404', async () => {
    const created = await h.create({ name: 'to revoke', subject: 'user_r' });
    expect((await h.request('POST', '/api_keys/verify', { secret: created.secret })).status).toBe(200);
    h.advance(10);
    const revoked = await h.request('POST', `/api_keys/${created.id}/revoke`, { revocation_reason: 'rotated' });
    expect(revoked.status).toBe(200);
    expect(revoked.body).toMatchObject({
      id: created.id,
      revoked: true,
      revocation_reason: 'rotated',
      updated_at: h.now(),
    });
    expect(revoked.body.secret).toBeUndefined();
    const again = await h.request('POST', `/api_keys/${created.id}/revoke`, { revocation_reason: 'second' });
    expect(again.body).toMatchObject({ revoked: true, revocation_reason: 'rotated' });
    expectClerkError(
      await h.request('POST', '/api_keys/verify', { secret: created.secret }),
      404,
      'resource_not_found',
    );
    expect((await h.request('GET', `/api_keys/${created.id}/secret`)).body).toEqual({ secret: created.secret });
  });

  it('accepts a null reason, an empty object, or no body at all', async () => {
    for (const [index, body] of [{ revocation_reason: null }, {}, undefined].entries()) {
      const created = await h.create({ name: 'bare revoke', subject: `user_bare${index}` });
      const answer = await h.request('POST', `/api_keys/${created.id}/revoke`, body);
      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({ revoked: true, revocation_reason: null });
    }
    expectClerkError(await h.request('POST', '/api_keys/ak_ffffffffffffffffffffffffffffffff/revoke', {}), 404);
  });
});

describe('DELETE /v1/api_keys/{id}', () => {
  it('deletes: {id, object, deleted}; then 404 everywhere', async () => {
    const created = await h.create({ name: 'to delete', subject: 'user_d' });
    const deleted = await h.request('DELETE', `/api_keys/${created.id}`);
    expect(deleted.status).toBe(200);
    expect(deleted.body).toEqual({ id: created.id, object: 'api_key', deleted: true });
    expectClerkError(await h.request('DELETE', `/api_keys/${created.id}`), 404);
    expectClerkError(await h.request('GET', `/api_keys/${created.id}`), 404);
    expectClerkError(await h.request('POST', '/api_keys/verify', { secret: created.secret }), 404);
  });
});

describe('POST /v1/api_keys/verify', () => {
  it('answers the key without its secret and records last_used_at', async () => {
    const created = await h.create({
      name: 'to verify',
      subject: 'user_v',
      scopes: ['docs:read'],
      claims: { team: 'a' },
    });
    h.advance(42);
    const verified = await h.request('POST', '/api_keys/verify', { secret: created.secret });
    expect(verified.status).toBe(200);
    expect(Object.keys(verified.body).sort()).toEqual([...API_KEY_FIELDS].sort());
    expect(verified.body).toMatchObject({
      id: created.id,
      subject: 'user_v',
      scopes: ['docs:read'],
      claims: { team: 'a' },
      last_used_at: h.now(),
      revoked: false,
      expired: false,
    });
    expect((await h.request('GET', `/api_keys/${created.id}`)).body.last_used_at).toBe(h.now());
  });

  it('404 for an unknown secret, never echoing it', async () => {
    const unknown = 'ak_thisSecretIsNotKnownToTheServer1234';
    const answer = await h.request('POST', '/api_keys/verify', { secret: unknown });
    expectClerkError(answer, 404, 'resource_not_found');
    expect(JSON.stringify(answer.body)).not.toContain('NotKnown');
  });
});
