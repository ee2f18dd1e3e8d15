import { afterEach, describe, expect, it } from 'vitest';
import type { ProviderAnswer, RateLimitState, VerifiedKey } from '@keyguard/core';
import { BatchedMeter } from '../src/verifier/metering/batched-meter.js';
import type { MeteringHost } from '../src/verifier/metering/calls.js';

// The answer to a request batched metering admits from memory: the key as its latest upstream answer described it,
// with its credits and rate limits as this instance estimates them after the admission (what rate-limit headers show).
const NOW = 1_000_000;
const RESET = NOW + 60_000;
const SETTINGS = { maxBatch: 10, maxDelayMs: 60_000, margin: 10, maxUnsettled: 100 };

const meters: BatchedMeter[] = [];
afterEach(async () => {
  await Promise.all(meters.splice(0).map((metering) => metering.close()));
});

function meteringWith(key: VerifiedKey): BatchedMeter {
  const host: MeteringHost = {
    settle: async () => undefined,
    freshMs: 60_000,
    maxMeters: 100,
    logger: { warn: () => {}, error: () => {} },
  };
  const metering = new BatchedMeter(SETTINGS, host);
  meters.push(metering);
  const answer: ProviderAnswer = { valid: true, code: 'VALID', metered: true, keyId: key.id, key };
  if (key.ratelimits) answer.ratelimits = key.ratelimits;
  metering.answered(metering.open('digest_1'), answer, true, NOW);
  return metering;
}

const upstreamKey: VerifiedKey = {
  id: 'key_1',
  provider: 'test',
  name: 'reports export',
  identity: { id: 'id_1', externalId: 'team_7', meta: { plan: 'pro' } },
  permissions: ['reports.read'],
  roles: ['reader'],
  meta: { region: 'eu' },
  enabled: true,
  expires: NOW + 3_600_000,
};

const teamLimit: RateLimitState = {
  id: 'rl_team',
  name: 'team',
  limit: 50,
  remaining: 40,
  reset: RESET,
  exceeded: false,
  duration: 60_000,
};
const burstLimit: RateLimitState = {
  name: 'burst',
  limit: 100,
  remaining: 90,
  reset: RESET,
  exceeded: false,
  duration: 1_000,
};

describe('a request admitted from memory', () => {
  it('is answered with the key as upstream described it, credits and limits as left after this admission', () => {
    const metering = meteringWith({ ...upstreamKey, credits: 100, ratelimits: [teamLimit, burstLimit] });
    const ratelimits = [
      { ...teamLimit, remaining: 39 },
      { ...burstLimit, remaining: 89 },
    ];
    expect(metering.admit('sk_local_1', 'digest_1', NOW)).toStrictEqual({
      valid: true,
      code: 'VALID',
      source: 'cache',
      key: { ...upstreamKey, credits: 99, ratelimits },
      ratelimits,
    });
    const second = metering.admit('sk_local_1', 'digest_1', NOW);
    expect([second?.key?.credits, second?.ratelimits?.map((state) => state.remaining)]).toEqual([98, [38, 88]]);
  });

  it('of a key with credits only, carries no rate limits', () => {
    const metering = meteringWith({ ...upstreamKey, credits: 100 });
    const verification = metering.admit('sk_local_1', 'digest_1', NOW);
    expect(Object.keys(verification ?? {})).toEqual(['valid', 'code', 'source', 'key']);
    expect(verification?.key?.ratelimits).toBeUndefined();
    expect(verification?.key?.credits).toBe(99);
  });
});
