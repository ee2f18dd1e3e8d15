import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './helpers.js';

let h: Harness;
let apiId: string;
beforeAll(async () => {
  h = await startHarness();
  apiId = await h.createApi('verify-api');
});
afterAll(() => h.stop());

describe('keys.verifyKey answers', () => {
  it('VALID with the documented fields', async () => {
    const expires = Date.now() + 3_600_000;
    const { key, keyId } = await h.createKey(apiId, {
      name: 'n',
      meta: { m: 1 },
      expires,
      externalId: 'vu',
      permissions: ['p'],
      credits: { remaining: 3 },
    });
    const data = await h.verify({ key, tags: ['path=/x'], migrationId: 'm1' });
    expect(data).toEqual({
      valid: true,
      code: 'VALID',
      keyId,
      name: 'n',
      meta: { m: 1 },
      expires,
      credits: 2,
      enabled: true,
      permissions: ['p'],
      identity: { id: expect.stringMatching(/^id_/), externalId: 'vu' },
    });
  });

  it('omits permissions, roles, credits, ratelimits when empty or unlimited', async () => {
    const { key } = await h.createKey(apiId);
    const data = await h.verify({ key });
    expect(Object.keys(data).sort()).toEqual(['code', 'enabled', 'keyId', 'valid']);
  });

  it('early NOT_FOUND carries only valid and code', async () => {
    expect(await h.verify({ key: 'sk_nothing_like_it' })).toEqual({ valid: false, code: 'NOT_FOUND' });
  });

  it('checks codes in order: FORBIDDEN, DISABLED, EXPIRED, INSUFFICIENT_PERMISSIONS, RATE_LIMITED, USAGE_EXCEEDED', async () => {
    const worst = await h.createKey(apiId, {
      enabled: false,
      expires: Date.now() - 1000,
      credits: { remaining: 0 },
      ratelimits: [{ name: 'tight', limit: 1, duration: 60_000, autoApply: true }],
    });
    h.server.setWorkspaceEnabled(false);
    expect((await h.verify({ key: worst.key })).code).toBe('FORBIDDEN');
    h.server.setWorkspaceEnabled(true);
    expect((await h.verify({ key: worst.key })).code).toBe('DISABLED');
    await h.call('keys.updateKey', { keyId: worst.keyId, enabled: true });
    expect((await h.verify({ key: worst.key, permissions: 'nope' })).code).toBe('EXPIRED');
    await h.call('keys.updateKey', { keyId: worst.keyId, expires: null });
    expect((await h.verify({ key: worst.key, permissions: 'nope' })).code).toBe('INSUFFICIENT_PERMISSIONS');
    // first verification spends the single token, then is refused for credits; the next is rate limited
    expect((await h.verify({ key: worst.key })).code).toBe('USAGE_EXCEEDED');
    const limited = await h.verify({ key: worst.key });
    expect(limited.code).toBe('RATE_LIMITED');
    expect(limited.credits).toBe(0);
  });

  it('evaluates permission queries with AND/OR/parentheses; a syntax error is HTTP 400', async () => {
    const { key } = await h.createKey(apiId, { permissions: ['a', 'b', 'ANDROID.read'] });
    expect((await h.verify({ key, permissions: 'a AND b' })).valid).toBe(true);
    expect((await h.verify({ key, permissions: 'a AND c' })).code).toBe('INSUFFICIENT_PERMISSIONS');
    expect((await h.verify({ key, permissions: 'c OR (a and b)' })).valid).toBe(true);
    expect((await h.verify({ key, permissions: 'ANDROID.read' })).valid).toBe(true);
    expect((await h.verify({ key, permissions: 'a.*' })).valid).toBe(false);
    for (const query of ['a AND', '(a', '()', 'OR a', 'a b', 'a $ b']) {
      const answer = await h.call('keys.verifyKey', { key, permissions: query });
      expect(answer.status, query).toBe(400);
      expect(answer.body.error.type.endsWith('permissions_query_syntax_error')).toBe(true);
      expect(JSON.stringify(answer.body)).not.toContain(key);
    }
    expect((await h.call('keys.verifyKey', { key, permissions: '' })).status).toBe(400);
  });

  it('validates the request: no apiId in v2, tags bounds, cost bounds', async () => {
    const { key } = await h.createKey(apiId);
    expect((await h.call('keys.verifyKey', { key, apiId })).status).toBe(400);
    expect((await h.call('keys.verifyKey', { key: '' })).status).toBe(400);
    expect((await h.call('keys.verifyKey', { key: 'x'.repeat(513) })).status).toBe(400);
    expect((await h.call('keys.verifyKey', { key, tags: Array(21).fill('t') })).status).toBe(400);
    expect((await h.call('keys.verifyKey', { key, credits: {} })).status).toBe(400);
    expect((await h.call('keys.verifyKey', { key, credits: { cost: -1 } })).status).toBe(400);
    expect((await h.call('keys.verifyKey', { key, ratelimits: [{ name: 'abc', limit: 1 }] })).status).toBe(400);
  });
});

