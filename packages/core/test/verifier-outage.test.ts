import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { ConfigurationError, createKeyguard, createVerifier } from '@keyguard/core';
import { unkey } from '@keyguard/unkey';
import type { Logger, Verifier, VerifierOptions } from '@keyguard/core';
import { FakeUnkey } from '../../../test/support/fake-unkey.js';
import { closedPortUrl } from '../../../test/support/loopback-server.js';
import { findLeaks, registerSecret } from '../../../test/support/secrets.js';

const VALID = 'sk_test_outage_valid_01';
const TEN_YEARS_S = 10 * 365 * 24 * 3600;

let fake: FakeUnkey;
const verifiers: Verifier[] = [];

function makeVerifier(extra: Partial<VerifierOptions> = {}): Verifier {
  const verifier = createVerifier({
    provider: unkey({ rootKey: fake.rootKey, baseUrl: fake.url, timeoutMs: 15_000 }),
    logger: silent,
    ...extra,
  });
  verifiers.push(verifier);
  return verifier;
}

const silent: Logger = { warn: () => {}, error: () => {} };

function recordingLogger(): Logger & { lines: { level: 'warn' | 'error'; text: string }[] } {
  const lines: { level: 'warn' | 'error'; text: string }[] = [];
  return {
    lines,
    warn: (message, details) => lines.push({ level: 'warn', text: `${message} ${JSON.stringify(details)}` }),
    error: (message, details) => lines.push({ level: 'error', text: `${message} ${JSON.stringify(details)}` }),
  };
}

/** Moves the clock for keyguard and the fake service alike; timers stay real so sockets keep working. */
function useClock(start = Date.now()) {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(start);
  return { advance: (ms: number) => vi.setSystemTime(Date.now() + ms) };
}

beforeAll(async () => {
  fake = await new FakeUnkey().start();
});
afterAll(async () => {
  await fake.stop();
});
beforeEach(() => {
  fake.keys.clear();
  fake.calls.clear();
  fake.fault = { kind: 'none' };
  fake.add(VALID, { keyId: 'key_valid', permissions: [] });
});
afterEach(async () => {
  vi.useRealTimers();
  await Promise.all(verifiers.splice(0).map((verifier) => verifier.close()));
});

describe('a provider Retry-After is capped (maxRetryAfterMs)', () => {
  it('pauses calls after a 429 of ten years for 60 s only, and tells callers 60 s', async () => {
    const clock = useClock();
    const verifier = makeVerifier();
    fake.fault = { kind: 'status', status: 429, headers: { 'retry-after': String(TEN_YEARS_S) } };
    const started = Date.now();
    const limited = await verifier.verify('sk_test_outage_other_1');
    expect(limited).toMatchObject({ valid: false, code: 'PROVIDER_UNAVAILABLE', retryAt: started + 60_000 });
    fake.fault = { kind: 'none' };
    clock.advance(59_000);
    expect(await verifier.verify(VALID)).toMatchObject({ code: 'PROVIDER_UNAVAILABLE', retryAt: started + 60_000 });
    expect(fake.callsFor(VALID)).toBe(0);
    clock.advance(1_001);
    expect(await verifier.verify(VALID)).toMatchObject({ valid: true, source: 'upstream' });
  });

  it('caps an HTTP-date Retry-After and a 503 Retry-After alike', async () => {
    const verifier = makeVerifier();
    fake.fault = {
      kind: 'status',
      status: 429,
      headers: { 'retry-after': new Date(Date.now() + 3_600_000).toUTCString() },
    };
    const before = Date.now();
    const limited = await verifier.verify('sk_test_outage_other_2');
    expect(limited.retryAt).toBeGreaterThanOrEqual(before + 59_000);
    expect(limited.retryAt).toBeLessThanOrEqual(Date.now() + 60_000);
    const other = makeVerifier();
    fake.fault = { kind: 'status', status: 503, headers: { 'retry-after': String(TEN_YEARS_S) } };
    const unavailable = await other.verify('sk_test_outage_other_3');
    expect(unavailable.code).toBe('PROVIDER_UNAVAILABLE');
    expect(unavailable.retryAt).toBeLessThanOrEqual(Date.now() + 60_000);
  });

  it('keeps a Retry-After below the cap as the provider said', async () => {
    const verifier = makeVerifier();
    fake.fault = { kind: 'status', status: 429, headers: { 'retry-after': '7' } };
    const before = Date.now();
    const limited = await verifier.verify('sk_test_outage_other_4');
    expect(limited.retryAt).toBeGreaterThanOrEqual(before + 7_000);
    expect(limited.retryAt).toBeLessThanOrEqual(Date.now() + 7_000);
  });

  it('takes its own cap, and sends the capped wait to clients as Retry-After', async () => {
    const keyguard = createKeyguard({
      provider: unkey({ rootKey: fake.rootKey, baseUrl: fake.url, timeoutMs: 15_000 }),
      logger: silent,
      maxRetryAfterMs: 5_000,
    });
    verifiers.push(keyguard.verifier);
    fake.fault = { kind: 'status', status: 429, headers: { 'retry-after': String(TEN_YEARS_S) } };
    const outcome = await keyguard.authenticate({ headers: { 'x-api-key': 'sk_test_outage_other_5' } });
    expect(outcome).toMatchObject({ allowed: false, denial: { status: 503, headers: { 'Retry-After': '5' } } });
  });

  it.each([-1, Number.NaN, Number.POSITIVE_INFINITY, '60' as unknown as number])(
    'refuses maxRetryAfterMs %s at creation',
    (maxRetryAfterMs) => {
      expect(() =>
        createVerifier({ provider: unkey({ rootKey: fake.rootKey, baseUrl: fake.url }), maxRetryAfterMs }),
      ).toThrow(ConfigurationError);
    },
  );
});

