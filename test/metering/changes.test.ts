import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Verification, Verifier } from '@keyguard/core';
import { UnkeyClient } from '@keyguard/unkey';
import { load, startMeteringService, type MeteringService } from './local-service.js';

// Batched metering while the key changes upstream: revoked, limits lowered, raised or deleted, windows that reset,
// limits shared by an identity's keys, a key that stops being metered.
let service: MeteringService;

beforeAll(async () => {
  // Both the verifier and the service read this clock, so a test can move time for both.
  service = await startMeteringService({ clock: () => Date.now() });
});
afterAll(async () => {
  await service.stop();
});
afterEach(() => {
  vi.useRealTimers();
});

/** Waits until every admission so far has been settled (the settlements' answers are in). */
async function allSettled(verifier: Verifier): Promise<void> {
  await vi.waitFor(() => expect(verifier.stats().metering.unsettled).toBe(0));
}

/** Sends requests one by one until `stop` says so (at most `max`), and answers them. */
async function sendUntil(
  verifier: Verifier,
  key: string,
  max: number,
  stop: (answer: Verification) => boolean,
): Promise<Verification[]> {
  const answers: Verification[] = [];
  for (let index = 0; index < max; index++) {
    const answer = await verifier.verify(key);
    answers.push(answer);
    if (stop(answer)) break;
  }
  return answers;
}

