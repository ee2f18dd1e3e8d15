import { describe, expect, it } from 'vitest';
import { ConfigurationError, createKeyguard, createVerifier } from '@keyguard/core';
import type { Fleet, Provider, VerifierOptions } from '@keyguard/core';

// Every option of createVerifier is checked when the verifier is created: a wrong value throws a ConfigurationError
// that names the option, before any connection, timer or instrument exists.
const provider: Provider = { name: 'test', verify: async () => ({ valid: false, code: 'NOT_FOUND', metered: false }) };
const meteringProvider: Provider = { ...provider, supportsCost: true };

/** Option, bad value, and the name the message must carry. */
const bad: [Partial<Record<keyof VerifierOptions, unknown>>, string][] = [
  [{ provider: undefined }, 'provider'],
  [{ provider: {} }, 'provider'],
  [{ cache: 'yes' }, 'cache'],
  [{ cache: { freshMs: '10s' } }, 'cache.freshMs'],
  [{ cache: { freshMs: -5 } }, 'cache.freshMs'],
  [{ cache: { freshMs: Number.NaN } }, 'cache.freshMs'],
  [{ cache: { staleMs: -1 } }, 'cache.staleMs'],
  [{ cache: { staleMs: Number.POSITIVE_INFINITY } }, 'cache.staleMs'],
  [{ cache: { negativeMs: '5s' } }, 'cache.negativeMs'],
  [{ cache: { staleIfErrorMs: Number.NaN } }, 'cache.staleIfErrorMs'],
  [{ cache: { maxEntries: 0 } }, 'cache.maxEntries'],
  [{ cache: { maxEntries: 1.5 } }, 'cache.maxEntries'],
  [{ cache: { maxNegativeEntries: 0 } }, 'cache.maxNegativeEntries'],
  [{ cache: { maxNegativeEntries: '1000' } }, 'cache.maxNegativeEntries'],
  [{ cache: { cacheMeteredKeys: 'true' } }, 'cache.cacheMeteredKeys'],
  [{ cache: { freshTtl: 1000 } }, 'cache.freshTtl'],
  [{ onProviderError: 'open' }, 'onProviderError'],
  [{ keyPrefix: true }, 'keyPrefix'],
  [{ keyPrefix: 42 }, 'keyPrefix'],
  [{ waitUntil: 'later' }, 'waitUntil'],
  [{ maxRetryAfterMs: -1 }, 'maxRetryAfterMs'],
  [{ maxRetryAfterMs: Number.NaN }, 'maxRetryAfterMs'],
  [{ hooks: () => undefined }, 'hooks'],
  [{ hooks: { onVerification: 'log' } }, 'hooks'],
  [{ logger: { info: () => undefined } }, 'logger'],
  [{ telemetry: {} }, 'telemetry'],
  [{ clients: {} }, 'clients'],
  [{ clients: [{}] }, 'clients'],
  [{ fleet: {} }, 'fleet'],
  [{ metering: 'batched' }, 'metering'],
  [{ metering: { mode: 'batched', maxBatch: 0 } }, 'metering.maxBatch'],
  [{ metering: { mode: 'batched', maxDelayMs: Number.NaN } }, 'metering.maxDelayMs'],
  [{ metering: { mode: 'batched', maxBatch: 10, margin: 5 } }, 'metering.margin'],
  [{ metering: { mode: 'batched', maxUnsettled: -1 } }, 'metering.maxUnsettled'],
];

describe('createVerifier checks every option', () => {
  it.each(bad)('%j throws a ConfigurationError naming %s', (options, name) => {
    const create = () => createVerifier({ provider: meteringProvider, ...options } as VerifierOptions);
    expect(create).toThrow(ConfigurationError);
    expect(create).toThrow(name);
  });

  it('accepts every option at its edge, and undefined for any of them', () => {
    const verifier = createVerifier({
      provider,
      cache: {
        freshMs: 0,
        staleMs: 0,
        negativeMs: 0,
        staleIfErrorMs: 0,
        maxEntries: 1,
        maxNegativeEntries: 1,
        cacheMeteredKeys: false,
      },
      onProviderError: 'fail-open',
      keyPrefix: false,
      maxRetryAfterMs: 0,
      hooks: {},
      logger: { warn: () => undefined, error: () => undefined },
      telemetry: false,
      clients: [],
    });
    void verifier.close();
    const defaults = createVerifier({
      provider,
      cache: { freshMs: undefined },
      keyPrefix: undefined,
      hooks: undefined,
      telemetry: false,
    });
    void defaults.close();
  });
});

describe('keyguard({ verifier, … }) refuses every verifier option beside a ready verifier', () => {
  const fleet: Fleet = {
    join: () => ({
      resolve: async (_digest, ask) => ({ answer: await ask(), obtainedAt: Date.now() }),
      publish: () => undefined,
      leave: async () => undefined,
    }),
  };
  const others: Partial<Record<keyof VerifierOptions, unknown>> = {
    provider,
    cache: { freshMs: 1000 },
    onProviderError: 'fail-open',
    keyPrefix: 'sk_',
    waitUntil: () => undefined,
    maxRetryAfterMs: 1000,
    hooks: {},
    telemetry: false,
    clients: [],
    fleet,
    metering: { mode: 'strict' },
  };

  it.each(Object.entries(others))('%s', (name, value) => {
    const verifier = createVerifier({ provider, telemetry: false });
    expect(() => createKeyguard({ verifier, [name]: value } as never)).toThrow(ConfigurationError);
    expect(() => createKeyguard({ verifier, [name]: value } as never)).toThrow(`${name} would be ignored`);
    void verifier.close();
  });

  it('keeps logger, which is the adapter’s own option too', () => {
    const verifier = createVerifier({ provider, telemetry: false });
    expect(() => createKeyguard({ verifier, logger: { warn: () => undefined, error: () => undefined } })).not.toThrow();
    void verifier.close();
  });
});