describe('outages are logged once when they start and once when they end', () => {
  it('logs one error line for many failures, one warning when the service answers again, and no key', async () => {
    const logger = recordingLogger();
    const verifier = makeVerifier({ logger });
    fake.fault = { kind: 'status', status: 500 };
    for (let index = 0; index < 5; index++)
      expect(await verifier.verify(`sk_test_outage_down_${index}`)).toMatchObject({ code: 'PROVIDER_UNAVAILABLE' });
    expect(logger.lines).toHaveLength(1);
    expect(logger.lines[0]).toMatchObject({
      level: 'warn',
      text: expect.stringContaining('unkey key service cannot be reached (PROVIDER_SERVER_ERROR)'),
    });
    expect(logger.lines[0]!.text).toContain('"status":500');
    expect(logger.lines[0]!.text).toContain('answered 503');

    fake.fault = { kind: 'none' };
    expect(await verifier.verify(VALID)).toMatchObject({ valid: true });
    expect(await verifier.verify('sk_test_outage_unknown_1')).toMatchObject({ code: 'NOT_FOUND' });
    expect(logger.lines).toHaveLength(2);
    expect(logger.lines[1]).toMatchObject({
      level: 'warn',
      text: expect.stringContaining('unkey key service answers again'),
    });
    expect(logger.lines[1]!.text).toMatch(/answers again after \d+ ms \(5 failed calls\)/);

    const texts = logger.lines.map((line) => line.text);
    expect(
      findLeaks(texts, [
        fake.rootKey,
        VALID,
        ...Array.from({ length: 5 }, (_, index) => `sk_test_outage_down_${index}`),
      ]),
    ).toEqual([]);
  });

  it('logs a second outage again', async () => {
    const logger = recordingLogger();
    const verifier = makeVerifier({ logger, cache: false });
    for (let round = 0; round < 2; round++) {
      fake.fault = { kind: 'status', status: 503 };
      await verifier.verify(VALID);
      await verifier.verify(VALID);
      fake.fault = { kind: 'none' };
      await verifier.verify(VALID);
      await verifier.verify(VALID);
    }
    expect(logger.lines.map((line) => line.text.match(/cannot be reached|answers again/)?.[0])).toEqual([
      'cannot be reached',
      'answers again',
      'cannot be reached',
      'answers again',
    ]);
  });

  it('logs an unreachable service (connection refused), and says so for fail-open', async () => {
    const logger = recordingLogger();
    const verifier = createVerifier({
      provider: unkey({ rootKey: fake.rootKey, baseUrl: await closedPortUrl(), timeoutMs: 15_000 }),
      logger,
      onProviderError: 'fail-open',
    });
    verifiers.push(verifier);
    expect(await verifier.verify(VALID)).toMatchObject({ failedOpen: true });
    expect(await verifier.verify('sk_test_outage_other_6')).toMatchObject({ failedOpen: true });
    expect(logger.lines).toHaveLength(1);
    expect(logger.lines[0]!.text).toContain('PROVIDER_CONNECTION_FAILED');
    expect(logger.lines[0]!.text).toContain('let through without a key');
  });

  it('says so when the service rate limits keyguard or answers nonsense', async () => {
    const logger = recordingLogger();
    const verifier = makeVerifier({ logger });
    fake.fault = { kind: 'non-json' };
    await verifier.verify('sk_test_outage_other_8');
    fake.fault = { kind: 'none' };
    await verifier.verify(VALID);
    fake.fault = { kind: 'status', status: 429, headers: { 'retry-after': '1' } };
    await verifier.verify('sk_test_outage_other_9');
    expect(
      logger.lines.map(
        (line) =>
          line.text.match(/gives no usable answer \(\w+\)|is rate limiting keyguard \(\w+\)|answers again/)?.[0],
      ),
    ).toEqual([
      'gives no usable answer (PROVIDER_BAD_RESPONSE)',
      'answers again',
      'is rate limiting keyguard (PROVIDER_RATE_LIMITED)',
    ]);
  });

  it('logs nothing while the service answers, even for unknown keys', async () => {
    const logger = recordingLogger();
    const verifier = makeVerifier({ logger });
    await verifier.verify(VALID);
    await verifier.verify('sk_test_outage_unknown_2');
    expect(logger.lines).toEqual([]);
  });

  it('logs a wrong root key as a misconfiguration only, not as an outage', async () => {
    const logger = recordingLogger();
    registerSecret('unkey_wrong_root_key_outage_1');
    const verifier = createVerifier({
      provider: unkey({ rootKey: 'unkey_wrong_root_key_outage_1', baseUrl: fake.url }),
      logger,
    });
    verifiers.push(verifier);
    await verifier.verify(VALID);
    await verifier.verify('sk_test_outage_other_7');
    expect(logger.lines).toHaveLength(1);
    expect(logger.lines[0]!.text).toContain('PROVIDER_UNAUTHORIZED');
    expect(logger.lines[0]!.text).not.toContain('cannot be reached');
  });
});
