import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './helpers.js';

// keys.verifyKey at its edges, over loopback with the server's clock in the test's hands (src/domain/keys/verify.ts,
// src/domain/ratelimits/verify-ratelimits.ts, src/domain/credits/): limits inherited from an identity, a stored limit
// overridden per request, refills across month and year ends, and what each answer carries.
let now = Date.UTC(2026, 0, 15, 12);
let h: Harness;
let apiId: string;

// Registered in each describe, not at file level: a failing hook then fails that describe's tests, also under
// Stryker's vitest runner (which reads a failing file-level hook as skipped tests, so its mutants as survivors).
const setUp = () =>
  beforeAll(async () => {
    if (h) return;
    h = await startHarness({ clock: () => now });
    apiId = await h.createApi('verify-edges');
  });
afterAll(() => h?.stop());

describe('rate limits of a key and of its identity', () => {
  setUp();
  it('an identity’s limit is shared by its keys; a key’s own limit of the same name replaces it', async () => {
    const identity = await h.call('identities.createIdentity', {
      externalId: 'edges-shared',
      meta: { plan: 'pro' },
      ratelimits: [
        { name: 'shared', limit: 3, duration: 60_000, autoApply: true },
        { name: 'mine', limit: 1, duration: 60_000, autoApply: true },
      ],
    });
    expect(identity.status).toBe(200);
    const first = await h.createKey(apiId, { externalId: 'edges-shared' });
    const second = await h.createKey(apiId, {
      externalId: 'edges-shared',
      ratelimits: [{ name: 'mine', limit: 5, duration: 60_000, autoApply: true }],
    });
    const a = await h.verify({ key: first.key });
    expect(a.identity).toEqual({
      id: identity.body.data.identityId,
      externalId: 'edges-shared',
      meta: { plan: 'pro' },
      ratelimits: expect.arrayContaining([
        expect.objectContaining({ name: 'shared', limit: 3, duration: 60_000, autoApply: true }),
        expect.objectContaining({ name: 'mine', limit: 1 }),
      ]),
    });
    expect(a.identity.ratelimits).toHaveLength(2);
    const remaining = (answer: { ratelimits: { name: string; remaining: number; limit: number }[] }) =>
      Object.fromEntries(answer.ratelimits.map((limit) => [limit.name, [limit.remaining, limit.limit]]));
    expect(remaining(a)).toEqual({ shared: [2, 3], mine: [0, 1] });
    // The second key spends the same identity bucket for `shared`, and its own `mine` (5 per window).
    const b = await h.verify({ key: second.key });
    expect(b.valid).toBe(true);
    expect(remaining(b)).toEqual({ shared: [1, 3], mine: [4, 5] });
    expect((await h.verify({ key: first.key })).code).toBe('RATE_LIMITED');
  });

  it('a stored limit overridden by limit and duration keeps its id and bucket; cost defaults to 1', async () => {
    const { key } = await h.createKey(apiId, { ratelimits: [{ name: 'calls', limit: 10, duration: 60_000 }] });
    const stored = await h.verify({ key, ratelimits: [{ name: 'calls' }] });
    expect(stored.ratelimits).toEqual([
      {
        id: expect.stringMatching(/^rl_/),
        name: 'calls',
        limit: 10,
        duration: 60_000,
        reset: expect.any(Number),
        remaining: 9,
        exceeded: false,
        autoApply: false,
      },
    ]);
    const overridden = await h.verify({ key, ratelimits: [{ name: 'calls', limit: 2, duration: 60_000 }] });
    expect(overridden.ratelimits[0]).toMatchObject({ id: stored.ratelimits[0].id, limit: 2, remaining: 0 });
    expect((await h.verify({ key, ratelimits: [{ name: 'calls', limit: 2, duration: 60_000 }] })).code).toBe(
      'RATE_LIMITED',
    );
    expect((await h.verify({ key, ratelimits: [{ name: 'calls' }] })).ratelimits[0].remaining).toBe(7);
  });

  it('reset is the window’s start plus its duration, on the server’s clock', async () => {
    const { key } = await h.createKey(apiId, {
      ratelimits: [{ name: 'windowed', limit: 5, duration: 10_000, autoApply: true }],
    });
    const answer = await h.verify({ key });
    const reset: number = answer.ratelimits[0].reset;
    expect(reset).toBeGreaterThan(now);
    expect(reset).toBeLessThanOrEqual(now + 10_000);
    now = reset;
    expect((await h.verify({ key })).ratelimits[0]).toMatchObject({ remaining: 4, reset: reset + 10_000 });
  });

  it('a one-off limit counts per key: another key has its own', async () => {
    const one = await h.createKey(apiId);
    const other = await h.createKey(apiId);
    const oneOff = { ratelimits: [{ name: 'adhoc', limit: 1, duration: 60_000, cost: 1 }] };
    expect((await h.verify({ key: one.key, ...oneOff })).valid).toBe(true);
    expect((await h.verify({ key: other.key, ...oneOff })).valid).toBe(true);
    expect((await h.verify({ key: one.key, ...oneOff })).code).toBe('RATE_LIMITED');
  });

  it('limit without duration (or the reverse) is a 400 naming the entry, with its fix', async () => {
    const { key } = await h.createKey(apiId);
    const answer = await h.call('keys.verifyKey', {
      key,
      ratelimits: [{ name: 'fine' }, { name: 'half', duration: 60_000 }, { name: 'other', limit: 1 }],
    });
    expect(answer.status).toBe(400);
    expect(answer.body.error.errors).toEqual([
      {
        location: 'body.ratelimits[1]',
        message: 'limit and duration go together',
        fix: 'send both limit and duration, or neither',
      },
      {
        location: 'body.ratelimits[2]',
        message: 'limit and duration go together',
        fix: 'send both limit and duration, or neither',
      },
    ]);
  });
});

