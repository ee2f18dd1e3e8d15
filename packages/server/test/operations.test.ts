import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { matchesWildcard } from '../src/domain/ratelimits/match-override.js';
import { startHarness, type Harness } from './helpers.js';

// Semantics of the identities, key-access, reroll, permission and override operations that the SDK suite
// (test/e2e/unkey-sdk.test.ts) does not pin down on its own, with the server's clock under the test's control.
let now = Date.UTC(2026, 0, 1);
let h: Harness;

beforeAll(async () => {
  h = await startHarness({ clock: () => now });
});
afterAll(() => h.stop());

describe('wildcard overrides', () => {
  it.each([
    ['premium_1', 'premium_*', true],
    ['x_admin', '*_admin', true],
    ['a-suspicious-b', '*suspicious*', true],
    ['premium', 'premium_*', false],
    ['a.b', 'a?b', false],
    ['a?b', 'a?b', true],
    ['a+b', 'a.b', false],
    ['anything', '*', true],
    ['exact', 'exact', true],
  ])('%s matches %s: %s', (identifier, pattern, expected) => {
    expect(matchesWildcard(identifier, pattern)).toBe(expected);
  });

  it('an exact override wins over a wildcard one, and an older wildcard over a newer', async () => {
    const limit = (identifier: string) =>
      h.call('ratelimit.limit', { namespace: 'ops.ns', identifier, limit: 1, duration: 60_000 });
    await limit('seed');
    const broad = (
      await h.call('ratelimit.setOverride', { namespace: 'ops.ns', identifier: 'team_*', limit: 7, duration: 60_000 })
    ).body.data.overrideId;
    await h.call('ratelimit.setOverride', { namespace: 'ops.ns', identifier: 'team_a*', limit: 8, duration: 60_000 });
    const exact = (
      await h.call('ratelimit.setOverride', { namespace: 'ops.ns', identifier: 'team_abc', limit: 9, duration: 60_000 })
    ).body.data.overrideId;
    expect((await limit('team_abc')).body.data).toMatchObject({ limit: 9, overrideId: exact });
    expect((await limit('team_axe')).body.data).toMatchObject({ limit: 7, overrideId: broad });
    // Setting the same pattern again replaces its limit and keeps its id.
    const again = await h.call('ratelimit.setOverride', {
      namespace: 'ops.ns',
      identifier: 'team_*',
      limit: 3,
      duration: 60_000,
    });
    expect(again.body.data.overrideId).toBe(broad);
    expect((await h.call('ratelimit.getOverride', { namespace: 'ops.ns', identifier: 'team_*' })).body.data.limit).toBe(
      3,
    );
  });

  it('overrides of an unknown namespace are 404; a new namespace needs ratelimit.*.create_namespace', async () => {
    expect(
      (await h.call('ratelimit.setOverride', { namespace: 'never.seen', identifier: 'x', limit: 1, duration: 1000 }))
        .status,
    ).toBe(404);
    const limiter = h.server.createRootKey(['ratelimit.*.limit']);
    expect(
      (await h.call('ratelimit.limit', { namespace: 'brand.new', identifier: 'x', limit: 1, duration: 1000 }, limiter))
        .status,
    ).toBe(403);
    expect(
      (await h.call('ratelimit.limit', { namespace: 'ops.ns', identifier: 'x', limit: 1, duration: 1000 }, limiter))
        .status,
    ).toBe(200);
  });
});

describe('keys.rerollKey', () => {
  it('never lets the original outlive its own expiry, and copies recoverability', async () => {
    const apiId = await h.createApi();
    const soon = now + 10_000;
    const original = await h.createKey(apiId, { expires: soon, recoverable: true, prefix: 'pre_fix' });
    const rerolled = await h.call('keys.rerollKey', { keyId: original.keyId, expiration: 3_600_000 });
    expect(rerolled.status).toBe(200);
    expect(rerolled.body.data.key.startsWith('pre_fix_')).toBe(true);
    expect((await h.call('keys.getKey', { keyId: original.keyId })).body.data.expires).toBe(soon);
    const fresh = await h.call('keys.getKey', { keyId: rerolled.body.data.keyId, decrypt: true });
    expect(fresh.body.data.plaintext).toBe(rerolled.body.data.key);
    expect(fresh.body.data.expires).toBe(soon);

    const noEncrypt = h.server.createRootKey(['api.*.create_key']);
    expect((await h.call('keys.rerollKey', { keyId: original.keyId, expiration: 0 }, noEncrypt)).status).toBe(403);
  });

  it('expiration counts from the request: the original works until then, and not after', async () => {
    const apiId = await h.createApi();
    const original = await h.createKey(apiId);
    await h.call('keys.rerollKey', { keyId: original.keyId, expiration: 60_000 });
    now += 59_999;
    expect((await h.verify({ key: original.key })).code).toBe('VALID');
    now += 1;
    expect((await h.verify({ key: original.key })).code).toBe('EXPIRED');
  });
});

