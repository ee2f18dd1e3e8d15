import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKeyServer, type KeyServer } from '@keyguard/server';
import type { RateLimitCall } from '@keyguard/core';
import { UnkeyApiError, UnkeyClient, unkeyRateLimitBackend } from '@keyguard/unkey';
import { registerSecret } from '../../../test/support/secrets.js';

// The Unkey rate-limit backend against keyguard's local key service (real server, real HTTP): Unkey's
// `ratelimit.limit` answers, costs and reads, an override with a wildcard, and an unreachable or refusing service.
let server: KeyServer;
let url: string;
let rootKey: string;
let client: UnkeyClient;
let serial = 0;

beforeAll(async () => {
  server = createKeyServer();
  rootKey = server.bootstrap().rootKey as string;
  registerSecret(rootKey);
  ({ url } = await server.start());
  client = new UnkeyClient({ rootKey, baseUrl: url, retry: false });
});
afterAll(async () => {
  await client.close();
  await server.stop();
});

/** A call of its own identifier, so tests never share a count. */
function call(overrides: Partial<RateLimitCall> = {}): RateLimitCall {
  serial += 1;
  return { namespace: 'api.requests', identifier: `org_${serial}`, limit: 3, duration: 60_000, cost: 1, ...overrides };
}

describe('unkeyRateLimitBackend()', () => {
  it("counts as Unkey's ratelimit.limit: the limit's admissions, then denials, one reset for all", async () => {
    const backend = unkeyRateLimitBackend({ rootKey, baseUrl: url });
    try {
      expect(backend).toMatchObject({ kind: 'unkey', batching: true });
      const one = call();
      const answers = [];
      for (let i = 0; i < 5; i++) answers.push(await backend.limit(one));
      expect(answers.map((each) => each.success)).toEqual([true, true, true, false, false]);
      expect(answers.map((each) => each.remaining)).toEqual([2, 1, 0, 0, 0]);
      expect(new Set(answers.map((each) => each.reset)).size).toBe(1);
      expect(answers[0]).not.toHaveProperty('overrideId');
      expect(inspect(backend)).not.toContain(rootKey);
    } finally {
      await backend.close?.();
    }
  });

  it('a cost spends all of itself or nothing; cost 0 reads, and says when nothing is left', async () => {
    const backend = unkeyRateLimitBackend({ client });
    expect(backend.close).toBeUndefined();
    const base = call({ limit: 5 });
    expect(await backend.limit({ ...base, cost: 3 })).toMatchObject({ success: true, remaining: 2 });
    expect(await backend.limit({ ...base, cost: 3 })).toMatchObject({ success: false, remaining: 0 });
    expect(await backend.limit({ ...base, cost: 0 })).toMatchObject({ success: true, remaining: 2 });
    expect(await backend.limit({ ...base, cost: 2 })).toMatchObject({ success: true, remaining: 0 });
    // Unkey itself answers success to this read; the backend answers as the contract reads it.
    const read = await client.ratelimit.limit({ ...base, cost: 0 });
    expect(read.data).toMatchObject({ success: true, remaining: 0 });
    expect(await backend.limit({ ...base, cost: 0 })).toMatchObject({ success: false, remaining: 0 });
  });

  it('an override with a wildcard changes the limit the backend answers, for the identifiers it matches', async () => {
    const backend = unkeyRateLimitBackend({ client });
    const namespace = 'overridden';
    await backend.limit(call({ namespace, identifier: 'org_0' }));
    const { overrideId } = (
      await client.ratelimit.setOverride({ namespace, identifier: 'user_*', limit: 1, duration: 60_000 })
    ).data;
    const user = call({ namespace, identifier: 'user_42', limit: 10 });
    expect(await backend.limit(user)).toMatchObject({ success: true, limit: 1, remaining: 0, overrideId });
    expect(await backend.limit(user)).toMatchObject({ success: false, limit: 1, overrideId });
    const other = await backend.limit(call({ namespace, identifier: 'org_42', limit: 10 }));
    expect(other).toMatchObject({ success: true, limit: 10, remaining: 9 });
    expect(other).not.toHaveProperty('overrideId');
  });

  it('an unreachable service: the call rejects with UNKEY_CONNECTION_FAILED, never naming the root key', async () => {
    const stopped = createKeyServer();
    const { url: gone } = await stopped.start();
    await stopped.stop();
    const backend = unkeyRateLimitBackend({ rootKey, baseUrl: gone, timeoutMs: 15_000 });
    try {
      const failure = await backend.limit(call()).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(UnkeyApiError);
      expect((failure as UnkeyApiError).code).toBe('UNKEY_CONNECTION_FAILED');
      expect(inspect(failure)).not.toContain(rootKey);
    } finally {
      await backend.close?.();
    }
  });

  it('a root key without ratelimit permissions: UNKEY_FORBIDDEN; an unknown one: UNKEY_UNAUTHORIZED', async () => {
    const narrow = server.createRootKey(['api.*.verify_key']);
    registerSecret(narrow);
    const forbidden = unkeyRateLimitBackend({ rootKey: narrow, baseUrl: url });
    const unknown = unkeyRateLimitBackend({ rootKey: 'unkey_root_not_a_real_one_1234', baseUrl: url });
    registerSecret('unkey_root_not_a_real_one_1234');
    try {
      await expect(forbidden.limit(call())).rejects.toMatchObject({ code: 'UNKEY_FORBIDDEN' });
      await expect(unknown.limit(call())).rejects.toMatchObject({ code: 'UNKEY_UNAUTHORIZED' });
    } finally {
      await forbidden.close?.();
      await unknown.close?.();
    }
  });

  it('an aborted signal ends the wait with its reason', async () => {
    const backend = unkeyRateLimitBackend({ client });
    const aborted = new AbortController();
    aborted.abort(new Error('the limiter stopped waiting'));
    await expect(backend.limit(call(), aborted.signal)).rejects.toThrow('the limiter stopped waiting');
    const later = new AbortController();
    const pending = backend.limit(call(), later.signal);
    later.abort(new Error('stopped meanwhile'));
    await expect(pending).rejects.toThrow('stopped meanwhile');
  });
});