describe('expiry boundary (the server clock is controlled)', () => {
  it('a key is EXPIRED from the millisecond of its expires on: VALID one ms before, EXPIRED at and one ms after', async () => {
    let now = Date.UTC(2026, 0, 1);
    const clocked = await startHarness({ clock: () => now });
    const api = await clocked.createApi('expiry-boundary');
    const expires = now + 60_000;
    const { key } = await clocked.createKey(api, { expires });
    const at = async (time: number) => {
      now = time;
      return clocked.verify({ key });
    };
    expect(await at(expires - 1)).toMatchObject({ valid: true, code: 'VALID', expires });
    expect(await at(expires)).toMatchObject({ valid: false, code: 'EXPIRED', expires });
    expect(await at(expires + 1)).toMatchObject({ valid: false, code: 'EXPIRED', expires });
    await clocked.stop();
  });
});

describe('credits', () => {
  it('spends credits.cost, and only when everything else passed', async () => {
    const { key } = await h.createKey(apiId, { credits: { remaining: 10 }, permissions: ['x'] });
    expect((await h.verify({ key, credits: { cost: 4 } })).credits).toBe(6);
    expect((await h.verify({ key, permissions: 'y' })).credits).toBe(6);
    expect((await h.verify({ key, credits: { cost: 7 } })).code).toBe('USAGE_EXCEEDED');
    expect((await h.verify({ key, credits: { cost: 0 } })).credits).toBe(6);
    expect((await h.verify({ key, credits: { cost: 6 } })).credits).toBe(0);
    expect(await h.verify({ key, credits: { cost: 0 } })).toMatchObject({ valid: true, code: 'VALID', credits: 0 });
  });

  it('100 concurrent verifications of a key with 10 credits: exactly 10 VALID', async () => {
    const { key, keyId } = await h.createKey(apiId, { credits: { remaining: 10 } });
    const answers = await Promise.all(Array.from({ length: 100 }, () => h.verify({ key })));
    expect(answers.filter((answer) => answer.code === 'VALID')).toHaveLength(10);
    expect(answers.filter((answer) => answer.code === 'USAGE_EXCEEDED')).toHaveLength(90);
    expect((await h.call('keys.getKey', { keyId })).body.data.credits.remaining).toBe(0);
  });
});