describe('identities', () => {
  it('deleting one unlinks its keys and frees its externalId', async () => {
    const apiId = await h.createApi();
    await h.call('identities.createIdentity', {
      externalId: 'ops_user',
      ratelimits: [{ name: 'shared', limit: 1, duration: 60_000, autoApply: true }],
    });
    const key = await h.createKey(apiId, { externalId: 'ops_user' });
    expect((await h.verify({ key: key.key })).code).toBe('VALID');
    expect((await h.verify({ key: key.key })).code).toBe('RATE_LIMITED');
    const deleted = await h.call('identities.deleteIdentity', { identity: 'ops_user' });
    expect(deleted.body).toEqual({ meta: { requestId: expect.stringMatching(/^req_/) } });
    const after = await h.verify({ key: key.key });
    expect(after.code).toBe('VALID');
    expect(after.identity).toBeUndefined();
    expect((await h.call('identities.createIdentity', { externalId: 'ops_user' })).status).toBe(200);
  });

  it('errors of identities.deleteIdentity are problem+json, as Unkey declares them', async () => {
    const missing = await h.call('identities.deleteIdentity', { identity: 'nobody_here' });
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toBe('application/problem+json');
    expect(missing.body.error.type).toMatch(/identity_not_found$/);
  });
});

describe('permissions and roles', () => {
  it('deleting a permission takes it from roles too', async () => {
    await h.call('permissions.createRole', { name: 'ops.role', permissions: ['ops.a', 'ops.b'] });
    await h.call('permissions.deletePermission', { permission: 'ops.a' });
    expect(
      (await h.call('permissions.getRole', { role: 'ops.role' })).body.data.permissions.map(
        (entry: { slug: string }) => entry.slug,
      ),
    ).toEqual(['ops.b']);
  });

  it('adding an unknown permission without rbac.*.create_permission is a 403 and changes nothing', async () => {
    const apiId = await h.createApi();
    const key = await h.createKey(apiId, { permissions: ['ops.kept'] });
    const editor = h.server.createRootKey(['api.*.update_key', 'rbac.*.add_permission_to_key']);
    expect(
      (await h.call('keys.addPermissions', { keyId: key.keyId, permissions: ['ops.kept', 'ops.unknown'] }, editor))
        .status,
    ).toBe(403);
    expect((await h.call('keys.addPermissions', { keyId: key.keyId, permissions: ['ops.kept'] }, editor)).status).toBe(
      200,
    );
    expect((await h.call('permissions.getPermission', { permission: 'ops.unknown' })).status).toBe(404);
  });
});

describe('the request quota', () => {
  it('answers 429 with Retry-After and RateLimit headers once spent, until the window ends', async () => {
    const limited = await startHarness({ clock: () => now, requestQuota: { limit: 2, duration: 10_000 } });
    try {
      expect((await limited.call('apis.createApi', { name: 'quota' })).status).toBe(200);
      expect((await limited.call('permissions.listRoles', {})).status).toBe(200);
      const over = await limited.call('permissions.listRoles', {});
      expect(over.status).toBe(429);
      expect(over.headers.get('content-type')).toBe('application/problem+json');
      expect(over.headers.get('retry-after')).toBe('10');
      expect(over.headers.get('ratelimit-remaining')).toBe('0');
      expect(over.body.error.type).toMatch(/workspace_rate_limited$/);
      now += 10_000;
      expect((await limited.call('permissions.listRoles', {})).status).toBe(200);
      limited.server.setRequestQuota(undefined);
      for (let index = 0; index < 3; index++)
        expect((await limited.call('permissions.listRoles', {})).status).toBe(200);
    } finally {
      await limited.stop();
    }
  });

  it('rejects a malformed quota at creation', () => {
    expect(() => h.server.setRequestQuota({ limit: 0, duration: 1000 })).toThrow(/requestQuota/);
    expect(() => h.server.setRequestQuota({ limit: 1, duration: 10 })).toThrow(/requestQuota/);
  });
});