describe('what a verification answers and touches', () => {
  setUp();
  it('USAGE_EXCEEDED keeps the credits and carries the limits it spent; the exact remaining credits pass', async () => {
    const { key } = await h.createKey(apiId, {
      credits: { remaining: 2 },
      ratelimits: [{ name: 'plenty', limit: 100, duration: 60_000, autoApply: true }],
    });
    expect(await h.verify({ key, credits: { cost: 2 } })).toMatchObject({ valid: true, credits: 0 });
    const exceeded = await h.verify({ key });
    expect(exceeded).toMatchObject({
      valid: false,
      code: 'USAGE_EXCEEDED',
      credits: 0,
      ratelimits: [{ name: 'plenty', remaining: 98 }],
    });
  });

  it('answers roles and the permissions they bring', async () => {
    await h.call('permissions.createPermission', { name: 'edges.read', slug: 'edges.read' });
    await h.call('permissions.createRole', { name: 'edges-reader', permissions: ['edges.read'] });
    const { key } = await h.createKey(apiId, { roles: ['edges-reader'] });
    const answer = await h.verify({ key, permissions: 'edges.read' });
    expect(answer).toMatchObject({ valid: true, roles: ['edges-reader'], permissions: ['edges.read'] });
  });

  it('lastUsedAt moves once the key passed its own checks, not for a key refused before', async () => {
    const { key, keyId } = await h.createKey(apiId, { permissions: ['p'] });
    const lastUsed = async () => (await h.call('keys.getKey', { keyId })).body.data.lastUsedAt;
    now += 1_000;
    await h.verify({ key, permissions: 'q' });
    expect(await lastUsed()).toBeUndefined();
    await h.verify({ key, permissions: 'p' });
    expect(await lastUsed()).toBe(now);
  });

  it('a permission query that does not parse is a 400 at body.permissions, never echoing the key', async () => {
    const { key } = await h.createKey(apiId);
    const answer = await h.call('keys.verifyKey', { key, permissions: 'a AND' });
    expect(answer.status).toBe(400);
    expect(answer.body.error.detail).toMatch(/^The permissions query is invalid: /);
    expect(answer.body.error.errors).toEqual([
      {
        location: 'body.permissions',
        message: expect.any(String),
        fix: 'use permission names joined by AND / OR, with parentheses',
      },
    ]);
    expect(JSON.stringify(answer.body)).not.toContain(key);
  });
});

