import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createRateLimiter,
  type RateLimitBackend,
  type RateLimitCall,
  type RateLimiter,
  type RateLimitOutcome,
} from '@keyguard/core';
import { createKeyServer, type KeyServer } from '@keyguard/server';
import { UnkeyClient, unkeyRateLimitBackend } from '@keyguard/unkey';
import { registerSecret } from '../../../test/support/secrets.js';

// keyguard's rate limiter on the Unkey backend against the local key service (real server, real HTTP): one limiter
// admits exactly its limit, strict or batched, and after close() the service has counted exactly what it admitted.
// Counted in admissions, never in time.
let server: KeyServer;
let client: UnkeyClient;
let serial = 0;

beforeAll(async () => {
  server = createKeyServer();
  const rootKey = server.bootstrap().rootKey as string;
  registerSecret(rootKey);
  const { url } = await server.start();
  client = new UnkeyClient({ rootKey, baseUrl: url, retry: false });
});
afterAll(async () => {
  await client.close();
  await server.stop();
});

/** The Unkey backend on the test's client, remembering the calls it was asked (to read the same counter after). */
function recordedBackend(): { backend: RateLimitBackend; calls: RateLimitCall[] } {
  const inner = unkeyRateLimitBackend({ client });
  const calls: RateLimitCall[] = [];
  const backend: RateLimitBackend = {
    kind: inner.kind,
    batching: inner.batching,
    limit(call, signal) {
      calls.push(call);
      return inner.limit(call, signal);
    },
  };
  return { backend, calls };
}

/** What the service counted for the call's counter: a read (cost 0) under a limit far above any count. */
async function counted(backend: RateLimitBackend, call: RateLimitCall): Promise<number> {
  const huge = 1_000_000_000;
  const { remaining } = await backend.limit({ ...call, limit: huge, cost: 0 });
  return huge - remaining;
}

/** `requests` checks of one client address, all started at once; how many were allowed. */
async function flood(limiter: RateLimiter, requests: number, ip: string): Promise<number> {
  const outcomes: Promise<RateLimitOutcome>[] = [];
  for (let i = 0; i < requests; i++) outcomes.push(Promise.resolve(limiter.check({ headers: {}, ip })));
  return (await Promise.all(outcomes)).filter((outcome) => outcome.allowed).length;
}

describe('rate limiting on Unkey (the local key service): exactness', () => {
  for (const mode of ['strict', 'batched'] as const) {
    it(`${mode}: 300 requests at limit 100 admit exactly 100, and the service counts exactly those`, async () => {
      const { backend, calls } = recordedBackend();
      const limiter = createRateLimiter({ backend, namespace: `exact.${mode}`, limit: 100, duration: '1h', mode });
      const admitted = await flood(limiter, 300, `198.51.100.${++serial}`);
      await limiter.close();
      expect(admitted).toBe(100);
      expect(await counted(backend, calls[0]!)).toBe(100);
      if (mode === 'batched') expect(calls.length).toBeLessThan(300);
    });

    it(`${mode}: arriving in waves (some answered from memory between), still exactly the limit`, async () => {
      const { backend, calls } = recordedBackend();
      const limiter = createRateLimiter({ backend, namespace: `waves.${mode}`, limit: 50, duration: '1h', mode });
      const ip = `198.51.100.${++serial}`;
      let admitted = 0;
      for (let wave = 0; wave < 10; wave++) admitted += await flood(limiter, 13, ip);
      await limiter.close();
      expect(admitted).toBe(50);
      expect(await counted(backend, calls[0]!)).toBe(50);
    });
  }
});
