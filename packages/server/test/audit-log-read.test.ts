import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKeyServer, KeyServerOptionError } from '../src/index.js';
import { registerSecret } from '../../../test/support/secrets.js';
import { startAuditHarness, type AuditHarness } from './audit-helpers.js';

describe('keyguard.listAuditLogs: pages, filters, permission', () => {
  let h: AuditHarness;
  const apiIds: string[] = [];
  beforeAll(async () => {
    h = await startAuditHarness();
    for (let index = 0; index < 7; index++) {
      const answer = await h.call('apis.createApi', { name: `paged-${index}` });
      apiIds.push(answer.body.data.apiId);
      h.advance(1000);
    }
  });
  afterAll(() => h.stop());

  it('pages newest first with a cursor, each entry once', async () => {
    const all = await h.entries();
    expect(all.map((entry) => entry.target.id)).toEqual([...apiIds].reverse());
    const paged = await h.entries({}, 3);
    expect(paged.map((entry) => entry.id)).toEqual(all.map((entry) => entry.id));
    const first = await h.call('keyguard.listAuditLogs', { limit: 3 });
    expect(first.body.data).toHaveLength(3);
    expect(first.body.pagination).toEqual({ hasMore: true, cursor: all[3].id });
    const bad = await h.call('keyguard.listAuditLogs', { cursor: 'key_123' });
    expect(bad.status).toBe(400);
  });

  it('filters by time, action, actor and target', async () => {
    const all = await h.entries();
    const since = all[4].time;
    const until = all[1].time;
    expect((await h.entries({ since, until })).map((entry) => entry.id)).toEqual(all.slice(2, 5).map((e) => e.id));
    expect(await h.entries({ targetId: apiIds[2] })).toEqual([all[4]]);
    expect(await h.entries({ action: 'api.delete' })).toEqual([]);
    expect((await h.entries({ action: 'api.create' })).length).toBe(7);

    const creator = await h.call('keyguard.createRootKey', { permissions: ['api.*.create_api'] });
    registerSecret(creator.body.data.key);
    await h.call('apis.createApi', { name: 'by-the-narrow-key' }, creator.body.data.key);
    const byCreator = await h.entries({ actorId: creator.body.data.rootKeyId });
    expect(byCreator.map((entry) => entry.action)).toEqual(['api.create']);
    expect(byCreator[0].actor).toEqual({ type: 'root_key', id: creator.body.data.rootKeyId });
  });

  it('needs audit.*.read_audit_log (or *): 403 without it', async () => {
    const narrow = await h.call('keyguard.createRootKey', { permissions: ['api.*.read_api'] });
    const reader = await h.call('keyguard.createRootKey', { permissions: ['audit.*.read_audit_log'] });
    registerSecret(narrow.body.data.key, reader.body.data.key);
    expect((await h.call('keyguard.listAuditLogs', {}, narrow.body.data.key)).status).toBe(403);
    const read = await h.call('keyguard.listAuditLogs', { limit: 1 }, reader.body.data.key);
    expect(read.status).toBe(200);
    expect(read.body.data[0].action).toBe('root_key.create');
  });

  it('records a failure with its status and code, and no fields', async () => {
    const answer = await h.call('keys.updateKey', { keyId: 'key_missing123', name: 'x' });
    expect(answer.status).toBe(404);
    const [entry] = (await h.call('keyguard.listAuditLogs', { action: 'key.update', limit: 1 })).body.data;
    expect(entry).toMatchObject({ status: 404, errorCode: expect.any(String), before: null, after: null });
    expect(entry.target).toEqual({ type: 'key', id: 'key_missing123' });
  });

  it('rolls a failed change back with its entry: only the failure is recorded', async () => {
    const apiId = apiIds[0];
    const { keyId, key } = (await h.call('keys.createKey', { apiId })).body.data;
    registerSecret(key);
    // The identity is made before the unknown role fails the request: both go, the failure stays.
    const answer = await h.call('keys.updateKey', { keyId, externalId: 'ghost', roles: ['no-such-role'] });
    expect(answer.status).toBe(404);
    expect((await h.call('identities.getIdentity', { identity: 'ghost' })).status).toBe(404);
    const [entry] = (await h.call('keyguard.listAuditLogs', { targetId: keyId, limit: 1 })).body.data;
    expect(entry).toMatchObject({ action: 'key.update', status: 404, before: null, after: null });
    expect((await h.entries({ action: 'identity.create' })).length).toBe(0);
  });

  it('records a Clerk failure with the Clerk secret key as actor', async () => {
    expect((await h.clerk('PATCH', '/api_keys/ak_missing', { description: 'x' })).status).toBe(404);
    const [entry] = (await h.call('keyguard.listAuditLogs', { action: 'clerk_api_key.update', limit: 1 })).body.data;
    expect(entry).toMatchObject({
      actor: { type: 'clerk_secret_key', id: expect.stringMatching(/^csk_/) },
      target: { type: 'clerk_api_key', id: 'ak_missing' },
      status: 404,
      operation: 'clerk PATCH /api_keys/:id',
    });
  });

  it('keeps the peer address and a User-Agent cut to 120 printable characters', async () => {
    await h.call('apis.createApi', { name: 'agent' }, undefined, { 'user-agent': `tool/1.0 ${'x'.repeat(300)}` });
    const [entry] = (await h.call('keyguard.listAuditLogs', { limit: 1 })).body.data;
    expect(entry.userAgent).toBe(`tool/1.0 ${'x'.repeat(111)}`);
    expect(entry.remoteAddress).toMatch(/127\.0\.0\.1/);
  });
});

describe('audit log retention', () => {
  it('keeps the newest auditMaxEntries entries', async () => {
    const h = await startAuditHarness({ auditMaxEntries: 5 });
    try {
      const ids: string[] = [];
      for (let index = 0; index < 8; index++)
        ids.push((await h.call('apis.createApi', { name: `kept-${index}` })).body.data.apiId);
      expect((await h.entries()).map((entry) => entry.target.id)).toEqual(ids.slice(3).reverse());
    } finally {
      await h.stop();
    }
  });

  it('drops entries older than auditMaxAgeMs as new ones are written', async () => {
    const h = await startAuditHarness({ auditMaxAgeMs: 60_000 });
    try {
      await h.call('apis.createApi', { name: 'old' });
      h.advance(30_000);
      await h.call('apis.createApi', { name: 'middle' });
      h.advance(31_000);
      const newest = (await h.call('apis.createApi', { name: 'new' })).body.data.apiId;
      const kept = await h.entries();
      expect(kept.map((entry) => entry.after.name)).toEqual(['new', 'middle']);
      expect(kept[0].target.id).toBe(newest);
    } finally {
      await h.stop();
    }
  });

  it('refuses an unusable bound', () => {
    expect(() => createKeyServer({ auditMaxEntries: 0 })).toThrow(KeyServerOptionError);
    expect(() => createKeyServer({ auditMaxAgeMs: 10 })).toThrow(KeyServerOptionError);
  });
});