describe('credit refills at verification', () => {
  setUp();
  it('monthly on a day past the month’s end: the last day, and across the year’s end', async () => {
    now = Date.UTC(2026, 0, 31, 12);
    const { key } = await h.createKey(apiId, {
      credits: { remaining: 1, refill: { interval: 'monthly', amount: 5, refillDay: 31 } },
    });
    expect((await h.verify({ key })).credits).toBe(0);
    now = Date.UTC(2026, 1, 27, 23);
    expect((await h.verify({ key })).code).toBe('USAGE_EXCEEDED');
    now = Date.UTC(2026, 1, 28);
    expect((await h.verify({ key })).credits).toBe(4);
    now = Date.UTC(2026, 2, 30);
    expect((await h.verify({ key })).credits).toBe(3);
    now = Date.UTC(2026, 2, 31);
    expect((await h.verify({ key })).credits).toBe(4);
  });

  it('monthly in January refills from December’s moment, not again before the 10th', async () => {
    now = Date.UTC(2027, 0, 5);
    const { key } = await h.createKey(apiId, {
      credits: { remaining: 3, refill: { interval: 'monthly', amount: 9, refillDay: 10 } },
    });
    expect((await h.verify({ key })).credits).toBe(2);
    now = Date.UTC(2027, 0, 9, 23, 59);
    expect((await h.verify({ key })).credits).toBe(1);
    now = Date.UTC(2027, 0, 10);
    expect((await h.verify({ key })).credits).toBe(8);
  });

  it('daily at UTC midnight, without refillDay on the 1st for monthly', async () => {
    now = Date.UTC(2027, 5, 1, 23, 59);
    const daily = await h.createKey(apiId, { credits: { remaining: 1, refill: { interval: 'daily', amount: 2 } } });
    const monthly = await h.createKey(apiId, {
      credits: { remaining: 1, refill: { interval: 'monthly', amount: 2 } },
    });
    expect((await h.verify({ key: daily.key })).credits).toBe(0);
    expect((await h.verify({ key: monthly.key })).credits).toBe(0);
    now = Date.UTC(2027, 5, 2);
    expect((await h.verify({ key: daily.key })).credits).toBe(1);
    expect((await h.verify({ key: monthly.key })).code).toBe('USAGE_EXCEEDED');
    now = Date.UTC(2027, 6, 1);
    expect((await h.verify({ key: monthly.key })).credits).toBe(1);
  });
});
describe('the other answers of verification and key reading', () => {
  setUp();
  it('two identities’ limits of the same name count apart', async () => {
    for (const externalId of ['edges-apart-1', 'edges-apart-2'])
      await h.call('identities.createIdentity', {
        externalId,
        ratelimits: [{ name: 'per-identity', limit: 1, duration: 60_000, autoApply: true }],
      });
    const one = await h.createKey(apiId, { externalId: 'edges-apart-1' });
    const two = await h.createKey(apiId, { externalId: 'edges-apart-2' });
    expect((await h.verify({ key: one.key })).valid).toBe(true);
    expect((await h.verify({ key: two.key })).valid).toBe(true);
    expect((await h.verify({ key: one.key })).code).toBe('RATE_LIMITED');
  });

  it('a one-off limit is not auto-applied; an unknown name is a 412 naming it', async () => {
    const { key } = await h.createKey(apiId);
    const oneOff = await h.verify({ key, ratelimits: [{ name: 'adhoc-auto', limit: 5, duration: 60_000 }] });
    expect(oneOff.ratelimits[0]).toMatchObject({ id: '', autoApply: false });
    const unknown = await h.call('keys.verifyKey', { key, ratelimits: [{ name: 'undefined-limit' }] });
    expect(unknown.status).toBe(412);
    expect(unknown.body.error).toMatchObject({
      detail:
        'The rate limit "undefined-limit" is not defined on this key or its identity; define it, or send limit and duration for a one-off limit.',
      type: expect.stringMatching(/\/data\/ratelimit_not_found$/),
    });
  });

  it('a key without name, update or identity answers none of them, not null', async () => {
    const { keyId } = await h.createKey(apiId);
    const data = (await h.call('keys.getKey', { keyId })).body.data;
    for (const field of ['name', 'updatedAt', 'identity', 'meta', 'expires', 'credits', 'plaintext'])
      expect(data, field).not.toHaveProperty(field);
  });

  it('an unknown key id or role is a 404 with its type and detail', async () => {
    const key = await h.call('keys.getKey', { keyId: 'key_unknown_edges' });
    expect(key.status).toBe(404);
    expect(key.body.error).toMatchObject({
      detail: 'The key does not exist or was deleted.',
      type: expect.stringMatching(/\/data\/key_not_found$/),
    });
    const role = await h.call('keys.createKey', { apiId, roles: ['no-such-role'] });
    expect(role.status).toBe(404);
    expect(role.body.error.detail).toBe(
      'The role "no-such-role" does not exist; create it with permissions.createRole first.',
    );
  });

  it('names each credits and rate-limit problem of createKey where it is, with its fix', async () => {
    const noRemaining = await h.call('keys.createKey', {
      apiId,
      credits: { remaining: null, refill: { interval: 'daily', amount: 1, refillDay: 3 } },
    });
    expect(noRemaining.status).toBe(400);
    expect(noRemaining.body.error.errors).toEqual([
      {
        location: 'body.credits.refill',
        message: 'needs credits.remaining to be a number',
        fix: 'set credits.remaining or drop refill',
      },
      {
        location: 'body.credits.refill.refillDay',
        message: 'is only allowed with interval "monthly"',
        fix: 'remove refillDay',
      },
    ]);
    const twice = await h.call('keys.createKey', {
      apiId,
      ratelimits: [
        { name: 'same', limit: 1, duration: 60_000 },
        { name: 'same', limit: 2, duration: 60_000 },
      ],
    });
    expect(twice.status).toBe(400);
    expect(twice.body.error.errors).toEqual([
      { location: 'body.ratelimits[1].name', message: 'duplicate rate limit name "same"' },
    ]);
  });
});