describe('rate limits', () => {
  it('a limit of N per window admits exactly N under concurrency, with reset as unix ms', async () => {
    const before = Date.now();
    const { key } = await h.createKey(apiId, {
      ratelimits: [{ name: 'requests', limit: 7, duration: 60_000, autoApply: true }],
    });
    const answers = await Promise.all(Array.from({ length: 50 }, () => h.verify({ key })));
    expect(answers.filter((answer) => answer.valid)).toHaveLength(7);
    const limited = answers.find((answer) => answer.code === 'RATE_LIMITED');
    expect(limited.ratelimits).toEqual([
      {
        id: expect.stringMatching(/^rl_/),
        name: 'requests',
        limit: 7,
        duration: 60_000,
        reset: expect.any(Number),
        remaining: 0,
        exceeded: true,
        autoApply: true,
      },
    ]);
    expect(limited.ratelimits[0].reset).toBeGreaterThanOrEqual(before + 60_000);
  });

  it('checks named limits (cost, override) and one-off limits with id ""; 412 for an unknown name', async () => {
    const { key } = await h.createKey(apiId, { ratelimits: [{ name: 'tokens', limit: 10, duration: 60_000 }] });
    const plain = await h.verify({ key });
    expect(plain).not.toHaveProperty('ratelimits');
    const spend = await h.verify({ key, ratelimits: [{ name: 'tokens', cost: 4 }] });
    expect(spend.ratelimits[0]).toMatchObject({ name: 'tokens', remaining: 6, exceeded: false, autoApply: false });
    expect((await h.verify({ key, ratelimits: [{ name: 'tokens', cost: 7 }] })).code).toBe('RATE_LIMITED');
    const oneOff = await h.verify({ key, ratelimits: [{ name: 'burst', limit: 1, duration: 1000 }] });
    expect(oneOff.ratelimits[0]).toMatchObject({ id: '', name: 'burst', limit: 1, remaining: 0, exceeded: false });
    expect((await h.verify({ key, ratelimits: [{ name: 'burst', limit: 1, duration: 1000 }] })).code).toBe(
      'RATE_LIMITED',
    );
    const unknown = await h.call('keys.verifyKey', { key, ratelimits: [{ name: 'unknown' }] });
    expect(unknown.status).toBe(412);
    expect(unknown.body.error).toMatchObject({ status: 412, title: 'Precondition Failed' });
  });

  it('spends every limit or none: when one is exceeded, the others keep their tokens', async () => {
    const { key } = await h.createKey(apiId, {
      ratelimits: [
        { name: 'small', limit: 1, duration: 60_000, autoApply: true },
        { name: 'large', limit: 100, duration: 60_000, autoApply: true },
      ],
    });
    await h.verify({ key });
    const second = await h.verify({ key });
    expect(second.code).toBe('RATE_LIMITED');
    const byName = Object.fromEntries(second.ratelimits.map((limit: { name: string }) => [limit.name, limit]));
    expect(byName.small).toMatchObject({ exceeded: true, remaining: 0 });
    expect(byName.large).toMatchObject({ exceeded: false, remaining: 99 });
    const peek = await h.verify({
      key,
      ratelimits: [
        { name: 'small', cost: 0 },
        { name: 'large', cost: 0 },
      ],
    });
    expect(
      Object.fromEntries(
        peek.ratelimits.map((limit: { name: string; remaining: number }) => [limit.name, limit.remaining]),
      ),
    ).toEqual({ small: 0, large: 99 });
  });

  it('naming an auto-applied limit replaces its automatic cost-1 check (a batch of n spends n, not n + 1)', async () => {
    const { key } = await h.createKey(apiId, {
      ratelimits: [{ name: 'requests', limit: 100, duration: 60_000, autoApply: true }],
    });
    const batch = await h.verify({ key, ratelimits: [{ name: 'requests', cost: 25 }] });
    expect(batch.ratelimits).toHaveLength(1);
    expect(batch.ratelimits[0]).toMatchObject({ name: 'requests', remaining: 75, exceeded: false });
    const twice = await h.verify({
      key,
      ratelimits: [
        { name: 'requests', cost: 5 },
        { name: 'requests', cost: 10 },
      ],
    });
    expect(twice.ratelimits).toHaveLength(1);
    expect(twice.ratelimits[0].remaining).toBe(65);
    expect((await h.verify({ key })).ratelimits[0].remaining).toBe(64);
  });

  it('cost 0 peeks: it spends nothing and passes while a limit is exactly used up', async () => {
    const { key } = await h.createKey(apiId, {
      ratelimits: [{ name: 'requests', limit: 2, duration: 60_000, autoApply: true }],
    });
    const peek = () => h.verify({ key, ratelimits: [{ name: 'requests', cost: 0 }] });
    expect(await peek()).toMatchObject({ valid: true, ratelimits: [{ remaining: 2, exceeded: false }] });
    await h.verify({ key });
    await h.verify({ key });
    expect(await peek()).toMatchObject({ valid: true, ratelimits: [{ remaining: 0, exceeded: false }] });
    expect(await h.verify({ key })).toMatchObject({
      code: 'RATE_LIMITED',
      ratelimits: [{ remaining: 0, exceeded: true }],
    });
  });

  it('a batch that does not fit spends nothing and answers remaining 0', async () => {
    const { key } = await h.createKey(apiId, {
      credits: { remaining: 50 },
      ratelimits: [{ name: 'requests', limit: 10, duration: 60_000, autoApply: true }],
    });
    expect(await h.verify({ key, credits: { cost: 8 }, ratelimits: [{ name: 'requests', cost: 8 }] })).toMatchObject({
      valid: true,
      credits: 42,
    });
    const over = await h.verify({ key, credits: { cost: 3 }, ratelimits: [{ name: 'requests', cost: 3 }] });
    expect(over).toMatchObject({ code: 'RATE_LIMITED', credits: 42, ratelimits: [{ remaining: 0, exceeded: true }] });
    expect(await h.verify({ key, credits: { cost: 2 }, ratelimits: [{ name: 'requests', cost: 2 }] })).toMatchObject({
      valid: true,
      credits: 40,
      ratelimits: [{ remaining: 0 }],
    });
  });

  it('rate limited verifications spend no credits', async () => {
    const { key } = await h.createKey(apiId, {
      credits: { remaining: 5 },
      ratelimits: [{ name: 'one', limit: 1, duration: 60_000, autoApply: true }],
    });
    expect((await h.verify({ key })).credits).toBe(4);
    const limited = await h.verify({ key });
    expect(limited.code).toBe('RATE_LIMITED');
    expect(limited.credits).toBe(4);
  });
});

describe('ratelimit.limit', () => {
  it('admits exactly limit per window per identifier', async () => {
    const call = (identifier: string, cost?: number) =>
      h.call('ratelimit.limit', {
        namespace: 'email',
        identifier,
        limit: 3,
        duration: 60_000,
        ...(cost !== undefined ? { cost } : {}),
      });
    const answers = await Promise.all(Array.from({ length: 10 }, () => call('user_1')));
    expect(answers.filter((answer) => answer.body.data.success)).toHaveLength(3);
    expect(answers[0]?.body.data).toEqual({
      limit: 3,
      remaining: expect.any(Number),
      reset: expect.any(Number),
      success: expect.any(Boolean),
    });
    expect((await call('user_2', 3)).body.data).toMatchObject({ success: true, remaining: 0 });
    expect((await call('user_2', 0)).body.data.success).toBe(true);
    expect(
      (await h.call('ratelimit.limit', { namespace: 'email', identifier: 'x', limit: 3, duration: 999 })).status,
    ).toBe(400);
  });
});
