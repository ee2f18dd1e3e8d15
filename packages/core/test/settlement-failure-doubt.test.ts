import { afterEach, describe, expect, it } from 'vitest';
import { ProviderError } from '@keyguard/core';
import type { ProviderAnswer } from '@keyguard/core';
import { TransportError } from '../src/runtime/transport-error.js';
import { BatchedMeter } from '../src/verifier/metering/batched-meter.js';
import type { MeteredCall, MeteringHost } from '../src/verifier/metering/calls.js';

// A settlement of batched metering that failed: when the service may have applied it (its request may have left and
// no answer came back, or an answer came back that could not be read), it is counted in doubt and not sent again;
// otherwise its admissions go back to wait for the next settlement. Charging twice is worse than once too few.
const NOW = 1_000_000;
const SETTINGS = { maxBatch: 2, maxDelayMs: 60_000, margin: 2, maxUnsettled: 100 };

const meters: BatchedMeter[] = [];
afterEach(async () => {
  await Promise.all(meters.splice(0).map((metering) => metering.close()));
});

const credited: ProviderAnswer = {
  valid: true,
  code: 'VALID',
  metered: true,
  keyId: 'key_1',
  key: { id: 'key_1', provider: 'test', permissions: [], roles: [], meta: {}, enabled: true, credits: 500 },
};

/** What becomes of a settlement of two admissions that failed with `error`. */
function afterFailure(error: ProviderError): 'in doubt' | 'put back' {
  const calls: MeteredCall[] = [];
  const host: MeteringHost = {
    settle: async (_key, _digest, _cost, call) => void calls.push(call),
    freshMs: 60_000,
    maxMeters: 100,
    logger: { warn: () => {}, error: () => {} },
  };
  const metering = new BatchedMeter(SETTINGS, host);
  meters.push(metering);
  metering.answered(metering.open('digest_1'), credited, true, NOW);
  metering.admit('sk_doubt_1', 'digest_1', NOW);
  metering.admit('sk_doubt_1', 'digest_1', NOW);
  expect(calls).toHaveLength(1);
  metering.answered(calls[0]!, error, true, NOW);
  const stats = metering.stats();
  expect(stats.failedSettlements).toBe(1);
  if (stats.inDoubt === 2 && stats.unsettled === 0) return 'in doubt';
  expect([stats.inDoubt, stats.unsettled]).toEqual([0, 2]);
  return 'put back';
}

const failure = (
  details: { status?: number; cause?: unknown } = {},
  code: ProviderError['code'] = 'PROVIDER_TIMEOUT',
) => new ProviderError(code, 'the key service did not answer', { provider: 'test', ...details });
const transport = (sent: boolean) =>
  new TransportError(sent ? 'TRANSPORT_TIMEOUT' : 'TRANSPORT_CONNECTION_FAILED', 'no answer', sent);

/** `inner` wrapped in `depth` plain errors, each the cause of the next. */
function wrapped(inner: unknown, depth: number): unknown {
  let cause = inner;
  for (let level = 0; level < depth; level++) cause = new Error(`wrapper ${level}`, { cause });
  return cause;
}

describe('a failed settlement whose request may have reached the service', () => {
  it('is in doubt when its transport says the request may have left, put back when it says it never did', () => {
    expect(afterFailure(failure({ cause: transport(true) }))).toBe('in doubt');
    expect(afterFailure(failure({ cause: transport(false) }))).toBe('put back');
  });

  it('is judged by the transport error found within five causes, whatever the status', () => {
    expect(afterFailure(failure({ cause: wrapped(transport(true), 3) }))).toBe('in doubt');
    expect(afterFailure(failure({ status: 200, cause: wrapped(transport(false), 3) }))).toBe('put back');
  });

  it('looks no deeper than five causes: past them, the status decides', () => {
    expect(afterFailure(failure({ status: 200, cause: wrapped(transport(false), 4) }))).toBe('in doubt');
    expect(afterFailure(failure({ cause: wrapped(transport(true), 4) }))).toBe('put back');
  });

  it('ends the search on causes that loop back on themselves', () => {
    const looping = new Error('wrapper');
    const error = failure({ status: 503, cause: looping }, 'PROVIDER_SERVER_ERROR');
    (looping as { cause?: unknown }).cause = error;
    expect(afterFailure(error)).toBe('put back');
  });
});

describe('a failed settlement the service answered', () => {
  it('is in doubt when the answer was a success that could not be read (a 2xx status)', () => {
    for (const status of [200, 201, 299]) {
      expect(afterFailure(failure({ status }, 'PROVIDER_BAD_RESPONSE')), String(status)).toBe('in doubt');
    }
  });

  it('is put back when the service refused it or failed (any other status), or gave no status', () => {
    for (const status of [100, 199, 300, 404, 429, 500]) {
      expect(afterFailure(failure({ status }, 'PROVIDER_SERVER_ERROR')), String(status)).toBe('put back');
    }
    expect(afterFailure(failure({}, 'PROVIDER_CONNECTION_FAILED'))).toBe('put back');
  });
});
