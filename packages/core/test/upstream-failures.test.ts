import { afterEach, describe, expect, it, vi } from 'vitest';
import { ProviderError, createVerifier } from '@keyguard/core';
import type { Logger, Provider, ProviderAnswer, Verifier, VerifierOptions } from '@keyguard/core';

// What a caller, the hooks and the log get when a custom provider fails: a provider is any object with `verify`, and
// it may throw anything. The clock is faked (Date only) where a wait is measured, so the times asserted are exact.
const KEY = 'sk_upstream_fail_01';

const validAnswer: ProviderAnswer = {
  valid: true,
  code: 'VALID',
  metered: false,
  keyId: 'key_fail',
  key: { id: 'key_fail', provider: 'custom', permissions: [], roles: [], meta: {}, enabled: true },
};

/** A provider that runs `behaviour` for each call, and counts the calls. */
function scripted(behaviour: (call: number) => ProviderAnswer): Provider & { calls: number } {
  const provider = {
    name: 'custom',
    calls: 0,
    async verify(): Promise<ProviderAnswer> {
      provider.calls += 1;
      return behaviour(provider.calls);
    },
  };
  return provider;
}

function recordingLogger(): Logger & { lines: { level: string; message: string }[] } {
  const lines: { level: string; message: string }[] = [];
  return {
    lines,
    warn: (message) => void lines.push({ level: 'warn', message }),
    error: (message) => void lines.push({ level: 'error', message }),
  };
}

const verifiers: Verifier[] = [];
function verifierOver(provider: Provider, options: Partial<VerifierOptions> = {}): Verifier {
  const verifier = createVerifier({ provider, logger: recordingLogger(), ...options });
  verifiers.push(verifier);
  return verifier;
}

afterEach(async () => {
  vi.useRealTimers();
  await Promise.all(verifiers.splice(0).map((verifier) => verifier.close()));
});

describe('a provider that throws', () => {
  it('reports an error that is not a ProviderError as a bad response of that provider, with the error as its cause', async () => {
    const thrown = new TypeError('cannot read properties of undefined');
    const provider = scripted(() => {
      throw thrown;
    });
    const reported: Error[] = [];
    const logger = recordingLogger();
    const verifier = verifierOver(provider, { hooks: { onProviderError: (error) => reported.push(error) }, logger });
    expect(await verifier.verify(KEY)).toMatchObject({ valid: false, code: 'PROVIDER_UNAVAILABLE' });
    expect(reported).toHaveLength(1);
    const error = reported[0] as ProviderError;
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({
      code: 'PROVIDER_BAD_RESPONSE',
      message: 'the provider failed unexpectedly',
      provider: 'custom',
    });
    expect(error.cause).toBe(thrown);
    expect(logger.lines.map((line) => line.message)).toEqual([
      expect.stringContaining('the custom key service gives no usable answer (PROVIDER_BAD_RESPONSE)'),
    ]);
  });

  it('answers a request the service refused as ours (a bad request) PROVIDER_MISCONFIGURED, and says so once in the log', async () => {
    const provider = scripted(() => {
      throw new ProviderError('PROVIDER_BAD_REQUEST', 'the key service refused the request (400)', {
        provider: 'custom',
        status: 400,
        requestId: 'req_refused',
      });
    });
    const reported: Error[] = [];
    const logger = recordingLogger();
    const verifier = verifierOver(provider, { hooks: { onProviderError: (error) => reported.push(error) }, logger });
    for (let index = 0; index < 3; index++) {
      expect(await verifier.verify(KEY)).toStrictEqual({
        valid: false,
        code: 'PROVIDER_MISCONFIGURED',
        source: 'upstream',
        requestId: 'req_refused',
      });
    }
    expect(reported).toHaveLength(3);
    expect(verifier.stats().providerErrors).toBe(3);
    // A misconfiguration is not an outage: one error line saying what to fix, no outage line.
    expect(logger.lines).toEqual([
      {
        level: 'error',
        message: expect.stringContaining('refused our own credentials or request (PROVIDER_BAD_REQUEST'),
      },
    ]);
  });
});

describe("the provider's Retry-After", () => {
  it('tells callers the time the provider named, and asks the provider again from that very millisecond', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const start = 1_800_000_000_000;
    vi.setSystemTime(start);
    const provider = scripted((call) => {
      if (call === 1)
        throw new ProviderError('PROVIDER_RATE_LIMITED', 'the key service answered 429', {
          provider: 'custom',
          status: 429,
          retryAt: start + 10_000,
        });
      return validAnswer;
    });
    const verifier = verifierOver(provider, { cache: false });
    expect(await verifier.verify(KEY)).toMatchObject({ code: 'PROVIDER_UNAVAILABLE', retryAt: start + 10_000 });
    vi.setSystemTime(start + 4_000);
    expect(await verifier.verify(KEY)).toMatchObject({ code: 'PROVIDER_UNAVAILABLE', retryAt: start + 10_000 });
    vi.setSystemTime(start + 9_999);
    expect(await verifier.verify(KEY)).toMatchObject({ code: 'PROVIDER_UNAVAILABLE', retryAt: start + 10_000 });
    expect(provider.calls).toBe(1);
    vi.setSystemTime(start + 10_000);
    expect(await verifier.verify(KEY)).toMatchObject({ valid: true, source: 'upstream' });
    expect(provider.calls).toBe(2);
  });
});

describe('a stale entry', () => {
  it('is refreshed once in the background, also when that refresh fails: later requests get the stale answer without a call', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const start = 1_800_000_000_000;
    vi.setSystemTime(start);
    const provider = scripted((call) => {
      if (call === 1) return validAnswer;
      throw new ProviderError('PROVIDER_SERVER_ERROR', 'the key service answered 503', {
        provider: 'custom',
        status: 503,
      });
    });
    const refreshes: Promise<unknown>[] = [];
    const verifier = verifierOver(provider, {
      cache: { freshMs: 1_000, staleMs: 60_000 },
      waitUntil: (promise) => void refreshes.push(promise),
    });
    expect(await verifier.verify(KEY)).toMatchObject({ valid: true, source: 'upstream' });
    vi.setSystemTime(start + 2_000);
    expect(await verifier.verify(KEY)).toMatchObject({ valid: true, source: 'stale' });
    expect(refreshes).toHaveLength(1);
    await Promise.all(refreshes);
    expect(provider.calls).toBe(2);
    for (let index = 0; index < 3; index++) {
      vi.setSystemTime(start + 3_000 + index * 1_000);
      expect(await verifier.verify(KEY)).toMatchObject({ valid: true, source: 'stale' });
    }
    expect(refreshes).toHaveLength(1);
    expect(provider.calls).toBe(2);
    expect(verifier.stats()).toMatchObject({ staleHits: 4, upstreamCalls: 2, providerErrors: 1 });
  });
});