describe('batched metering when the key changes upstream', () => {
  it('a key revoked while batching: the next settlement answer ends admission at once, and what it carried is refused', async () => {
    const { key, keyId } = await service.createKey({ credits: { remaining: 10_000 } });
    const maxBatch = 10;
    const maxUnsettled = 20;
    const verifier = service.verifier({ mode: 'batched', maxBatch, maxDelayMs: 60_000, maxUnsettled });
    const warm = await load(verifier, key, 1 + 2 * maxBatch, 1);
    expect(warm.admitted).toBe(21);
    await allSettled(verifier);
    // Revoked with a client the verifier does not know: only the service can tell it.
    await service.client.keys.deleteKey({ keyId });
    const answers = await sendUntil(verifier, key, 200, () => verifier.stats().metering.refused > 0);
    const admittedAfter = answers.filter((answer) => answer.valid).length;
    expect(admittedAfter).toBeGreaterThan(0);
    // Admitted before that answer came: at most what one instance may hold unconfirmed.
    expect(admittedAfter).toBeLessThanOrEqual(maxUnsettled);
    // From the answer that told of the revocation on, every request is denied, from memory.
    const after = await load(verifier, key, 30, 5);
    expect(after.codes).toEqual({ NOT_FOUND: 30 });
    await verifier.close();
    expect(verifier.stats().metering).toMatchObject({ settled: 20, refused: admittedAfter, unsettled: 0, lost: 0 });
  });

  it('a window that resets: admission stops at the reset, one upstream answer opens the new window, each window admits exactly L', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now());
    const limit = 30;
    const { key } = await service.createKey({
      ratelimits: [{ name: 'requests', limit, duration: 60_000, autoApply: true }],
    });
    const verifier = service.verifier(
      { mode: 'batched', maxBatch: 5, maxDelayMs: 10 },
      { cache: { freshMs: 600_000 } },
    );
    expect((await load(verifier, key, 80, 4)).codes).toEqual({ VALID: limit, RATE_LIMITED: 50 });
    vi.setSystemTime(Date.now() + 61_000);
    const first = await verifier.verify(key);
    expect(first).toMatchObject({ valid: true, source: 'upstream' });
    expect((await load(verifier, key, 79, 4)).codes).toEqual({ VALID: limit - 1, RATE_LIMITED: 50 });
    await verifier.close();
    expect(await service.used(key, ['requests'])).toEqual({ requests: limit });
  });

  it('a limit lowered upstream below what was used: the next settlement answer ends admission with RATE_LIMITED', async () => {
    const { key, keyId } = await service.createKey({
      ratelimits: [{ name: 'requests', limit: 1000, duration: 60_000, autoApply: true }],
    });
    const verifier = service.verifier({ mode: 'batched', maxBatch: 5, maxDelayMs: 10 });
    expect((await load(verifier, key, 50, 1)).admitted).toBe(50);
    await allSettled(verifier);
    await service.client.keys.updateKey({
      keyId,
      ratelimits: [{ name: 'requests', limit: 20, duration: 60_000, autoApply: true }],
    });
    const answers = await sendUntil(verifier, key, 200, (answer) => answer.code === 'RATE_LIMITED');
    expect(answers.at(-1)).toMatchObject({ valid: false, code: 'RATE_LIMITED' });
    expect((await load(verifier, key, 20, 4)).codes).toEqual({ RATE_LIMITED: 20 });
    await verifier.close();
    // What was admitted after the change could not be recorded: the window already held 50 of the new 20.
    const admittedAfter = answers.filter((answer) => answer.valid).length;
    expect(verifier.stats().metering).toMatchObject({ settled: 49, refused: admittedAfter, lost: 0 });
    expect(await service.used(key, ['requests'])).toEqual({ requests: 20 });
  });

  it('a limit raised upstream through a client the verifier listens to: admission from memory resumes with the new limit', async () => {
    const { key, keyId } = await service.createKey({
      ratelimits: [{ name: 'requests', limit: 20, duration: 60_000, autoApply: true }],
    });
    const client = new UnkeyClient({ rootKey: service.rootKey, baseUrl: service.url, retry: false });
    const verifier = service.verifier({ mode: 'batched', maxBatch: 5, maxDelayMs: 10 }, { clients: [client] });
    expect((await load(verifier, key, 40, 4)).codes).toEqual({ VALID: 20, RATE_LIMITED: 20 });
    await client.keys.updateKey({
      keyId,
      ratelimits: [{ name: 'requests', limit: 1000, duration: 60_000, autoApply: true }],
    });
    const callsBefore = verifier.stats().upstreamCalls;
    const raised = await load(verifier, key, 200, 4);
    expect(raised.admitted).toBe(200);
    expect(raised.answers.at(-1)?.ratelimits?.[0]).toMatchObject({ limit: 1000 });
    expect(verifier.stats().upstreamCalls - callsBefore).toBeLessThan(100);
    await verifier.close();
    await client.close();
    expect(await service.used(key, ['requests'])).toEqual({ requests: 220 });
  });

  it('a limit deleted upstream while admissions wait: the refused settlement is sent again without naming limits, then the rest is topped up', async () => {
    const { key, keyId } = await service.createKey({
      credits: { remaining: 1000 },
      ratelimits: [
        { name: 'requests', limit: 1000, duration: 60_000, autoApply: true },
        { name: 'burst', limit: 1000, duration: 60_000, autoApply: true },
      ],
    });
    const verifier = service.verifier({ mode: 'batched', maxBatch: 100, maxDelayMs: 60_000 });
    expect((await load(verifier, key, 31, 1)).admitted).toBe(31);
    await service.client.keys.updateKey({
      keyId,
      ratelimits: [{ name: 'requests', limit: 1000, duration: 60_000, autoApply: true }],
    });
    await verifier.close();
    expect(verifier.stats().metering).toMatchObject({ failedSettlements: 1, settled: 30, lost: 0 });
    expect(await service.creditsLeft(keyId)).toBe(1000 - 31);
    expect(await service.used(key, ['requests'])).toEqual({ requests: 31 });
  });

  it("an identity's limit shared by its keys is counted once: two keys together admit exactly L", async () => {
    const externalId = `team_${Date.now()}`;
    const first = await service.createKey({ externalId });
    const second = await service.createKey({ externalId });
    service.addIdentityLimit(externalId, { name: 'team', limit: 60, duration: 60_000 });
    const verifier = service.verifier({ mode: 'batched', maxBatch: 4, maxDelayMs: 10 });
    const [a, b] = await Promise.all([load(verifier, first.key, 100, 6), load(verifier, second.key, 100, 6)]);
    expect(a.admitted + b.admitted).toBe(60);
    expect(a.admitted).toBeGreaterThan(0);
    expect(b.admitted).toBeGreaterThan(0);
    await verifier.close();
    expect(verifier.stats().metering.refused).toBe(0);
    expect(await service.used(second.key, ['team'])).toEqual({ team: 60 });
  });

  it('a key that stops being metered upstream is then served from the cache like any key', async () => {
    const { key, keyId } = await service.createKey({ credits: { remaining: 1000 } });
    const verifier = service.verifier({ mode: 'batched', maxBatch: 5, maxDelayMs: 10 });
    expect((await load(verifier, key, 20, 1)).admitted).toBe(20);
    await allSettled(verifier);
    await service.client.keys.updateKey({ keyId, credits: null });
    const answers = await sendUntil(
      verifier,
      key,
      100,
      (answer) => answer.source === 'cache' && answer.key?.credits === undefined,
    );
    expect(answers.every((answer) => answer.valid)).toBe(true);
    const callsBefore = verifier.stats().upstreamCalls;
    expect(
      (await load(verifier, key, 50, 5)).answers.every((answer) => answer.valid && answer.source === 'cache'),
    ).toBe(true);
    expect(verifier.stats().upstreamCalls).toBe(callsBefore);
    await verifier.close();
    expect(verifier.stats().metering).toMatchObject({ unsettled: 0, lost: 0, refused: 0 });
  });
});
